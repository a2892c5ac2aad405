"""The offline cache: last-known values, bounded history, alerts, rejects and scenes in SQLite (WAL)."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

from feeds.payloads import kind_class
from feeds.records import Alert, AlertAction, AlertEvent, AlertState, Measurement, Record, SceneCommand, Severity

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS latest (
    key TEXT PRIMARY KEY, value REAL NOT NULL, ts REAL NOT NULL, source TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '', label TEXT NOT NULL DEFAULT '', target REAL, received REAL NOT NULL);
CREATE TABLE IF NOT EXISTS history (
    key TEXT NOT NULL, ts REAL NOT NULL, value REAL NOT NULL, PRIMARY KEY (key, ts)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, key TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '', ts REAL NOT NULL, source TEXT NOT NULL, seq INTEGER,
    extra TEXT NOT NULL DEFAULT '{}', received REAL NOT NULL, publisher TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS alerts_by_publisher ON alerts (publisher, seq);
CREATE TABLE IF NOT EXISTS alert_state (
    id TEXT PRIMARY KEY, identity TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL,
    first_seen REAL NOT NULL, last_seen REAL NOT NULL, ts REAL NOT NULL, raised_at REAL NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alert_state_by_identity ON alert_state (identity, first_seen);
CREATE INDEX IF NOT EXISTS alert_state_by_state ON alert_state (state, last_seen);
CREATE TABLE IF NOT EXISTS alert_actions (
    id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, action TEXT NOT NULL, by TEXT NOT NULL, ts REAL NOT NULL,
    source TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL, received REAL NOT NULL,
    published INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS alert_actions_by_alert ON alert_actions (alert_id, ts);
CREATE INDEX IF NOT EXISTS alert_actions_unpublished ON alert_actions (published) WHERE published = 0;
CREATE TRIGGER IF NOT EXISTS alert_actions_append_only BEFORE UPDATE OF id, alert_id, action, by, ts, text, data
    ON alert_actions BEGIN SELECT RAISE(ABORT, 'alert history is append-only'); END;
CREATE TABLE IF NOT EXISTS rejects (
    id INTEGER PRIMARY KEY, received REAL NOT NULL, feed TEXT NOT NULL, origin TEXT NOT NULL,
    reason TEXT NOT NULL, sample TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scene_state (
    target TEXT PRIMARY KEY, scene TEXT NOT NULL, layout TEXT NOT NULL, ts REAL NOT NULL, by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scene_log (
    id INTEGER PRIMARY KEY, ts REAL NOT NULL, action TEXT NOT NULL, scene TEXT NOT NULL,
    target TEXT NOT NULL, by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS saved_scenes (
    name TEXT PRIMARY KEY, layout TEXT NOT NULL, by TEXT NOT NULL, ts REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    kind TEXT NOT NULL, key TEXT NOT NULL, ts REAL NOT NULL, data TEXT NOT NULL, received REAL NOT NULL,
    source TEXT NOT NULL DEFAULT 'cache',
    PRIMARY KEY (kind, key, ts)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_append_only BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE IF NOT EXISTS files_seen (
    digest TEXT PRIMARY KEY, name TEXT NOT NULL, ts REAL NOT NULL, records INTEGER NOT NULL);
"""

# Each batch goes in as one JSON array per table and one statement: sqlite3 releases and re-takes the GIL
# on every step, and with busy feed threads each re-take can wait a whole switch interval, so a per-row
# executemany starves the writer (and the GUI) under load.
INSERT_HISTORY = """
INSERT OR IGNORE INTO history (key, ts, value)
SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)
"""
UPSERT_LATEST = """
INSERT INTO latest (key, value, ts, source, unit, label, target, received)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
FROM json_each(?) WHERE true
ON CONFLICT(key) DO UPDATE SET value=excluded.value, ts=excluded.ts, source=excluded.source,
    unit=excluded.unit, label=excluded.label, target=excluded.target, received=excluded.received
WHERE excluded.ts >= latest.ts
"""
INSERT_ALERTS = """
INSERT OR IGNORE INTO alerts (id, key, severity, title, detail, ts, source, seq, extra, received, publisher, meta)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8, value ->> 9, value ->> 10, value ->> 11
FROM json_each(?)
"""
INSERT_EVENTS = """
INSERT OR IGNORE INTO events (kind, key, ts, data, received, source)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)
"""
INSERT_ACTIONS = """
INSERT OR IGNORE INTO alert_actions (id, alert_id, action, by, ts, source, text, data, received, published)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8, value ->> 9 FROM json_each(?)
"""
UPSERT_ALERT_STATE = """
INSERT INTO alert_state (id, identity, state, severity, first_seen, last_seen, ts, raised_at, data)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8 FROM json_each(?) WHERE true
ON CONFLICT(id) DO UPDATE SET identity=excluded.identity, state=excluded.state, severity=excluded.severity,
    first_seen=excluded.first_seen, last_seen=excluded.last_seen, ts=excluded.ts, data=excluded.data
"""
# Fields of an alert trigger added after the first schema: kept together in `meta`.
ALERT_META = ("title_en", "detail_en", "entity", "type", "domain", "location", "link", "rule", "clear")
UPSERT_SCENE = """
INSERT INTO scene_state (target, scene, layout, ts, by) VALUES (?, ?, ?, ?, ?)
ON CONFLICT(target) DO UPDATE SET scene=excluded.scene, layout=excluded.layout, ts=excluded.ts, by=excluded.by
WHERE excluded.ts >= scene_state.ts
"""


def _json_rows(rows: list[tuple]) -> str:
    return json.dumps(rows, ensure_ascii=False)


# Actions made on this console that the others cannot derive themselves: they have to be published.
# ("system" ones — raised, escalated… — every console derives alike, with the same ids.)
LOCAL_SOURCES = frozenset({"local", "notify"})


class CacheFull(RuntimeError):
    """The disk (or the configured page limit) is full; nothing of the batch was written."""


@dataclass(frozen=True, slots=True)
class StoreResult:
    new: int
    duplicates: int


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a cache written by an older version up to the current tables."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(alerts)")}
    if columns and "meta" not in columns:
        conn.execute("ALTER TABLE alerts ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    if columns and "source" not in columns:
        conn.execute("ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'cache'")


def alert_to_row(alert: Alert) -> tuple:
    data = {f: getattr(alert, f) for f in Alert.__slots__}
    data["severity"], data["state"] = alert.severity.value, alert.state.value
    return (alert.id, alert.identity, alert.state.value, alert.severity.value, alert.first_seen, alert.last_seen,
            alert.ts, alert.raised_at, json.dumps(data, ensure_ascii=False))


def alert_from_data(text: str) -> Alert:
    data = json.loads(text)
    data["severity"], data["state"] = Severity(data["severity"]), AlertState(data["state"])
    if data.get("location") is not None:
        data["location"] = tuple(data["location"])
    return Alert(**data)


def _is_full(exc: sqlite3.Error) -> bool:
    return "full" in str(exc).lower()


class Cache:
    """One SQLite file; safe to call from several threads (a lock serialises the connection)."""

    def __init__(self, path: str | Path, history_points: int = 2000) -> None:
        self.path = Path(path)
        self.history_points = history_points
        self.moved_aside: Path | None = None
        self._lock = threading.RLock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = self._open()
        self._prune_due: dict[str, int] = {}

    # -- opening -----------------------------------------------------------------------------
    def _open(self) -> sqlite_utils.Database:
        try:
            return self._open_checked()
        except sqlite3.DatabaseError as exc:
            self.moved_aside = self._move_aside(str(exc))
            return self._open_checked()

    def _open_checked(self) -> sqlite_utils.Database:
        # Two processes use the file (the GUI reads, the ingest process writes): wait on locks, don't fail.
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {result}")
            db = sqlite_utils.Database(conn)
            db.enable_wal()
            conn.execute("PRAGMA synchronous=NORMAL")
            _migrate(conn)
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return db

    def _move_aside(self, why: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                part.rename(Path(str(target) + suffix))
        log.error("cache %s is corrupt (%s): moved aside to %s and rebuilt empty", self.path, why, target)
        return target

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    # -- writing -----------------------------------------------------------------------------
    def store(self, records: Iterable[Record]) -> StoreResult:
        """Commit a batch in one transaction; redelivered records are counted, not stored twice."""
        now = time.time()
        measurements: list[Measurement] = []
        alerts: list[AlertEvent] = []
        scenes: list[SceneCommand] = []
        events: list[Any] = []
        actions: list[AlertAction] = []
        states: dict[str, Alert] = {}
        for record in records:
            if isinstance(record, Measurement):
                measurements.append(record)
            elif isinstance(record, AlertEvent):
                alerts.append(record)
            elif isinstance(record, AlertAction):
                actions.append(record)
            elif isinstance(record, Alert):
                states[record.id] = record
            elif isinstance(record, SceneCommand):
                scenes.append(record)
            else:
                events.append(record)
        with self._lock:
            conn = self.db.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                before = conn.total_changes
                new = 0
                if measurements:
                    conn.execute(INSERT_HISTORY, (_json_rows([(m.key, m.ts, m.value) for m in measurements]),))
                    new = conn.total_changes - before
                    newest: dict[str, Measurement] = {}
                    for m in measurements:  # only the newest per key reaches `latest`
                        held = newest.get(m.key)
                        if held is None or m.ts >= held.ts:
                            newest[m.key] = m
                    conn.execute(UPSERT_LATEST, (_json_rows(
                        [(m.key, m.value, m.ts, m.source, m.unit, m.label, m.target, now) for m in newest.values()]),))
                if alerts:
                    before = conn.total_changes
                    conn.execute(INSERT_ALERTS, (_json_rows(
                        [(a.id, a.key, a.severity.value, a.title, a.detail, a.ts, a.source, a.seq,
                          json.dumps(a.extra, ensure_ascii=False), now, a.publisher,
                          json.dumps({f: getattr(a, f) for f in ALERT_META}, ensure_ascii=False))
                         for a in alerts]),))
                    new += conn.total_changes - before
                if actions:
                    before = conn.total_changes
                    conn.execute(INSERT_ACTIONS, (_json_rows(
                        [(a.id, a.alert_id, a.action, a.by, a.ts, a.source, a.text,
                          json.dumps(a.data, ensure_ascii=False), now, int(a.source not in LOCAL_SOURCES))
                         for a in actions]),))
                    new += conn.total_changes - before
                if states:
                    conn.execute(UPSERT_ALERT_STATE, (_json_rows(
                        [alert_to_row(alert) for alert in states.values()]),))
                    new += len(states)
                conn.executemany(UPSERT_SCENE, [
                    (s.target, s.scene, json.dumps(s.layout, ensure_ascii=False), s.ts, s.by) for s in scenes])
                new += len(scenes)
                if events:
                    before = conn.total_changes
                    conn.execute(INSERT_EVENTS, (_json_rows(
                        [(e.kind, e.key, e.ts, json.dumps(e.to_payload(), ensure_ascii=False), now, e.source)
                         for e in events]),))
                    new += conn.total_changes - before
                self._prune(conn, {m.key for m in measurements})
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if _is_full(exc):
                    raise CacheFull(str(exc)) from exc
                raise
        total = len(measurements) + len(alerts) + len(scenes) + len(events) + len(actions) + len(states)
        return StoreResult(new=new, duplicates=total - new)

    def _prune(self, conn: sqlite3.Connection, keys: set[str]) -> None:
        # Prune a series only every few hundred writes: the bound is soft but cheap.
        step = max(1, self.history_points // 10)
        for key in keys:
            count = self._prune_due.get(key, 0) + 1
            if count < step:
                self._prune_due[key] = count
                continue
            self._prune_due[key] = 0
            conn.execute(
                "DELETE FROM history WHERE key = ? AND ts < (SELECT ts FROM history WHERE key = ?"
                " ORDER BY ts DESC LIMIT 1 OFFSET ?)", (key, key, self.history_points - 1))

    def _write(self, sql: str, args: tuple, what: str) -> bool:
        """One small write from the GUI side; a full or broken disk is logged, never raised into the GUI."""
        with self._lock:
            try:
                self.db.conn.execute(sql, args)
                return True
            except sqlite3.Error as exc:
                log.error("could not record %s in the cache: %s", what, exc)
                return False

    def run(self, sql: str, args: tuple | dict = ()) -> list[tuple]:
        """One statement for a module that keeps its own table (e.g. the notification queue); raises sqlite3.Error."""
        with self._lock:
            return self.db.conn.execute(sql, args).fetchall()

    def reject(self, feed: str, origin: str, reason: str, sample: bytes | str) -> bool:
        text = sample.decode("utf-8", "replace") if isinstance(sample, bytes) else sample
        return self._write("INSERT INTO rejects (received, feed, origin, reason, sample) VALUES (?, ?, ?, ?, ?)",
                           (time.time(), feed, origin, reason, text[:200]), f"a rejected message from {feed}")

    def log_scene(self, action: str, scene: str, target: str, by: str, ts: float | None = None) -> bool:
        return self._write("INSERT INTO scene_log (ts, action, scene, target, by) VALUES (?, ?, ?, ?, ?)",
                           (ts or time.time(), action, scene, target, by), f"the scene {action} of {scene!r}")

    def save_scene(self, name: str, layout: dict[str, Any], by: str) -> bool:
        return self._write(
            "INSERT INTO saved_scenes (name, layout, by, ts) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE"
            " SET layout=excluded.layout, by=excluded.by, ts=excluded.ts",
            (name, json.dumps(layout, ensure_ascii=False), by, time.time()), f"the scene {name!r}")

    def saved_scenes(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            rows = self.db.conn.execute("SELECT name, layout FROM saved_scenes ORDER BY name").fetchall()
        return {name: json.loads(layout) for name, layout in rows}

    def file_seen(self, digest: str) -> bool:
        with self._lock:
            return self.db.conn.execute("SELECT 1 FROM files_seen WHERE digest = ?", (digest,)).fetchone() is not None

    def mark_file(self, digest: str, name: str, records: int) -> bool:
        return self._write("INSERT OR IGNORE INTO files_seen (digest, name, ts, records) VALUES (?, ?, ?, ?)",
                           (digest, name, time.time(), records), f"the file {name!r} as read")

    # -- reading -----------------------------------------------------------------------------
    def latest(self) -> dict[str, Measurement]:
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT key, value, ts, source, unit, label, target FROM latest").fetchall()
        return {r[0]: Measurement(key=r[0], value=r[1], ts=r[2], source=r[3], unit=r[4], label=r[5], target=r[6])
                for r in rows}

    def history(self, key: str, since: float = 0.0, limit: int | None = None) -> list[tuple[float, float]]:
        limit = limit or self.history_points
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT ts, value FROM history WHERE key = ? AND ts >= ? ORDER BY ts DESC LIMIT ?",
                (key, since, limit)).fetchall()
        return rows[::-1]

    def alerts(self, limit: int = 1000) -> list[AlertEvent]:
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT id, key, severity, title, ts, source, seq, detail, extra, publisher, meta FROM alerts"
                " ORDER BY ts DESC LIMIT ?", (limit,)).fetchall()
        return [_trigger(r) for r in rows]

    def known_ids(self, table: str, ids: list[str]) -> set[str]:
        """Which of `ids` are already stored in `alerts` (triggers) or `alert_actions`."""
        if table not in ("alerts", "alert_actions") or not ids:
            return set()
        with self._lock:
            rows = self.db.conn.execute(f"SELECT id FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                                        (json.dumps(ids),)).fetchall()
        return {row[0] for row in rows}

    def alert_states(self, open_only: bool = False, limit: int = 5000) -> list[Alert]:
        """Alerts, newest activity first; `open_only` leaves out resolved and closed ones."""
        where = "WHERE state NOT IN ('resolved', 'closed')" if open_only else ""
        with self._lock:
            rows = self.db.conn.execute(
                f"SELECT data FROM alert_state {where} ORDER BY last_seen DESC LIMIT ?", (limit,)).fetchall()
        return [alert_from_data(row[0]) for row in rows]

    def alert_state(self, alert_id: str) -> Alert | None:
        with self._lock:
            row = self.db.conn.execute("SELECT data FROM alert_state WHERE id = ?", (alert_id,)).fetchone()
        return alert_from_data(row[0]) if row else None

    def alert_book_rows(self, since: float) -> list[Alert]:
        """Open alerts, and those resolved or closed since `since` (late repeats still fold into them)."""
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT data FROM alert_state WHERE state NOT IN ('resolved', 'closed') OR ts >= ?"
                " ORDER BY first_seen", (since,)).fetchall()
        return [alert_from_data(row[0]) for row in rows]

    def alert_history(self, alert_id: str) -> list[AlertAction]:
        """Everything that happened to one alert, oldest first."""
        return self.alert_histories([alert_id]).get(alert_id, [])

    def alert_histories(self, alert_ids: list[str], actions: tuple[str, ...] = ()) -> dict[str, list[AlertAction]]:
        """The histories of several alerts in one query (only `actions` kinds, if given), oldest first."""
        query = ("SELECT id, alert_id, action, by, ts, source, text, data FROM alert_actions"
                 " WHERE alert_id IN (SELECT value FROM json_each(?))")
        args: tuple = (json.dumps(alert_ids),)
        if actions:
            query += " AND action IN (SELECT value FROM json_each(?))"
            args += (json.dumps(actions),)
        with self._lock:
            rows = self.db.conn.execute(query + " ORDER BY ts, id", args).fetchall()
        histories: dict[str, list[AlertAction]] = {}
        for row in rows:
            histories.setdefault(row[1], []).append(_action(row))
        return histories

    def unpublished_actions(self, limit: int = 500) -> list[AlertAction]:
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT id, alert_id, action, by, ts, source, text, data FROM alert_actions WHERE published = 0"
                " ORDER BY ts LIMIT ?", (limit,)).fetchall()
        return [_action(row) for row in rows]

    def mark_published(self, action_id: str) -> bool:
        return self._write("UPDATE alert_actions SET published = 1 WHERE id = ?", (action_id,),
                           f"alert action {action_id} as published")

    def last_seq(self, publisher: str) -> int | None:
        """The highest alert sequence number stored from a publisher."""
        with self._lock:
            return self.db.conn.execute("SELECT max(seq) FROM alerts WHERE publisher = ?", (publisher,)).fetchone()[0]

    def events(self, kind: str, key: str | None = None, since: float = 0.0, limit: int = 100_000) -> list[Any]:
        """Stored records of a domain kind (e.g. vessel positions), oldest first, with the feed they came from."""
        cls = kind_class(kind)
        if cls is None:
            raise ValueError(f"no record type registered for kind {kind!r}")
        query = "SELECT data, source FROM events WHERE kind = ? AND ts >= ?" + (
            " AND key = ?" if key is not None else "")
        args = (kind, since, key) if key is not None else (kind, since)
        with self._lock:
            rows = self.db.conn.execute(query + " ORDER BY ts LIMIT ?", (*args, limit)).fetchall()
        return [cls.from_payload(json.loads(data), source) for data, source in rows]

    def latest_events(self, kind: str) -> list[Any]:
        """The newest stored record of each key of a kind (last-known positions for an offline start)."""
        cls = kind_class(kind)
        if cls is None:
            raise ValueError(f"no record type registered for kind {kind!r}")
        with self._lock:
            # One ordered pass over the primary key; SQLite takes the bare `data` from the max(ts) row.
            rows = self.db.conn.execute(
                "SELECT data, source, max(ts) FROM events WHERE kind = ? GROUP BY key", (kind,)).fetchall()
        return [cls.from_payload(json.loads(data), source) for data, source, _ in rows]

    def count(self, table: str) -> int:
        if table not in {"latest", "history", "alerts", "rejects", "scene_log", "files_seen", "events", "alert_state",
                         "alert_actions"}:
            raise ValueError(f"no table {table!r}")
        with self._lock:
            return self.db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def scene_for(self, target: str) -> SceneCommand | None:
        with self._lock:
            row = self.db.conn.execute(
                "SELECT target, scene, layout, ts, by FROM scene_state WHERE target = ?", (target,)).fetchone()
        if row is None:
            return None
        return SceneCommand(target=row[0], scene=row[1], layout=json.loads(row[2]), ts=row[3], source="cache",
                            by=row[4])

    def scene_log(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.db.conn.execute("SELECT ts, action, scene, target, by FROM scene_log ORDER BY id").fetchall()
        return [dict(zip(("ts", "action", "scene", "target", "by"), r)) for r in rows]

    def rejects(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.db.conn.execute("SELECT received, feed, origin, reason FROM rejects ORDER BY id").fetchall()
        return [dict(zip(("received", "feed", "origin", "reason"), r)) for r in rows]


def _action(row: tuple) -> AlertAction:
    return AlertAction(id=row[0], alert_id=row[1], action=row[2], by=row[3], ts=row[4], source=row[5], text=row[6],
                       data=json.loads(row[7]))


def _trigger(row: tuple) -> AlertEvent:
    meta = json.loads(row[10])
    if meta.get("location") is not None:
        meta["location"] = tuple(meta["location"])
    return AlertEvent(id=row[0], key=row[1], severity=Severity(row[2]), title=row[3], ts=row[4], source=row[5],
                      seq=row[6], detail=row[7], extra=json.loads(row[8]), publisher=row[9], **meta)
