"""Opening the SQLite file: integrity check, WAL, durability, migrations; a damaged file is moved aside.

Only a failed integrity check (or a file that is not a database) moves a file aside. A database that is
locked, busy or cannot be opened (permissions, a missing folder, a full disk) raises StoreUnavailable
and is left as it is: another process may be using it, and it may hold data nobody else has."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import sqlite_utils

from feeds.core.domain import Domain
from feeds.store.migrations import SchemaTooNew, migrate

log = logging.getLogger(__name__)

Synchronous = Literal["FULL", "NORMAL"]


class StoreUnavailable(RuntimeError):
    """The file exists but cannot be used now (locked, busy, unreadable): nothing was moved or changed."""


class Damaged(sqlite3.DatabaseError):
    """The integrity check failed."""


def open_database(path: Path, synchronous: Synchronous, domains: Sequence[Domain], busy_timeout_s: float = 10.0
                  ) -> tuple[sqlite_utils.Database, Path | None]:
    """The database, and where a damaged earlier file was moved (None if it was sound)."""
    try:
        return _open_checked(path, synchronous, domains, busy_timeout_s), None
    except (sqlite3.OperationalError, SchemaTooNew) as exc:  # locked, busy, cannot open, newer: never "corrupt"
        raise StoreUnavailable(f"cache {path} cannot be used: {exc}") from exc
    except sqlite3.DatabaseError as exc:  # failed integrity check, "file is not a database", malformed
        moved = _move_aside(path, str(exc))
    try:
        return _open_checked(path, synchronous, domains, busy_timeout_s), moved
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(f"cache {path} cannot be rebuilt: {exc}") from exc


def _open_checked(path: Path, synchronous: Synchronous, domains: Sequence[Domain], busy_timeout_s: float
                  ) -> sqlite_utils.Database:
    # Two processes use the file (the GUI reads, the ingest process writes): wait on locks, don't fail.
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=busy_timeout_s)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise Damaged(f"quick_check: {result}")
        db = sqlite_utils.Database(conn)
        db.enable_wal()
        # FULL: a commit is on disk before it returns, so what the ingest process acknowledges to the broker
        # survives a power cut. NORMAL (WAL): durable across a crash of the program, not of the machine.
        conn.execute(f"PRAGMA synchronous={synchronous}")
        migrate(conn, domains)
    except BaseException:
        conn.close()
        raise
    return db


def _move_aside(path: Path, why: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            part.rename(Path(str(target) + suffix))
    log.error("cache %s is corrupt (%s): moved aside to %s and rebuilt empty", path, why, target)
    return target
