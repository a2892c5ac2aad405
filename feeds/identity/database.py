"""The identity database (accounts, failed sign-ins, the audit trail): one SQLite file, apart from the cache.

It is never moved aside or rebuilt like the cache: it holds the only copy of the accounts and the audit trail.
A file that cannot be opened or fails its integrity check raises IdentityUnavailable and is left untouched.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import platformdirs

from feeds.store.authority import open_authority
from feeds.store.database import StoreUnavailable

SCHEMA_VERSION = 1

# An audit entry after its sequence number (feeds/identity/audit.py COLUMNS, in this order).
ENTRY_COLUMNS = ("ts REAL NOT NULL, actor TEXT NOT NULL, unit TEXT NOT NULL, terminal TEXT NOT NULL, "
                 "action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL, "
                 "prev TEXT NOT NULL, hash TEXT NOT NULL")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,          -- case-folded sign-in name
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit TEXT NOT NULL,
    hash TEXT NOT NULL,             -- argon2id PHC string
    pin_hash TEXT,                  -- to resume a locked screen (optional)
    source TEXT NOT NULL DEFAULT 'local',   -- local, or directory (credentials kept for offline sign-in)
    locked INTEGER NOT NULL DEFAULT 0,      -- locked by an administrator
    created REAL NOT NULL,
    changed REAL NOT NULL
);
-- Failed sign-ins are counted per name, whether an account has it or not: the answers cannot tell them apart.
CREATE TABLE IF NOT EXISTS failures (
    name TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, {entry});
CREATE INDEX IF NOT EXISTS audit_ts ON audit(ts);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- The site-wide trail kept by the collector: every terminal's chain, as published.
CREATE TABLE IF NOT EXISTS site_audit (chain TEXT NOT NULL, seq INTEGER NOT NULL, {entry},
    received REAL NOT NULL, PRIMARY KEY (chain, seq));
CREATE TRIGGER IF NOT EXISTS site_audit_no_update BEFORE UPDATE ON site_audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS site_audit_no_delete BEFORE DELETE ON site_audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


class IdentityUnavailable(RuntimeError):
    """The identity database cannot be used; nothing was changed."""


def default_identity_path() -> Path:
    return Path(platformdirs.user_data_dir("controlroom")) / "identity.sqlite"


def open_identity(path: Path) -> sqlite3.Connection:
    """The database at PATH (created with its schema when new), in autocommit mode for explicit transactions."""
    try:
        conn = open_authority(path, SCHEMA.replace("{entry}", ENTRY_COLUMNS), SCHEMA_VERSION, "identity database")
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('chain', ?)", (uuid.uuid4().hex,))
    except (StoreUnavailable, sqlite3.Error) as exc:
        raise IdentityUnavailable(str(exc)) from exc
    return conn


def chain_id(conn: sqlite3.Connection) -> str:
    """This database's audit chain: site-wide, entries are told apart by (chain, seq)."""
    return str(conn.execute("SELECT value FROM meta WHERE key = 'chain'").fetchone()[0])


def fork_chain(conn: sqlite3.Connection) -> str:
    """After a restore: a new chain id, published again from its first entry, so the collector keeps both the
    old chain and the restored one instead of mistaking one for the other."""
    new = uuid.uuid4().hex
    conn.execute("UPDATE meta SET value = ? WHERE key = 'chain'", (new,))
    conn.execute("DELETE FROM meta WHERE key = 'published_seq'")
    return new
