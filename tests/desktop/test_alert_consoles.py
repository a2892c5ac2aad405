"""Alerts shared between consoles over a real Mosquitto: two consoles acknowledge one alert and agree."""

from __future__ import annotations

import json
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from desktop.config.loader import FeedConfig
from desktop.hub import FeedHub
from feeds.alerts.config import AlertsConfig, AlertSpec
from feeds.core.domain import processor_specs
from feeds.core.records import AlertAction, AlertState, LinkState
from feeds.store import Cache


def publish_alert(broker, alert_id: str) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"t-pub-{time.monotonic_ns()}")
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    payload = {"v": 1, "id": alert_id, "key": "camera/cam01/signal", "severity": "critical", "ts": time.time(),
               "title": "Camera Ngã tư Bà Triệu mất tín hiệu", "title_en": "Camera Ba Trieu crossroads lost",
               "link": "camera:cam01"}
    client.publish("ioc/v1/alert/camera/cam01/signal", json.dumps(payload), qos=1).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()


def console(broker, name: str, tmp_path: Path) -> tuple[FeedHub, Cache]:
    cache_path = tmp_path / f"{name}.sqlite"
    feeds = {"bus": FeedConfig("bus", f"{broker.url}/ioc/v1/#", {"client_id": f"t-console-{name}"})}
    processors = processor_specs({"alerts": AlertsConfig(spec=AlertSpec(feed="bus"))}, list(feeds.values()))
    hub = FeedHub(feeds, str(cache_path), role=name, processors=processors)
    hub.start()
    return hub, Cache(cache_path)


def state_of(cache: Cache, alert_id: str):
    return next((a for a in cache.alert_states() if a.id == alert_id), None)


def test_two_consoles_acknowledge_one_alert_and_agree_across_restarts(broker, app, qtbot, tmp_path):
    (hub_a, cache_a), (hub_b, cache_b) = console(broker, "a", tmp_path), console(broker, "b", tmp_path)
    qtbot.waitUntil(lambda: all(h.statuses["bus"].state is LinkState.CONNECTED for h in (hub_a, hub_b)),
                    timeout=20_000)
    publish_alert(broker, "cam01-lost-1")
    qtbot.waitUntil(lambda: state_of(cache_a, "cam01-lost-1") and state_of(cache_b, "cam01-lost-1"), timeout=10_000)
    now = time.time()
    hub_a.submit(AlertAction("a-ack", "cam01-lost-1", "ack", by="an", ts=now))
    hub_b.submit(AlertAction("b-ack", "cam01-lost-1", "ack", by="binh", ts=now + 0.2))
    both_acks = lambda c: {a.id for a in c.alert_history("cam01-lost-1")} >= {"a-ack", "b-ack"}  # noqa: E731
    qtbot.waitUntil(lambda: both_acks(cache_a) and both_acks(cache_b), timeout=10_000)
    qtbot.waitUntil(lambda: state_of(cache_b, "cam01-lost-1").acked_by == "an", timeout=5_000)
    a, b = state_of(cache_a, "cam01-lost-1"), state_of(cache_b, "cam01-lost-1")
    assert (a.state, a.acked_by) == (b.state, b.acked_by) == (AlertState.ACKNOWLEDGED, "an")

    hub_b.stop()  # console B goes away; A keeps working, and the broker keeps B's session
    hub_a.submit(AlertAction("a-assign", "cam01-lost-1", "assign", by="an", ts=now + 5, text="Đội kỹ thuật"))
    qtbot.waitUntil(lambda: cache_a.run("SELECT published FROM alert_actions WHERE id = 'a-assign'") == [(1,)],
                    timeout=10_000)
    broker.stop()  # and the broker restarts while A resolves it: the outbox publishes once it is back
    hub_a.submit(AlertAction("a-resolve", "cam01-lost-1", "resolve", by="an", ts=now + 6, text="Đã khởi động lại"))
    qtbot.waitUntil(lambda: state_of(cache_a, "cam01-lost-1").state is AlertState.RESOLVED, timeout=10_000)
    assert [a.id for a in cache_a.unpublished_actions()] == ["a-resolve"]
    broker.start()
    qtbot.waitUntil(lambda: not cache_a.unpublished_actions(), timeout=30_000)
    hub_b.start()
    qtbot.waitUntil(lambda: state_of(cache_b, "cam01-lost-1").state is AlertState.RESOLVED, timeout=30_000)
    b = state_of(cache_b, "cam01-lost-1")
    assert (b.assignee, b.acked_by) == ("Đội kỹ thuật", "an")
    history = cache_b.alert_history("cam01-lost-1")
    detail = [(x.action, x.ts, x.id, x.source) for x in history]
    assert sorted(x.action for x in history) == ["ack", "ack", "assign", "raised", "resolve"], detail
    assert [x.action for x in history][-2:] == ["assign", "resolve"], detail
    hub_a.stop()
    hub_b.stop()
