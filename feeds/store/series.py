"""Series: the newest value of every key (`latest`) and a bounded history per key (`history`)."""

from __future__ import annotations

import sqlite3

from feeds.core.records import Measurement
from feeds.store.base import StoreBase, json_rows

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


class SeriesStore(StoreBase):
    history_points: int
    _prune_due: dict[str, int]

    def _store_measurements(self, conn: sqlite3.Connection, measurements: list[Measurement], now: float) -> int:
        """Inside the batch's transaction; returns how many were new."""
        before = conn.total_changes
        conn.execute(INSERT_HISTORY, (json_rows([(m.key, m.ts, m.value) for m in measurements]),))
        new = conn.total_changes - before
        newest: dict[str, Measurement] = {}
        for m in measurements:  # only the newest per key reaches `latest`
            held = newest.get(m.key)
            if held is None or m.ts >= held.ts:
                newest[m.key] = m
        conn.execute(UPSERT_LATEST, (json_rows(
            [(m.key, m.value, m.ts, m.source, m.unit, m.label, m.target, now) for m in newest.values()]),))
        self._prune(conn, set(newest))
        return new

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

