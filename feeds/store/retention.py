"""How long the tables that grow keep their rows, and the pruning that applies it.

Every table that grows has a rule: by age in days, from the `[cache.retention]` configuration (with the
defaults below), or from the domain that owns the table. `history` is bounded per key instead
(`[cache] history_points`). Each prune is logged, and recorded in `store_log` with its row count and cutoff:
audit-like tables (alert history, scene log) are never pruned silently."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from feeds.core.config import SectionContext
from feeds.core.domain import Domain

log = logging.getLogger(__name__)
DAY_S = 86400.0

# Each rule: the DELETE, with `?` for the cutoff time. Alerts go only when resolved or closed; the actions
# and triggers of an alert go with it, never before.
CORE_RULES: dict[str, tuple[str, ...]] = {
    "events": ("DELETE FROM events WHERE ts < ?",),
    "alerts": (
        "DELETE FROM alert_state WHERE state IN ('resolved', 'closed') AND last_seen < ?",
        "DELETE FROM alert_actions WHERE ts < ? AND alert_id NOT IN (SELECT id FROM alert_state)",
        "DELETE FROM alerts WHERE ts < ?",
    ),
    "rejects": ("DELETE FROM rejects WHERE received < ?",),
    "scene_log": ("DELETE FROM scene_log WHERE ts < ?",),
    "files_seen": ("DELETE FROM files_seen WHERE ts < ?",),
    "store_log": ("DELETE FROM store_log WHERE ts < ?",),
}
DEFAULT_DAYS: dict[str, float] = {"events": 30, "alerts": 400, "rejects": 30, "scene_log": 400, "files_seen": 90,
                                  "store_log": 3650}
AUDIT_TABLES = frozenset({"alerts", "scene_log", "store_log"})


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep, per rule name (a core table group or a domain table); 0 keeps forever."""

    days: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DAYS))
    every_s: float = 3600.0


def parse_retention(table: Any, context: SectionContext, domains: Sequence[Domain]) -> RetentionPolicy:
    """`[cache.retention]`: days to keep per table group (0 keeps forever); errors name the key."""
    known = set(rules_for(domains))
    reader = context.reader(table, "cache.retention", known)
    days = {**domain_defaults(domains), **DEFAULT_DAYS}
    for name in reader.table:
        value = reader.get(name, (int, float), what="a number of days (0 keeps forever)")
        if not (value >= 0 and value == value and value != float("inf")):
            raise context.error(f"cache.retention.{name}", f"expected a number of days ≥ 0, got {value!r}")
        days[name] = float(value)
    return RetentionPolicy(days)


def rules_for(domains: Sequence[Domain]) -> dict[str, tuple[str, ...]]:
    rules = dict(CORE_RULES)
    for domain in domains:
        for table, column in domain.retention.items():
            rules[table] = (f"DELETE FROM {table} WHERE {column} < ?",)
    return rules


def domain_defaults(domains: Sequence[Domain], days: float = 90) -> dict[str, float]:
    return {table: days for domain in domains for table in domain.retention}


def prune(conn: sqlite3.Connection, lock: Any, policy: RetentionPolicy, domains: Sequence[Domain],
          now: float | None = None) -> dict[str, int]:
    """Apply the policy once; returns the rows removed per rule (only the rules that removed any)."""
    now = time.time() if now is None else now
    removed: dict[str, int] = {}
    rules = rules_for(domains)
    days = {**domain_defaults(domains), **DEFAULT_DAYS, **policy.days}
    for name, statements in rules.items():
        keep = days.get(name, 0)
        if not keep:
            continue
        cutoff = now - keep * DAY_S
        with lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = 0
                for statement in statements:
                    count += conn.execute(statement, (cutoff,)).rowcount
                if count:
                    conn.execute("INSERT INTO store_log (ts, action, target, rows, detail) VALUES (?, ?, ?, ?, ?)",
                                 (now, "retention", name, count, f"older than {keep:g} days"))
                conn.execute("COMMIT")
            except sqlite3.Error:
                conn.execute("ROLLBACK")
                raise
        if count:
            removed[name] = count
            (log.warning if name in AUDIT_TABLES else log.info)(
                "retention: %d rows of %s older than %g days removed (recorded in store_log)", count, name, keep)
    return removed
