"""The drop-folder source against a real temporary folder, feeding a real cache."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from feeds.core.payloads import LOCAL_TZ
from feeds.core.records import LinkState, SceneCommand
from feeds.ingest.writer import Ingestor
from feeds.sources.drop_folder import DropFolderSource
from feeds.store import Cache
from tests.support.waiting import wait_until

CSV = (
    "key,time,value,unit\n"
    "aqi/hanoi,2026-09-22T10:00:00,42,AQI\n"
    "aqi/hanoi,2026-09-22T10:05:00,44,AQI\n"
    "aqi/hcm,2026-09-22T10:00:00,61,AQI\n"
)


def vn(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ).timestamp()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "drop"
    path.mkdir()
    return path


@pytest.fixture
def delivered() -> list:
    """The readings the writer handed over (new or duplicate), flush markers aside."""
    return []


@pytest.fixture
def rig(tmp_path: Path, delivered: list):
    cache = Cache(tmp_path / "cache.sqlite")
    ingestor = Ingestor(cache, deliver=keep_readings(delivered))
    ingestor.start()
    yield cache, ingestor
    ingestor.stop()
    cache.close()


def keep_readings(into: list):
    return lambda records: into.extend(r for r in records if not isinstance(r, SceneCommand))


def make_source(folder: Path, ingestor: Ingestor, **options: object) -> DropFolderSource:
    opts: dict[str, object] = {"settle_s": 0, "scan_s": 60}
    opts.update(options)
    return DropFolderSource("drop", f"file://{folder}", opts, ingestor)


def flush(ingestor: Ingestor) -> None:
    """Wait until everything submitted so far is committed (batches commit in order, acks after)."""
    done = threading.Event()
    ingestor.submit(SceneCommand(target="test-flush", scene="flush", layout={}, ts=time.time(), source="test"),
                    ack=done.set)
    assert done.wait(5), "the cache writer did not commit"


def scan(source: DropFolderSource, times: int = 2) -> None:
    for _ in range(times):
        source.scan_once()


def rejects(cache: Cache) -> list[tuple[str, str]]:
    return [(r["origin"], r["reason"]) for r in cache.rejects()]


def test_settled_csv_is_read_once_with_its_own_timestamps(folder, rig, delivered):
    cache, ingestor = rig
    (folder / "aqi-1000.csv").write_text(CSV)
    source = make_source(folder, ingestor)
    source.scan_once()
    assert source.files_read == 0  # seen once: not yet known to be complete
    source.scan_once()
    assert source.files_read == 1
    flush(ingestor)
    assert cache.history("aqi/hanoi") == [(vn("2026-09-22T10:00:00"), 42.0), (vn("2026-09-22T10:05:00"), 44.0)]
    hcm = cache.latest()["aqi/hcm"]
    assert (hcm.value, hcm.source, hcm.unit) == (61.0, "drop", "AQI")
    assert cache.count("files_seen") == 1
    assert source.state.state == LinkState.CONNECTED
    scan(source, 3)
    flush(ingestor)
    assert source.files_read == 1
    assert len(delivered) == 3  # read once, submitted once
    assert cache.rejects() == []


def test_partial_hidden_and_foreign_files_are_ignored_until_renamed(folder, rig):
    cache, ingestor = rig
    (folder / "aqi-1005.csv.part").write_text(CSV)
    (folder / "aqi-1005.csv.tmp").write_text(CSV)
    (folder / ".aqi-1005.csv").write_text(CSV)
    (folder / "readme.txt").write_text(CSV)
    source = make_source(folder, ingestor)
    scan(source, 3)
    flush(ingestor)
    assert source.files_read == 0
    assert cache.count("history") == 0
    os.rename(folder / "aqi-1005.csv.part", folder / "aqi-1005.csv")  # the uploader's final step
    scan(source, 2)
    flush(ingestor)
    assert source.files_read == 1
    assert cache.count("history") == 3


def test_a_file_still_being_written_is_not_read_until_its_size_stays_put(folder, rig):
    cache, ingestor = rig
    path = folder / "aqi-1010.csv"
    lines = CSV.splitlines(keepends=True)
    with path.open("w") as out:
        out.write(lines[0] + lines[1][:20])  # the header and half a row
        out.flush()
        source = make_source(folder, ingestor)
        source.scan_once()
        out.write(lines[1][20:] + lines[2])
        out.flush()
        source.scan_once()  # size changed since the last scan: not read
        assert source.files_read == 0
        out.write(lines[3])
        out.flush()
        source.scan_once()
        assert source.files_read == 0
    source.scan_once()  # unchanged since the last scan: complete
    assert source.files_read == 1
    flush(ingestor)
    assert cache.count("history") == 3
    assert cache.rejects() == []  # the half row was never read


def test_settle_time_runs_on_our_clock_even_when_the_mtime_is_in_the_future(folder, rig):
    cache, ingestor = rig
    (folder / "now.csv").write_text(CSV)
    ahead = folder / "ahead.csv"  # an upload that kept the sender's mtime, an hour ahead of ours
    ahead.write_text(CSV.replace("aqi/", "water/"))
    os.utime(ahead, (time.time() + 3600, time.time() + 3600))
    source = make_source(folder, ingestor, settle_s=0.3)
    scan(source, 2)
    assert source.files_read == 0  # unchanged, but not yet for settle_s
    time.sleep(0.35)  # a duration, not a wait: settle_s passes on our clock
    source.scan_once()
    assert source.files_read == 2
    flush(ingestor)
    assert {"aqi/hanoi", "water/hanoi", "water/hcm"} <= set(cache.latest())


def test_a_duplicate_copy_under_another_name_is_not_read_twice(folder, rig, delivered):
    cache, ingestor = rig
    (folder / "aqi-1015.csv").write_text(CSV)
    shutil.copy(folder / "aqi-1015.csv", folder / "aqi-1015 (copy).csv")  # both arrive in the same scan
    source = make_source(folder, ingestor)
    scan(source, 2)
    assert source.files_read == 1
    flush(ingestor)
    shutil.copy(folder / "aqi-1015.csv", folder / "resent-aqi-1015.csv")  # and again, after the commit
    scan(source, 3)
    flush(ingestor)
    assert source.files_read == 1
    assert len(delivered) == 3  # the copies were not even re-submitted
    assert cache.count("files_seen") == 1


def test_a_duplicate_is_not_read_after_a_restart(folder, rig, tmp_path):
    cache, ingestor = rig
    (folder / "aqi-1020.csv").write_text(CSV)
    first = make_source(folder, ingestor)
    scan(first, 2)
    flush(ingestor)
    assert cache.count("files_seen") == 1
    ingestor.stop()
    cache.close()

    cache = Cache(tmp_path / "cache.sqlite")  # the program restarts on the same cache
    after_restart: list = []
    ingestor = Ingestor(cache, deliver=keep_readings(after_restart))
    ingestor.start()
    try:
        shutil.copy(folder / "aqi-1020.csv", folder / "aqi-1020-again.csv")
        second = make_source(folder, ingestor)
        scan(second, 3)
        flush(ingestor)
        assert second.files_read == 0
        assert after_restart == []
        assert cache.count("history") == 3
    finally:
        ingestor.stop()
        cache.close()


def test_csv_with_bad_values_and_a_truncated_last_row_keeps_the_good_rows(folder, rig):
    cache, ingestor = rig
    path = folder / "aqi-1025.csv"
    path.write_text(
        "key,time,value,unit\n"
        "aqi/hanoi,2026-09-22T10:00:00,42,AQI\n"
        "aqi/hanoi,2026-09-22T10:05:00,NaN,AQI\n"
        "aqi/hanoi,2026-09-22T10:10:00,n/a,AQI\n"
        "aqi/hue,yesterday,12,AQI\n"
        "aqi/hcm,2026-09-22T10:00:00,61,AQI\n"
        "aqi/hcm,2026-09-22T10:0")
    source = make_source(folder, ingestor)
    scan(source, 2)
    flush(ingestor)
    assert cache.history("aqi/hanoi") == [(vn("2026-09-22T10:00:00"), 42.0)]
    assert cache.history("aqi/hcm") == [(vn("2026-09-22T10:00:00"), 61.0)]
    bad = dict(rejects(cache))
    assert set(bad) == {"aqi-1025.csv:3", "aqi-1025.csv:4", "aqi-1025.csv:5", "aqi-1025.csv:7"}
    assert "not a finite number" in bad["aqi-1025.csv:3"]
    assert "could not convert" in bad["aqi-1025.csv:4"]
    assert "not ISO 8601" in bad["aqi-1025.csv:5"]
    assert "truncated row" in bad["aqi-1025.csv:7"]

    # The upload resumes and completes the file: the missing row arrives, nothing is counted twice.
    with path.open("a") as out:
        out.write("5:00,64,AQI\n")
    scan(source, 2)
    flush(ingestor)
    assert source.files_read == 2
    assert cache.history("aqi/hcm") == [(vn("2026-09-22T10:00:00"), 61.0), (vn("2026-09-22T10:05:00"), 64.0)]
    assert cache.history("aqi/hanoi") == [(vn("2026-09-22T10:00:00"), 42.0)]
    assert cache.count("history") == 3  # the rows read the first time were stored once


def test_csv_damaged_part_way_keeps_the_rows_before_the_damage(folder, rig):
    cache, ingestor = rig
    (folder / "aqi-1030.csv").write_text(CSV + 'aqi/hue,2026-09-22T10:00:00,"' + "x" * 200_000 + "\n")
    source = make_source(folder, ingestor)
    scan(source, 2)
    flush(ingestor)
    assert cache.count("history") == 3
    [(origin, reason)] = rejects(cache)
    assert origin == "aqi-1030.csv"
    assert reason.startswith("unreadable after 3 records:") and "field larger than field limit" in reason
    scan(source, 2)
    assert len(cache.rejects()) == 1


def test_csv_without_the_needed_columns_is_reported(folder, rig):
    cache, ingestor = rig
    (folder / "wrong.csv").write_text("station,when,reading\nHN,2026-09-22T10:00:00,4\n")
    source = make_source(folder, ingestor)
    scan(source, 4)
    flush(ingestor)
    assert rejects(cache) == [("wrong.csv:1", "header lacks column(s) key, time, value")]
    assert cache.count("history") == 0


def test_json_file_with_bad_entries_keeps_the_good_ones(folder, rig):
    cache, ingestor = rig
    (folder / "ioc-1035.json").write_bytes(
        b'{"records": ['
        b'{"v":1,"kind":"indicator","key":"aqi/hanoi","value":42,"ts":"2026-09-22T10:00:00"},'
        b'{"v":1,"kind":"alert","id":"flood-7","key":"flood/hanoi","severity":"critical",'
        b'"title":"Ng\xe1\xba\xadp","ts":1790000000},'
        b'{"v":1,"kind":"indicator","key":"aqi/nan","value":NaN,"ts":1790000000},'
        b'{"v":1,"kind":"indicator","key":"aqi/huge","value":1' + b"0" * 400 + b',"ts":1790000000},'
        b'{"v":1,"kind":"weather","key":"x","value":1,"ts":1790000000},'
        b'"not an object",'
        b'{"v":1,"kind":"alert","id":"a-2","key":"k","severity":"apocalyptic","title":"t","ts":1790000000}'
        b']}')
    source = make_source(folder, ingestor)
    scan(source, 2)
    flush(ingestor)
    assert set(cache.latest()) == {"aqi/hanoi"}
    assert cache.latest()["aqi/hanoi"].ts == vn("2026-09-22T10:00:00")
    [alert] = cache.alerts()
    assert (alert.id, alert.title, alert.source) == ("flood-7", "Ngập", "drop")
    bad = dict(rejects(cache))
    assert set(bad) == {f"ioc-1035.json:{n}" for n in range(3, 8)}
    assert "not a finite number" in bad["ioc-1035.json:3"]
    assert "OverflowError" in bad["ioc-1035.json:4"]
    assert "unknown or missing kind 'weather'" in bad["ioc-1035.json:5"]
    assert "unknown severity" in bad["ioc-1035.json:7"]
    assert cache.count("files_seen") == 1


@pytest.mark.parametrize("content, reason", [
    (b'{"records": [{"v":1,"kind":"indicator","key":"aqi/hanoi","value":42,"ts":179', "unreadable: Expecting"),
    (b'{"readings": []}', 'unreadable: a JSON drop file holds a list of records or {"records": [...]}'),
    (b"[" * 100_000, "unreadable: maximum recursion depth"),
    (b"[1" + b"0" * 5000 + b"]", "unreadable: Exceeds the limit (4300 digits)"),
    (b'[{"v":1,"kind":"indicator","key":"aqi/hu\xe9","value":4,"ts":1790000000}]', "not UTF-8 (byte 40)"),
])
def test_corrupt_json_file_is_refused_once_and_the_scan_goes_on(folder, rig, content, reason):
    cache, ingestor = rig
    (folder / "a-bad.json").write_bytes(content)
    (folder / "b-good.csv").write_text(CSV)
    source = make_source(folder, ingestor)
    scan(source, 4)
    flush(ingestor)
    [(origin, why)] = rejects(cache)
    assert origin == "a-bad.json"
    assert why.startswith(reason)
    assert cache.count("history") == 3  # the next file in the folder was still read
    assert cache.count("files_seen") == 2  # the refused one is remembered, not re-reported every scan
    assert source.state.state == LinkState.CONNECTED


def test_a_corrupt_json_file_completed_later_is_read(folder, rig):
    cache, ingestor = rig
    whole = json.dumps({"records": [{"v": 1, "kind": "indicator", "key": "aqi/hanoi", "value": 42,
                                     "ts": 1_790_000_000}]}).encode()
    path = folder / "ioc-1040.json"
    path.write_bytes(whole[:30])
    source = make_source(folder, ingestor)
    scan(source, 2)
    assert len(cache.rejects()) == 1
    path.write_bytes(whole)
    scan(source, 2)
    flush(ingestor)
    assert cache.latest()["aqi/hanoi"].value == 42.0
    assert len(cache.rejects()) == 1


def test_non_utf8_csv_is_refused_once(folder, rig):
    cache, ingestor = rig
    (folder / "aqi-1045.csv").write_bytes("key,time,value\naqi/café,2026-09-22T10:00:00,3\n".encode("latin-1"))
    source = make_source(folder, ingestor)
    scan(source, 4)
    flush(ingestor)
    assert rejects(cache) == [("aqi-1045.csv", "not UTF-8 (byte 22)")]
    assert cache.count("history") == 0


def test_oversize_file_is_refused_once_not_on_every_scan(folder, rig):
    cache, ingestor = rig
    (folder / "huge.csv").write_text(CSV * 10)
    source = make_source(folder, ingestor, max_file_bytes=200)
    scan(source, 5)
    flush(ingestor)
    assert rejects(cache) == [("huge.csv", "file larger than 200 bytes")]
    assert cache.count("history") == 0


def test_an_unreadable_file_is_refused_and_does_not_stop_the_scan(folder, rig):
    cache, ingestor = rig
    (folder / "a-broken.csv").symlink_to("/proc/self/mem")  # a regular file whose read fails with EIO
    (folder / "b-good.csv").write_text(CSV)
    source = make_source(folder, ingestor)
    scan(source, 4)
    flush(ingestor)
    [(origin, reason)] = rejects(cache)
    assert origin == "a-broken.csv" and reason.startswith("cannot read:") and "Input/output error" in reason
    assert cache.count("history") == 3
    assert source.state.state == LinkState.CONNECTED


def test_a_missing_folder_is_offline_until_it_appears(tmp_path, rig):
    cache, ingestor = rig
    folder = tmp_path / "mount" / "drop"
    source = make_source(folder, ingestor)
    source.scan_once()
    assert source.state.state == LinkState.OFFLINE
    assert source.state.detail == f"folder {folder} not found"
    folder.mkdir(parents=True)
    (folder / "aqi.csv").write_text(CSV)
    scan(source, 2)
    assert source.state.state == LinkState.CONNECTED
    flush(ingestor)
    assert cache.count("history") == 3


def test_the_scanning_thread_reads_new_files_and_stops_promptly(folder, rig):
    cache, ingestor = rig
    source = make_source(folder, ingestor, scan_s=0.05)
    source.start()
    try:
        (folder / "aqi-1050.csv").write_text(CSV)
        wait_until(lambda: cache.count("files_seen") >= 1, 5, "the scanning thread to read the file")
        assert cache.count("files_seen") == 1
        assert cache.count("history") == 3
    finally:
        started = time.monotonic()
        source.stop()
    assert time.monotonic() - started < 1
    assert not source._thread.is_alive()
    assert source.files_read == 1


def test_agency_air_csv_is_recognised_by_its_header(tmp_path):
    from feeds.ingest.writer import Ingestor
    from feeds.sources.drop_folder import DropFolderSource
    from feeds.store import Cache

    folder = tmp_path / "ftp"
    folder.mkdir()
    (folder / "tram_20240501_0105.csv").write_text(
        "station,time,pollutant,value,unit\n"
        "ham-rong,2024-05-01T01:00,pm25,35.5,\n"
        "ham-rong,2024-05-01T01:05,no2,20,ppb\n"
        "ham-rong,2024-05-01T01:05,pm25,-3,\n", encoding="utf-8")
    cache = Cache(tmp_path / "c.sqlite")
    writer = Ingestor(cache, deliver=lambda records: None)
    writer.start()
    source = DropFolderSource("moitruong", f"file://{folder}", {"settle_s": 0}, writer)
    source.scan_once()
    source.scan_once()
    wait_until(lambda: len(cache.rejects()) >= 1 and "air/ham-rong/no2" in cache.latest(), 5,
               lambda: f"the reject and the NO2 reading, have rejects {cache.rejects()}")
    writer.stop()
    latest = cache.latest()
    assert latest["air/ham-rong/pm25"].value == 35.5
    assert latest["air/ham-rong/no2"].value == pytest.approx(20 * 46.0055 / 24.45, rel=1e-3)  # ppb → µg/m³
    assert [r["origin"] for r in cache.rejects()] == ["tram_20240501_0105.csv:4"]
    cache.close()
