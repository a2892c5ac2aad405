"""Alerts: triggers as they arrived (`alerts`), each alert's state (`alert_state`) and its append-only
history of actions (`alert_actions`, the audit trail of who did what)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from feeds.core.records import Alert, AlertAction, AlertEvent, AlertState, Severity
from feeds.store.base import StoreBase, json_rows

INSERT_ALERTS = """
INSERT OR IGNORE INTO alerts (id, key, severity, title, detail, ts, source, seq, extra, received, publisher, meta)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8, value ->> 9, value ->> 10, value ->> 11
FROM json_each(?)
"""
INSERT_ACTIONS = """
INSERT OR IGNORE INTO alert_actions (id, alert_id, action, by, ts, source, text, data, received, published)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8, value ->> 9 FROM json_each(?)
"""
UPSERT_ALERT_STATE = """
INSERT INTO alert_state (id, identity, state, severity, first_seen, last_seen, ts, raised_at, data)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8 FROM json_each(?) WHERE true
ON CONFLICT(id) DO UPDATE SET identity=excluded.identity, state=excluded.state, severity=excluded.severity,
    first_seen=excluded.first_seen, last_seen=excluded.last_seen, ts=excluded.ts, data=excluded.data
"""
# Fields of an alert trigger added after the first schema: kept together in `meta`.
ALERT_META = ("title_en", "detail_en", "entity", "type", "domain", "location", "link", "rule", "clear")

# Actions made on this console that the others cannot derive themselves: they have to be published.
# ("system" ones — raised, escalated… — every console derives alike, with the same ids.)
LOCAL_SOURCES = frozenset({"local", "notify"})


def alert_to_row(alert: Alert) -> tuple[Any, ...]:
    data = {f: getattr(alert, f) for f in Alert.__slots__}
    data["severity"], data["state"] = alert.severity.value, alert.state.value
    return (alert.id, alert.identity, alert.state.value, alert.severity.value, alert.first_seen, alert.last_seen,
            alert.ts, alert.raised_at, json.dumps(data, ensure_ascii=False))


def alert_from_data(text: str) -> Alert:
    data = json.loads(text)
    data["severity"], data["state"] = Severity(data["severity"]), AlertState(data["state"])
    if data.get("location") is not None:
        data["location"] = tuple(data["location"])
    return Alert(**data)




class AlertStore(StoreBase):
    def _store_alerts(self, conn: sqlite3.Connection, triggers: list[AlertEvent], actions: list[AlertAction],
                      states: dict[str, Alert], now: float) -> int:
        """Inside the batch's transaction; returns how many were new."""
        new = 0
        if triggers:
            before = conn.total_changes
            conn.execute(INSERT_ALERTS, (json_rows(
                [(a.id, a.key, a.severity.value, a.title, a.detail, a.ts, a.source, a.seq,
                  json.dumps(a.extra, ensure_ascii=False), now, a.publisher,
                  json.dumps({f: getattr(a, f) for f in ALERT_META}, ensure_ascii=False))
                 for a in triggers]),))
            new += conn.total_changes - before
        if actions:
            before = conn.total_changes
            conn.execute(INSERT_ACTIONS, (json_rows(
                [(a.id, a.alert_id, a.action, a.by, a.ts, a.source, a.text,
                  json.dumps(a.data, ensure_ascii=False), now, int(a.source not in LOCAL_SOURCES))
                 for a in actions]),))
            new += conn.total_changes - before
        if states:
            conn.execute(UPSERT_ALERT_STATE, (json_rows([alert_to_row(alert) for alert in states.values()]),))
            new += len(states)
        return new

    def alerts(self, limit: int = 1000) -> list[AlertEvent]:
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT id, key, severity, title, ts, source, seq, detail, extra, publisher, meta FROM alerts"
                " ORDER BY ts DESC LIMIT ?", (limit,)).fetchall()
        return [_trigger(r) for r in rows]

    def known_ids(self, table: str, ids: list[str]) -> set[str]:
        """Which of `ids` are already stored in `alerts` (triggers) or `alert_actions`."""
        if table not in ("alerts", "alert_actions") or not ids:
            return set()
        with self._lock:
            rows = self.db.conn.execute(f"SELECT id FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                                        (json.dumps(ids),)).fetchall()
        return {row[0] for row in rows}

    def alert_states(self, open_only: bool = False, limit: int = 5000) -> list[Alert]:
        """Alerts, newest activity first; `open_only` leaves out resolved and closed ones."""
        where = "WHERE state NOT IN ('resolved', 'closed')" if open_only else ""
        with self._lock:
            rows = self.db.conn.execute(
                f"SELECT data FROM alert_state {where} ORDER BY last_seen DESC LIMIT ?", (limit,)).fetchall()
        return [alert_from_data(row[0]) for row in rows]

    def alert_state(self, alert_id: str) -> Alert | None:
        with self._lock:
            row = self.db.conn.execute("SELECT data FROM alert_state WHERE id = ?", (alert_id,)).fetchone()
        return alert_from_data(row[0]) if row else None

    def alert_book_rows(self, since: float) -> list[Alert]:
        """Open alerts, and those resolved or closed since `since` (late repeats still fold into them)."""
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT data FROM alert_state WHERE state NOT IN ('resolved', 'closed') OR ts >= ?"
                " ORDER BY first_seen", (since,)).fetchall()
        return [alert_from_data(row[0]) for row in rows]

    def alert_history(self, alert_id: str) -> list[AlertAction]:
        """Everything that happened to one alert, oldest first."""
        return self.alert_histories([alert_id]).get(alert_id, [])

    def alert_histories(self, alert_ids: list[str], actions: tuple[str, ...] = ()) -> dict[str, list[AlertAction]]:
        """The histories of several alerts in one query (only `actions` kinds, if given), oldest first."""
        query = ("SELECT id, alert_id, action, by, ts, source, text, data FROM alert_actions"
                 " WHERE alert_id IN (SELECT value FROM json_each(?))")
        args: tuple[str, ...] = (json.dumps(alert_ids),)
        if actions:
            query += " AND action IN (SELECT value FROM json_each(?))"
            args += (json.dumps(actions),)
        with self._lock:
            rows = self.db.conn.execute(query + " ORDER BY ts, id", args).fetchall()
        histories: dict[str, list[AlertAction]] = {}
        for row in rows:
            histories.setdefault(row[1], []).append(_action(row))
        return histories

    def unpublished_actions(self, limit: int = 500) -> list[AlertAction]:
        with self._lock:
            rows = self.db.conn.execute(
                "SELECT id, alert_id, action, by, ts, source, text, data FROM alert_actions WHERE published = 0"
                " ORDER BY ts LIMIT ?", (limit,)).fetchall()
        return [_action(row) for row in rows]

    def mark_published(self, action_id: str) -> bool:
        return self._write("UPDATE alert_actions SET published = 1 WHERE id = ?", (action_id,),
                           f"alert action {action_id} as published")

    def last_seq(self, publisher: str) -> int | None:
        """The highest alert sequence number stored from a publisher."""
        with self._lock:
            value = self.db.conn.execute("SELECT max(seq) FROM alerts WHERE publisher = ?", (publisher,)).fetchone()[0]
        return None if value is None else int(value)



def _action(row: tuple[Any, ...]) -> AlertAction:
    return AlertAction(id=row[0], alert_id=row[1], action=row[2], by=row[3], ts=row[4], source=row[5], text=row[6],
                       data=json.loads(row[7]))


def _trigger(row: tuple[Any, ...]) -> AlertEvent:
    meta = json.loads(row[10])
    if meta.get("location") is not None:
        meta["location"] = tuple(meta["location"])
    return AlertEvent(id=row[0], key=row[1], severity=Severity(row[2]), title=row[3], ts=row[4], source=row[5],
                      seq=row[6], detail=row[7], extra=json.loads(row[8]), publisher=row[9], **meta)

