"""MQTT against a real Mosquitto on loopback: delivery, broker restarts, crashes, malformed payloads."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import paho.mqtt.client as mqtt

from feeds.core.records import LinkState
from feeds.ingest.writer import Ingestor
from feeds.sources.mqtt import MqttSource
from feeds.store import Cache
from tests.support.paths import ROOT
from tests.support.restart import simulate_across_restart
from tests.support.waiting import wait_until


def publisher(broker) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{time.monotonic_ns()}")
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


def alert_payload(seq: int) -> bytes:
    return json.dumps({"v": 1, "id": f"t-{seq}", "key": "docs/overdue", "severity": "warning",
                       "title": "Văn bản quá hạn", "ts": 1_790_000_000 + seq, "seq": seq}).encode()


def test_broker_restart_loses_no_alert_and_stores_none_twice(broker, tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    ingestor = Ingestor(cache, deliver=lambda records: None)
    ingestor.start()
    source = MqttSource("bus", f"{broker.url}/ioc/v1/alert/#", {"client_id": "t-restart"}, ingestor)
    source.start()
    wait_until(lambda: source.state.state == LinkState.CONNECTED, 10, "the subscriber to connect")
    out = simulate_across_restart(broker, source, "--speed", "1", "--alert-period", "0.02", "--duration", "5",
                                  "--linger", "6")
    published = int(next(line for line in out.splitlines() if line.startswith("published alerts:")).split(":")[1])
    assert published > 100
    wait_until(lambda: cache.count("alerts") >= published, 30,
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
    assert crashing.stdout.readline().strip() == "subscribed"  # so the broker keeps the session's messages
    pub = publisher(broker)
    for seq in range(1, 21):
        pub.publish("ioc/v1/alert/docs/overdue", alert_payload(seq), qos=1).wait_for_publish(5)
    _, err = crashing.communicate(timeout=30)
    assert crashing.returncode == 9, err
    assert Cache(store).count("alerts") == 0
    again = subprocess.run([*consumer, "--expect", "20", "--timeout", "30"], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert "alerts 20" in again.stdout, again.stderr
    rows = Cache(store).db.conn.execute("SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM alerts")
    assert rows.fetchone() == (20, 20, 1, 20)
    pub.loop_stop()
