"""Alerts over a real Mosquitto: a burst across a broker restart, and two consoles working on one alert."""

from __future__ import annotations

import json
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from desktop.config import FeedConfig
from desktop.hub import FeedHub
from feeds.alert_book import AlertBook
from feeds.cache import Cache
from feeds.ingest import Ingestor
from feeds.ingest_worker import AlertSpec
from feeds.records import AlertAction, AlertState, LinkState
from feeds.sources.mqtt import MqttSource
from tests.support.restart import simulate_across_restart, wait_for


def test_a_burst_of_1000_alerts_across_a_broker_restart_is_stored_and_counted_exactly_once(broker, tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    ingestor = Ingestor(cache, deliver=lambda records: None)
    book = AlertBook(cache)
    ingestor.add_processor(book)
    ingestor.start()
    source = MqttSource("bus", f"{broker.url}/ioc/v1/alert/#", {"client_id": "t-storm"}, ingestor)
    source.start()
    wait_for(lambda: source.state.state == LinkState.CONNECTED, 10, "the subscriber to connect")
    out = simulate_across_restart(broker, source, "--alert-storm", "1000", "--storm-sources", "50",
                                  "--duration", "3", "--linger", "6")
    assert "published alerts: 1000" in out
    wait_for(lambda: cache.count("alerts") >= 1000, 30, lambda: f"1000 alerts, have {cache.count('alerts')}")
    rows = cache.run("SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM alerts")
    assert rows == [(1000, 1000, 1, 1000)]
    wait_for(lambda: cache.run("SELECT sum(json_extract(data, '$.count')) FROM alert_state")[0][0] == 1000, 10,
             "the alert counts to add up to 1000")
    states = cache.alert_states()
    assert len(states) == 50 and {a.count for a in states} == {20}  # one open alert per source, 20 triggers each
    assert book.open_count == 50
    source.stop()
    ingestor.stop()
    cache.close()


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
    hub = FeedHub(feeds, str(cache_path), role=name, alerts=AlertSpec(feed="bus"))
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
