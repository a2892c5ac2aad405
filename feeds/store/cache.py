"""The offline cache: one SQLite file (WAL) holding the stores of every concern, written in batches."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feeds.core.domain import Domain, domains
from feeds.core.records import Alert, AlertAction, AlertEvent, Measurement, Record, SceneCommand
from feeds.store.alerts import AlertStore
from feeds.store.base import CacheFull, is_full
from feeds.store.database import Synchronous, open_database
from feeds.store.events import EventStore
from feeds.store.intake import IntakeStore
from feeds.store.retention import RetentionPolicy, prune
from feeds.store.scenes import SceneStore
from feeds.store.series import SeriesStore

log = logging.getLogger(__name__)

TABLES = frozenset({"latest", "history", "alerts", "rejects", "scene_log", "files_seen", "events", "alert_state",
                    "alert_actions", "store_log"})


@dataclass(frozen=True, slots=True)
class StoreResult:
    new: int
    duplicates: int


class Cache(SeriesStore, AlertStore, SceneStore, IntakeStore, EventStore):
    """One SQLite file; safe to call from several threads (a lock serialises the connection).

    `synchronous="FULL"` for the ingest process, whose commits are acknowledged to the broker; the GUI's
    own small writes use NORMAL. The domains' tables and migrations come from the domain registry."""

    def __init__(self, path: str | Path, history_points: int = 2000, synchronous: Synchronous = "NORMAL",
                 with_domains: Sequence[Domain] | None = None, busy_timeout_s: float = 10.0) -> None:
        self.path = Path(path)
        self.history_points = history_points
        self.domains = list(domains() if with_domains is None else with_domains)
        self._lock = threading.RLock()
        self._prune_due: dict[str, int] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db, self.moved_aside = open_database(self.path, synchronous, self.domains, busy_timeout_s)

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    def store(self, records: Iterable[Record]) -> StoreResult:
        """Commit a batch in one transaction; redelivered records are counted, not stored twice."""
        now = time.time()
        measurements: list[Measurement] = []
        triggers: list[AlertEvent] = []
        scenes: list[SceneCommand] = []
        events: list[Any] = []
        actions: list[AlertAction] = []
        states: dict[str, Alert] = {}
        for record in records:
            if isinstance(record, Measurement):
                measurements.append(record)
            elif isinstance(record, AlertEvent):
                triggers.append(record)
            elif isinstance(record, AlertAction):
                actions.append(record)
            elif isinstance(record, Alert):
                states[record.id] = record
            elif isinstance(record, SceneCommand):
                scenes.append(record)
            else:
                events.append(record)
        with self._lock:
            conn = self.db.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                new = self._store_measurements(conn, measurements, now) if measurements else 0
                new += self._store_alerts(conn, triggers, actions, states, now)
                new += self._store_scenes(conn, scenes) if scenes else 0
                new += self._store_events(conn, events, now) if events else 0
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if is_full(exc):
                    raise CacheFull(str(exc)) from exc
                raise
        total = len(measurements) + len(triggers) + len(scenes) + len(events) + len(actions) + len(states)
        return StoreResult(new=new, duplicates=total - new)

    def apply_retention(self, policy: RetentionPolicy, now: float | None = None) -> dict[str, int]:
        """Prune what is older than the policy keeps; returns rows removed per rule."""
        return prune(self.db.conn, self._lock, policy, self.domains, now)

    def count(self, table: str) -> int:
        if table not in TABLES and not any(table in d.retention for d in self.domains):
            raise ValueError(f"no table {table!r}")
        with self._lock:
            return int(self.db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def schema_versions(self) -> dict[str, int]:
        """The core schema version ("core") and each domain's."""
        with self._lock:
            versions = dict(self.db.conn.execute("SELECT domain, version FROM domain_versions").fetchall())
            versions["core"] = int(self.db.conn.execute("PRAGMA user_version").fetchone()[0])
        return versions
