"""Opening a SQLite file that holds the only copy of what it keeps (accounts, audit, meetings, ballots).

Unlike the cache, such a file is never moved aside or rebuilt: one that cannot be opened, fails its integrity
check or was written by a newer release raises StoreUnavailable and is left exactly as it was."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from feeds.store.database import StoreUnavailable


def open_authority(path: Path, schema: str, version: int, what: str) -> sqlite3.Connection:
    """The database at PATH, created with SCHEMA when new, in autocommit mode for explicit transactions."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    except (OSError, sqlite3.Error) as exc:
        raise StoreUnavailable(f"{what} {path} cannot be opened: {exc}") from exc
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > version:
            raise sqlite3.DatabaseError(f"schema version {found} is newer than this program's {version}")
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a crash of the program; a power cut may lose the last moments.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(schema)
        if found != version:
            conn.execute(f"PRAGMA user_version={version}")
    except sqlite3.Error as exc:
        conn.close()
        raise StoreUnavailable(f"{what} {path} cannot be used: {exc}") from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, lock: threading.RLock) -> Iterator[sqlite3.Connection]:
    """One `BEGIN IMMEDIATE` transaction under LOCK (the connection is shared by threads): committed when the
    block ends, rolled back on any exception."""
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
