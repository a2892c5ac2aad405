"""Retention: every growing table is pruned by age as configured, open alerts never, and never silently."""

from __future__ import annotations

import logging

from feeds.core.records import Alert, AlertAction, AlertState, Severity
from feeds.fleet.records import VesselPosition
from feeds.store.retention import DAY_S, RetentionPolicy

NOW = 1_790_000_000.0
OLD = NOW - 40 * DAY_S
RECENT = NOW - 2 * DAY_S


def alert(alert_id: str, state: AlertState, last_seen: float) -> Alert:
    return Alert(id=alert_id, identity=f"{alert_id}|t", domain="air", type="t", entity=alert_id,
                 severity=Severity.WARNING, title="x", title_en="x", detail="", detail_en="", first_seen=last_seen,
                 last_seen=last_seen, count=1, state=state, ts=last_seen, source="test")


def test_old_rows_go_recent_and_open_ones_stay_and_each_prune_is_recorded(cache, caplog):
    cache.store([VesselPosition("vessel/TH-1", OLD, "fleet", 19.5, 106.0),
                 VesselPosition("vessel/TH-1", RECENT, "fleet", 19.6, 106.1),
                 alert("closed-old", AlertState.CLOSED, OLD), alert("open-old", AlertState.RAISED, OLD),
                 alert("closed-recent", AlertState.CLOSED, RECENT),
                 AlertAction("a1", "closed-old", "close", "an", OLD), AlertAction("a2", "open-old", "ack", "an", OLD)])
    cache.log_scene("push", "s", "wall-1/0", "an", ts=OLD)
    cache.log_scene("push", "s", "wall-1/0", "an", ts=RECENT)
    policy = RetentionPolicy({"events": 30, "alerts": 30, "scene_log": 30, "rejects": 30})
    with caplog.at_level(logging.INFO):
        removed = cache.apply_retention(policy, now=NOW)
    assert removed == {"events": 1, "alerts": 2, "scene_log": 1}  # the closed alert and its one action
    assert [p.ts for p in cache.events("vessel")] == [RECENT]
    assert {a.id for a in cache.alert_states()} == {"open-old", "closed-recent"}
    assert [a.id for a in cache.alert_history("open-old")] == ["a2"]  # an open alert keeps its history
    assert [e["ts"] for e in cache.scene_log()] == [RECENT]
    logged = cache.run("SELECT action, target, rows, detail FROM store_log ORDER BY target")
    assert logged == [("retention", table, rows, "older than 30 days")
                      for table, rows in (("alerts", 2), ("events", 1), ("scene_log", 1))]
    assert "2 rows of alerts older than 30 days removed" in caplog.text
    assert any(r.levelno == logging.WARNING and "scene_log" in r.getMessage() for r in caplog.records)
    assert cache.apply_retention(policy, now=NOW) == {}  # nothing more: nothing logged


def test_zero_keeps_forever(cache):
    cache.store([VesselPosition("vessel/TH-1", OLD, "fleet", 19.5, 106.0)])
    assert cache.apply_retention(RetentionPolicy({"events": 0}), now=NOW + 3650 * DAY_S) == {}
    assert cache.count("events") == 1


def test_a_domain_table_is_pruned_by_the_rule_its_domain_declares(cache):
    cache.run("INSERT INTO deliveries (id, alert_id, channel, reason, subject, body, short, payload, next_try, created,"
              " updated) VALUES ('d1', 'a', 'email', 'raised', 's', 'b', 'x', '{}', 0, ?, ?)", (OLD, OLD))
    assert cache.apply_retention(RetentionPolicy({"deliveries": 30}), now=NOW) == {"deliveries": 1}
