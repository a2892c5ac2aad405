"""The offline cache: idempotent storage, bounded history, corrupt files, a full disk."""

from __future__ import annotations

import sqlite3

import pytest

from feeds.core.records import AlertEvent, Measurement, Severity
from feeds.ingest.writer import Ingestor
from feeds.store import Cache, CacheFull
from tests.support.waiting import wait_until


def m(key: str, value: float, ts: float) -> Measurement:
    return Measurement(key=key, value=value, ts=ts, source="t")


def alert(seq: int) -> AlertEvent:
    return AlertEvent(id=f"a-{seq}", key="k", severity=Severity.WARNING, title="Cảnh báo", ts=1000.0 + seq,
                      source="t", seq=seq, publisher="p")


def test_wal_mode_and_redelivered_records_are_stored_once(cache):
    assert cache.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    first = cache.store([m("x", 1, 10), alert(1)])
    again = cache.store([m("x", 1, 10), alert(1), alert(2)])
    assert (first.new, first.duplicates) == (2, 0)
    assert (again.new, again.duplicates) == (1, 2)
    assert cache.count("history") == 1 and cache.count("alerts") == 2
    assert cache.last_seq("p") == 2


def test_latest_keeps_the_newest_even_when_an_old_record_arrives_late(cache):
    cache.store([m("x", 5, 20)])
    cache.store([m("x", 1, 10)])
    assert cache.latest()["x"].value == 5
    assert cache.history("x") == [(10, 1), (20, 5)]


def test_history_is_bounded_per_series(tmp_path):
    store = Cache(tmp_path / "h.sqlite", history_points=50)
    for start in range(0, 400, 40):
        store.store([m("x", float(i), float(i)) for i in range(start, start + 40)])
        store.store([m("y", 1.0, float(start))])
    kept = store.history("x")
    assert 50 <= len(kept) <= 55  # pruned every history_points // 10 writes
    assert kept[-1] == (399.0, 399.0)
    assert len(store.history("y")) == 10
    store.close()


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path, caplog):
    path = tmp_path / "bad.sqlite"
    good = Cache(path)
    good.store([m("x", 1, 1)])
    good.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"this is garbage!"
    path.write_bytes(bytes(data))
    rebuilt = Cache(path)
    assert rebuilt.moved_aside is not None and rebuilt.moved_aside.exists()
    assert ".corrupt-" in rebuilt.moved_aside.name
    assert rebuilt.latest() == {}
    rebuilt.store([m("x", 2, 2)])
    assert rebuilt.latest()["x"].value == 2
    assert any("corrupt" in r.message and "moved aside" in r.message for r in caplog.records)
    rebuilt.close()


def test_full_disk_raises_cachefull_and_keeps_the_file_usable(cache):
    cache.db.conn.execute("PRAGMA max_page_count = 30")
    with pytest.raises(CacheFull):
        for start in range(0, 100_000, 1000):
            cache.store([m(f"k{start}-{i}", float(i), float(i)) for i in range(1000)])
    assert cache.db.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_writer_holds_records_while_the_disk_is_full_and_acks_only_after_commit(cache):
    acked: list[int] = []
    delivered: list[int] = []
    writer = Ingestor(cache, deliver=lambda records: delivered.extend(int(r.value) for r in records), retry_s=0.1)
    used = cache.db.conn.execute("PRAGMA page_count").fetchone()[0]
    cache.db.conn.execute(f"PRAGMA max_page_count = {used}")
    for i in range(300):  # all queued before the writer starts: a first small batch could still fit
        writer.submit(m(f"full/{i}", float(i), 100.0 + i), ack=lambda i=i: acked.append(i))
    writer.start()
    wait_until(lambda: writer.disk_full, 5, "the writer to find the disk full")
    wait_until(lambda: len(delivered) >= 300, 5, lambda: f"300 records delivered, have {len(delivered)}")
    assert len(delivered) == 300  # the screen still got every value
    assert acked == []  # but nothing is acknowledged that is not on disk
    cache.db.conn.execute("PRAGMA max_page_count = 1000000")
    wait_until(lambda: len(acked) >= 300, 5, lambda: f"300 acknowledgements, have {len(acked)}")
    writer.stop()
    assert sorted(acked) == list(range(300))
    assert not writer.disk_full
    assert cache.count("latest") == 300


def test_rejects_are_recorded_with_reason_and_sample(cache):
    cache.reject("ioc", "ioc/v1/indicator/x", "invalid JSON", b"\xff{oops")
    row = cache.rejects()[0]
    assert row["reason"] == "invalid JSON" and row["feed"] == "ioc"
    sample = cache.db.conn.execute("SELECT sample FROM rejects").fetchone()[0]
    assert "oops" in sample


def test_cache_is_a_plain_sqlite_file_other_tools_can_read(cache):
    cache.store([m("Phản ánh", 3, 3)])
    other = sqlite3.connect(cache.path)
    assert other.execute("SELECT key, value FROM latest").fetchall() == [("Phản ánh", 3.0)]
    other.close()


def test_processors_derive_records_on_the_writer_thread_and_a_failing_one_is_contained(cache):
    seen: list[str] = []

    def doubler(records):
        seen.append(__import__("threading").current_thread().name)
        return [m(f"{r.key}/x2", r.value * 2, r.ts) for r in records if isinstance(r, Measurement)]

    def broken(records):
        raise RuntimeError("bug in a rule")

    delivered: list[str] = []
    writer = Ingestor(cache, deliver=lambda records: delivered.extend(r.key for r in records))
    writer.add_processor(broken)
    writer.add_processor(doubler)
    writer.start()
    writer.submit(m("aqi", 21, 5))
    wait_until(lambda: cache.count("latest") >= 2, 5, "the reading and the derived one in the cache")
    writer.stop()
    assert cache.latest()["aqi/x2"].value == 42
    assert delivered == ["aqi", "aqi/x2"]
    assert seen == ["cache-writer"]


def test_gui_side_writes_report_a_full_disk_instead_of_raising(cache, caplog):
    cache.db.conn.execute("PRAGMA max_page_count = 1")
    big = {"tiles": ["x" * 50_000]}
    assert cache.save_scene("Tổng quan", big, "operator") is False
    assert cache.log_scene("push", "x" * 100_000, "wall-1/0", "operator") is False
    assert any("could not record" in r.message for r in caplog.records)


def test_a_cache_from_the_previous_version_is_brought_up_to_date(tmp_path):
    """Caches written before alerts had a meta column and events a source: opened, migrated, kept."""
    from feeds.fleet.records import VesselPosition

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE alerts (id TEXT PRIMARY KEY, key TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '', ts REAL NOT NULL, source TEXT NOT NULL, seq INTEGER,
            extra TEXT NOT NULL DEFAULT '{}', received REAL NOT NULL, publisher TEXT NOT NULL DEFAULT '');
        CREATE TABLE events (kind TEXT NOT NULL, key TEXT NOT NULL, ts REAL NOT NULL, data TEXT NOT NULL,
            received REAL NOT NULL, PRIMARY KEY (kind, key, ts)) WITHOUT ROWID;
        INSERT INTO alerts VALUES ('a1', 'docs/overdue', 'warning', 'Văn bản quá hạn', '', 1790000000, 'ioc', 1,
            '{}', 1790000001, 'p');
        INSERT INTO events VALUES ('vessel', 'vessel/TH-1', 1790000000,
            '{"key": "vessel/TH-1", "lat": 19.5, "lon": 106.1, "ts": 1790000000}', 1790000001);
    """)
    old.close()
    cache = Cache(path)
    assert cache.moved_aside is None
    (alert,) = cache.alerts()
    assert (alert.id, alert.title, alert.title_en, alert.location) == ("a1", "Văn bản quá hạn", "", None)
    (before,) = cache.latest_events("vessel")
    assert before.source == "cache"  # where an old row came from is not known
    cache.store([VesselPosition(key="vessel/TH-2", ts=1_790_000_100.0, source="fleet", lat=19.6, lon=106.2)])
    assert {p.key: p.source for p in cache.latest_events("vessel")} == {"vessel/TH-1": "cache", "vessel/TH-2": "fleet"}
    cache.close()
