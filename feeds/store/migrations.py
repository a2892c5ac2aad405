"""Versioned schema: the core tables by `PRAGMA user_version`, each domain's tables in `domain_versions`.

Migrations run in order, each in its own transaction, when a store is opened; a cache made by an older
release is brought up to date, one written by a newer release is refused (never silently downgraded)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from feeds.core.domain import Domain
from feeds.store.schema import TABLES_V1, TABLES_V2

log = logging.getLogger(__name__)


class SchemaTooNew(RuntimeError):
    """The file was written by a newer release of the program."""


def _version_1(conn: sqlite3.Connection) -> None:
    """The tables of release 0.1.0; caches from before it lack two columns added during its development."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(alerts)")}
    if columns and "meta" not in columns:
        conn.execute("ALTER TABLE alerts ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    if columns and "source" not in columns:
        conn.execute("ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'cache'")
    _script(conn, TABLES_V1)


def _version_2(conn: sqlite3.Connection) -> None:
    _script(conn, TABLES_V2)


@dataclass(frozen=True)
class CoreMigration:
    version: int
    apply: Callable[[sqlite3.Connection], None]


CORE_MIGRATIONS: tuple[CoreMigration, ...] = (CoreMigration(1, _version_1), CoreMigration(2, _version_2))
SCHEMA_VERSION = CORE_MIGRATIONS[-1].version


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run a multi-statement script inside the caller's transaction (executescript would commit it)."""
    for statement in _statements(sql):
        conn.execute(statement)


def _statements(sql: str) -> list[str]:
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def core_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _domain_version(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT version FROM domain_versions WHERE domain = ?", (name,)).fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, domains: Sequence[Domain] = ()) -> list[str]:
    """Apply what is missing; returns what was applied ("core 2", "alerts 1"…). Raises SchemaTooNew."""
    applied: list[str] = []
    current = core_version(conn)
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(f"the cache has schema version {current}; this release knows up to {SCHEMA_VERSION}")
    for step in CORE_MIGRATIONS:
        if step.version <= current:
            continue
        with _transaction(conn):  # versions are read again under the write lock: another process may be first
            if core_version(conn) < step.version:
                step.apply(conn)
                conn.execute(f"PRAGMA user_version = {step.version}")
                applied.append(f"core {step.version}")
    versions = dict(conn.execute("SELECT domain, version FROM domain_versions").fetchall())
    for domain in domains:
        for migration in sorted(domain.migrations, key=lambda m: m.version):
            if migration.version <= versions.get(domain.name, 0):
                continue
            with _transaction(conn):
                if _domain_version(conn, domain.name) < migration.version:
                    _script(conn, migration.sql)
                    conn.execute("INSERT INTO domain_versions (domain, version) VALUES (?, ?) ON CONFLICT(domain)"
                                 " DO UPDATE SET version = excluded.version", (domain.name, migration.version))
                    applied.append(f"{domain.name} {migration.version}")
    if applied:
        log.info("cache schema brought up to date: %s", ", ".join(applied))
    return applied


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
