"""What every store of the cache shares: one connection, one lock, guarded small writes."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from typing import Any

import sqlite_utils

log = logging.getLogger(__name__)


class CacheFull(RuntimeError):
    """The disk (or the configured page limit) is full; nothing of the batch was written."""


def is_full(exc: sqlite3.Error) -> bool:
    return "full" in str(exc).lower()


def json_rows(rows: list[tuple[Any, ...]]) -> str:
    return json.dumps(rows, ensure_ascii=False)


class StoreBase:
    """One SQLite connection shared by the stores mixed into `Cache`; safe from several threads."""

    db: sqlite_utils.Database
    _lock: threading.RLock

    def _write(self, sql: str, args: tuple[Any, ...], what: str) -> bool:
        """One small write from the GUI side; a full or broken disk is logged, never raised into the GUI."""
        with self._lock:
            try:
                self.db.conn.execute(sql, args)
                return True
            except sqlite3.Error as exc:
                log.error("could not record %s in the cache: %s", what, exc)
                return False

    def run(self, sql: str, args: tuple[Any, ...] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """One statement for a module that keeps its own table (e.g. the notification queue); raises sqlite3.Error."""
        with self._lock:
            return list(self.db.conn.execute(sql, args).fetchall())
