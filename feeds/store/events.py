"""Records of the domains' own kinds (vessel positions, geofence states…), append-only in `events`."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from feeds.core.payloads import kind_class
from feeds.store.base import StoreBase, json_rows

INSERT_EVENTS = """
INSERT OR IGNORE INTO events (kind, key, ts, data, received, source)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)
"""


class EventStore(StoreBase):
    def _store_events(self, conn: sqlite3.Connection, events: list[Any], now: float) -> int:
        before = conn.total_changes
        conn.execute(INSERT_EVENTS, (json_rows(
            [(e.kind, e.key, e.ts, json.dumps(e.to_payload(), ensure_ascii=False), now, e.source) for e in events]),))
        return int(conn.total_changes - before)

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

