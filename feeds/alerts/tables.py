"""The alert domain's own tables (beyond the core alert tables of the store), as ordered migrations."""

from __future__ import annotations

from feeds.core.domain import Migration

# The notification queue (feeds.alerts.notify): one row per (alert, channel, reason), retried until done.
DELIVERIES = Migration(1, """
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, channel TEXT NOT NULL, reason TEXT NOT NULL,
    subject TEXT NOT NULL, body TEXT NOT NULL, short TEXT NOT NULL, payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_try REAL NOT NULL,
    last_error TEXT NOT NULL DEFAULT '', done TEXT NOT NULL DEFAULT '[]',
    created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (channel, state, next_try);
""")
MIGRATIONS = (DELIVERIES,)
