"""The core tables of the store, as they were at schema version 1 (release 0.1.0)."""

from __future__ import annotations

TABLES_V1 = """
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

# Version 2: what retention removed, and when (audit-like tables are never pruned silently); and the
# schema version of each domain's own tables.
TABLES_V2 = """
CREATE TABLE IF NOT EXISTS store_log (
    id INTEGER PRIMARY KEY, ts REAL NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, rows INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS domain_versions (domain TEXT PRIMARY KEY, version INTEGER NOT NULL);
"""
