"""What the sources leave besides records: messages refused with their reason (`rejects`, the dead-letter
table) and the drop-folder files already read (`files_seen`)."""

from __future__ import annotations

import time
from typing import Any

from feeds.store.base import StoreBase


class IntakeStore(StoreBase):
    def reject(self, feed: str, origin: str, reason: str, sample: bytes | str) -> bool:
        text = sample.decode("utf-8", "replace") if isinstance(sample, bytes) else sample
        return self._write("INSERT INTO rejects (received, feed, origin, reason, sample) VALUES (?, ?, ?, ?, ?)",
                           (time.time(), feed, origin, reason, text[:200]), f"a rejected message from {feed}")


    def file_seen(self, digest: str) -> bool:
        with self._lock:
            return self.db.conn.execute("SELECT 1 FROM files_seen WHERE digest = ?", (digest,)).fetchone() is not None

    def mark_file(self, digest: str, name: str, records: int) -> bool:
        return self._write("INSERT OR IGNORE INTO files_seen (digest, name, ts, records) VALUES (?, ?, ?, ?)",
                           (digest, name, time.time(), records), f"the file {name!r} as read")


    def rejects(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.db.conn.execute("SELECT received, feed, origin, reason FROM rejects ORDER BY id").fetchall()
        return [dict(zip(("received", "feed", "origin", "reason"), r)) for r in rows]


