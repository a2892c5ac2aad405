"""MQTT against a real Mosquitto on loopback: delivery, broker restarts, crashes, malformed payloads."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from desktop.config import FeedConfig
from desktop.hub import FeedHub
from desktop.layout import TileSpec, place
from desktop.tile_grid import TileGrid
from feeds.cache import Cache
from feeds.ingest import Ingestor
from feeds.records import LinkState
from feeds.sources.mqtt import MqttSource
from tests.support.restart import simulate_across_restart, wait_for
from widgets.tile import TileContext

ROOT = Path(__file__).resolve().parents[1]


def publisher(broker) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{time.monotonic_ns()}")
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


def alert_payload(seq: int) -> bytes:
    return json.dumps({"v": 1, "id": f"t-{seq}", "key": "docs/overdue", "severity": "warning",
                       "title": "Văn bản quá hạn", "ts": 1_790_000_000 + seq, "seq": seq}).encode()


def test_simulator_through_broker_reaches_cache_and_tile(broker, app, qtbot, tmp_path):
    cache = Cache(tmp_path / "op.sqlite")
    hub = FeedHub({"ioc": FeedConfig("ioc", f"{broker.url}/ioc/v1/#", {"client_id": "t-sim"})}, cache.path)
    grid = TileGrid(TileContext(language="en"), cache)
    qtbot.addWidget(grid)
    grid.apply(place("t", [TileSpec(type="indicator", title="Overdue", key="feedback/overdue",
                                    options={"decimals": 0})], preset="1"))
    hub.recordsArrived.connect(grid.dispatch)
    hub.start()
    sim = subprocess.run([sys.executable, "-m", "desktop.cli", "simulate", "--broker", broker.url,
                          "--seed", "3", "--speed", "36000", "--duration", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert sim.returncode == 0, sim.stderr
    assert "published indicators:" in sim.stdout
    tile = grid.tiles[0]
    qtbot.waitUntil(lambda: "feedback/overdue" in cache.latest(), timeout=10_000)
    expected = cache.latest()["feedback/overdue"]
    qtbot.waitUntil(lambda: tile.value_label.text() == f"{expected.value:.0f}", timeout=5_000)
    assert expected.source == "ioc"
    assert tile.last_ts == pytest.approx(expected.ts)
    hub.stop()
    cache.close()


def test_broker_restart_loses_no_alert_and_stores_none_twice(broker, tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    ingestor = Ingestor(cache, deliver=lambda records: None)
    ingestor.start()
    source = MqttSource("bus", f"{broker.url}/ioc/v1/alert/#", {"client_id": "t-restart"}, ingestor)
    source.start()
    wait_for(lambda: source.state.state == LinkState.CONNECTED, 10, "the subscriber to connect")
    out = simulate_across_restart(broker, source, "--speed", "1", "--alert-period", "0.02", "--duration", "5",
                                  "--linger", "6")
    published = int(next(line for line in out.splitlines() if line.startswith("published alerts:")).split(":")[1])
    assert published > 100
    wait_for(lambda: cache.count("alerts") >= published, 30,
             lambda: f"{published} alerts in the cache, have {cache.count('alerts')}, source {source.state}")
    seqs = [row[0] for row in cache.db.conn.execute("SELECT seq FROM alerts ORDER BY seq")]
    assert seqs == list(range(1, published + 1))
    source.stop()
    ingestor.stop()
    assert ingestor.counters.stored == published
    cache.close()


def test_killed_between_receipt_and_commit_gets_redelivered_once(broker, tmp_path):
    store = tmp_path / "crash.sqlite"
    address = f"{broker.url}/ioc/v1/alert/#"
    consumer = [sys.executable, "-m", "tests.support.consumer", "--address", address, "--client-id", "t-crash",
                "--cache", str(store)]
    crashing = subprocess.Popen([*consumer, "--crash-before-commit", "--timeout", "30"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert crashing.stdout.readline().strip() == "started"
    time.sleep(1.0)  # subscribed, so the broker keeps the session's messages
    pub = publisher(broker)
    for seq in range(1, 21):
        pub.publish("ioc/v1/alert/docs/overdue", alert_payload(seq), qos=1).wait_for_publish(5)
    assert crashing.wait(timeout=30) == 9
    assert Cache(store).count("alerts") == 0
    again = subprocess.run([*consumer, "--expect", "20", "--timeout", "30"], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert "alerts 20" in again.stdout, again.stderr
    rows = Cache(store).db.conn.execute("SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM alerts")
    assert rows.fetchone() == (20, 20, 1, 20)
    pub.loop_stop()


def test_malformed_payloads_are_rejected_with_reasons_and_old_values_stay(broker, app, qtbot, tmp_path):
    cache = Cache(tmp_path / "m.sqlite")
    hub = FeedHub({"ioc": FeedConfig("ioc", f"{broker.url}/ioc/v1/#", {"client_id": "t-bad"})}, cache.path)
    grid = TileGrid(TileContext(language="en"), cache)
    qtbot.addWidget(grid)
    grid.apply(place("t", [TileSpec(type="indicator", key="docs/overdue", options={"decimals": 0})], preset="1"))
    hub.recordsArrived.connect(grid.dispatch)
    hub.start()
    qtbot.waitUntil(lambda: hub.statuses["ioc"].state == LinkState.CONNECTED, timeout=10_000)
    pub = publisher(broker)
    topic = "ioc/v1/indicator/docs/overdue"
    good = {"v": 1, "key": "docs/overdue", "value": 42, "ts": "2026-11-23T09:00:00"}
    pub.publish(topic, json.dumps(good), qos=1).wait_for_publish(5)
    qtbot.waitUntil(lambda: grid.tiles[0].value_label.text() == "42", timeout=5_000)
    bad = [
        b"{not json",
        b'{"v": 1, "key": "docs/overdue", "value": NaN, "ts": 1790000000}',
        json.dumps({**good, "value": "many"}).encode(),
        json.dumps({**good, "v": 99}).encode(),
        b"\xff\xfe" + b"x" * 10,
        json.dumps({**good, "pad": "x" * (10 * 1024 * 1024)}).encode(),
        json.dumps({**good, "ts": "yesterday"}).encode(),
    ]
    for payload in bad:
        pub.publish(topic, payload, qos=1).wait_for_publish(10)
    qtbot.waitUntil(lambda: hub.counters.rejected == len(bad), timeout=10_000)
    reasons = [r["reason"] for r in cache.rejects()]
    assert any("invalid JSON" in r for r in reasons)
    assert any("NaN" in r for r in reasons)
    assert any("must be" in r and "str" in r for r in reasons)
    assert any("schema version" in r for r in reasons)
    assert any("UTF-8" in r for r in reasons)
    assert any("exceeds" in r for r in reasons)
    assert any("ISO 8601" in r for r in reasons)
    assert grid.tiles[0].value_label.text() == "42"
    assert cache.latest()["docs/overdue"].value == 42
    hub.stop()
    pub.loop_stop()
    cache.close()
