"""Schema versions: a cache made by release 0.1.0 is brought up to date; locked, unreadable or newer files
are refused and left alone; only a failed integrity check moves a file aside."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from feeds.core.domain import Domain, Migration, domains
from feeds.fleet.records import VesselPosition
from feeds.ingest.process import IngestWorker, WorkerSpec
from feeds.store import Cache, StoreUnavailable
from feeds.store.migrations import SCHEMA_VERSION
from tests.support.paths import DATA

RELEASE_0_1_0 = DATA / "store" / "cache-0.1.0.sqlite"  # made by tests/data/store/make_cache_0_1_0.py


def copy_of_old_cache(tmp_path):
    target = tmp_path / "cache.sqlite"
    shutil.copy(RELEASE_0_1_0, target)
    return target


def test_a_cache_made_by_release_0_1_0_is_migrated_and_keeps_every_row(tmp_path):
    path = copy_of_old_cache(tmp_path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 0
    cache = Cache(path)
    assert cache.moved_aside is None
    assert cache.schema_versions() == {"core": SCHEMA_VERSION, "alerts": 1}
    assert {t: cache.count(t) for t in ("latest", "history", "alerts", "alert_state", "alert_actions", "rejects",
                                         "scene_log", "events", "files_seen")} == {
        "latest": 1, "history": 5, "alerts": 1, "alert_state": 1, "alert_actions": 2, "rejects": 1,
        "scene_log": 1, "events": 1, "files_seen": 1}
    assert cache.latest()["econ/cpi"].value == pytest.approx(3.8)
    (alert,) = cache.alert_states()
    assert alert.title == "AQI vượt ngưỡng" and alert.link == "station:sam-son"
    assert [a.action for a in cache.alert_history(alert.id)] == ["raised", "ack"]
    (vessel,) = cache.events("vessel")
    assert isinstance(vessel, VesselPosition) and vessel.name == "Tàu 1" and vessel.source == "fleet"
    assert cache.scene_for("wall-1/0").scene == "moi-truong"
    assert cache.count("deliveries") == 0  # the alerts domain's own table, added by its migration
    assert cache.count("store_log") == 0  # the table schema version 2 added
    cache.close()
    again = Cache(path)  # nothing left to apply
    assert again.schema_versions() == {"core": SCHEMA_VERSION, "alerts": 1}
    again.close()


def test_a_cache_from_a_newer_release_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "cache.sqlite"
    Cache(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable, match="schema version"):
        Cache(path)
    assert path.read_bytes() == before and list(tmp_path.glob("*.corrupt-*")) == []


def test_a_locked_cache_is_never_moved_aside(tmp_path):
    path = tmp_path / "cache.sqlite"
    Cache(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for longer than we wait
    try:
        with pytest.raises(StoreUnavailable, match="locked"):
            Cache(path, busy_timeout_s=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list(tmp_path.glob("*.corrupt-*")) == []
    Cache(path).close()  # and it opens once the lock is gone


def test_a_cache_that_cannot_be_opened_is_reported_not_moved(tmp_path):
    folder = tmp_path / "cache.sqlite"
    folder.mkdir()  # e.g. a mount gone wrong: not a file at all
    with pytest.raises(StoreUnavailable, match="unable to open"):
        Cache(folder)
    assert folder.is_dir() and list(tmp_path.glob("*.corrupt-*")) == []


def test_a_failed_integrity_check_moves_the_file_aside(tmp_path, caplog):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8000)  # a header, then garbage pages
    cache = Cache(path)
    assert cache.moved_aside is not None and cache.moved_aside.exists()
    assert "corrupt" in caplog.text and cache.count("latest") == 0
    cache.close()


def test_domain_migrations_apply_in_order_once_and_a_failing_one_changes_nothing(tmp_path):
    path = tmp_path / "cache.sqlite"
    first = Domain("gauges", migrations=(Migration(1, "CREATE TABLE gauges (key TEXT PRIMARY KEY);"),
                                         Migration(2, "ALTER TABLE gauges ADD COLUMN value REAL;")))
    Cache(path, with_domains=[*domains(), first]).close()
    later = Domain("gauges", migrations=(*first.migrations, Migration(3, "CREATE INDEX gauges_v ON gauges (value);")))
    cache = Cache(path, with_domains=[*domains(), later])
    assert cache.schema_versions()["gauges"] == 3
    assert [r[1] for r in cache.run("PRAGMA table_info(gauges)")] == ["key", "value"]
    cache.close()
    broken = Domain("gauges", migrations=(*later.migrations, Migration(4, "CREATE TABLE x (;")))
    with pytest.raises(StoreUnavailable):
        Cache(path, with_domains=[*domains(), broken])
    cache = Cache(path, with_domains=[*domains(), later])
    assert cache.schema_versions()["gauges"] == 3 and cache.moved_aside is None
    cache.close()


def test_the_ingest_process_commits_with_synchronous_full_and_the_gui_with_normal(tmp_path):
    from multiprocessing import Pipe

    ours, theirs = Pipe()
    worker = IngestWorker(WorkerSpec((), str(tmp_path / "cache.sqlite")), theirs)
    try:
        assert worker.cache.run("PRAGMA synchronous") == [(2,)]  # FULL: acknowledged means on disk
    finally:
        worker.cache.close()
        ours.close()
        theirs.close()
    gui = Cache(tmp_path / "cache.sqlite")
    assert gui.run("PRAGMA synchronous") == [(1,)]  # NORMAL
    gui.close()


def test_concurrent_opening_by_two_processes_worth_of_connections_is_safe(tmp_path):
    """The GUI and the ingest process open the same file at start; both migrate-or-skip without error."""
    path = copy_of_old_cache(tmp_path)
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            Cache(path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Cache(path).schema_versions()["core"] == SCHEMA_VERSION
