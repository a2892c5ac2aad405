"""Ingest throughput: broker → parse → coalesce → cache (→ GUI), next to a bare paho subscriber.

Both subscribers drain the same backlog of QoS 1 messages that a real Mosquitto queued for their
persistent session while they were away, so the broker delivers as fast as each can take them.
Also the cost of a durable commit: one writer batch with synchronous=FULL (what the ingest process uses,
so an acknowledged message survives a power cut) beside NORMAL, on the same disk in the same run.
Prints `name: value` lines. Run: python bench/feeds_ingest.py [--messages N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt

from feeds.core.payloads import encode, topic_for
from feeds.core.records import Measurement
from feeds.sources.mqtt import connect_properties
from tests.support.broker import Broker

TOPIC = "ioc/v1/indicator/#"


def make_client(client_id: str) -> mqtt.Client:
    return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)


def register_session(port: int, client_id: str) -> None:
    """Create the persistent session and its subscription, then leave: the broker queues for it."""
    client = make_client(client_id)
    done = threading.Event()
    client.on_subscribe = lambda *args: done.set()
    client.on_connect = lambda c, *args: c.subscribe(TOPIC, qos=1)
    client.connect("127.0.0.1", port, clean_start=False, properties=connect_properties(3600, 1000))
    client.loop_start()
    done.wait(10)
    client.disconnect()
    client.loop_stop()


def publish_backlog(port: int, count: int, keys: int) -> None:
    client = make_client("bench-publisher")
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    base = time.time() - count
    infos = []
    for i in range(count):
        record = Measurement(key=f"bench/k{i % keys}", value=float(i), ts=base + i * 0.001, source="bench")
        infos.append(client.publish(topic_for(record), encode(record), qos=1))
        if len(infos) == 20_000:  # QoS 1 message ids are 16-bit: let a chunk complete before the next
            infos[-1].wait_for_publish(60)
            infos = []
    for info in infos:
        info.wait_for_publish(60)
    client.disconnect()
    client.loop_stop()


def raw_rate(port: int, count: int) -> float:
    """A bare paho subscriber that only counts (auto-ack): the peer limit."""
    client = make_client("bench-raw")
    received = [0, 0.0, 0.0]
    finished = threading.Event()

    def on_message(c, userdata, msg):
        if received[0] == 0:
            received[1] = time.perf_counter()
        received[0] += 1
        if received[0] == count:
            received[2] = time.perf_counter()
            finished.set()

    client.on_message = on_message
    client.connect("127.0.0.1", port, clean_start=False, properties=connect_properties(3600, 1000))
    client.loop_start()
    finished.wait(300)
    client.disconnect()
    client.loop_stop()
    return count / (received[2] - received[1])


def ingest_rate(port: int, count: int, keys: int, folder: Path) -> tuple[float, float, int]:
    """The program's path in a running GUI: MqttSource → Ingestor (SQLite) → FeedHub → tiles."""
    from PySide6.QtCore import QTimer

    from bench.gui_stall import StallMeter
    from desktop.application import make_application
    from desktop.config.layouts import place
    from desktop.config.loader import FeedConfig
    from desktop.hub import FeedHub
    from desktop.windows.tile_grid import TileGrid
    from feeds.store import Cache
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext

    app = make_application([])
    cache = Cache(folder / "bench.sqlite")
    hub = FeedHub({"bench": FeedConfig("bench", f"mqtt://127.0.0.1:{port}/{TOPIC}", {"client_id": "bench-ingest"})},
                  str(cache.path))
    grid = TileGrid(TileContext(language="en"), cache)
    grid.apply(place("b", [TileSpec(type="indicator", key=f"bench/k{i}") for i in range(16)], preset="4x4"))
    grid.resize(1600, 900)
    grid.show()
    hub.recordsArrived.connect(grid.dispatch)
    stall = StallMeter()
    marks = {"first": 0.0, "last": 0.0}

    def watch() -> None:
        stored = hub.counters.stored
        if stored and not marks["first"]:
            marks["first"] = time.perf_counter()
        if stored >= count:
            marks["last"] = time.perf_counter()
            app.quit()

    watcher = QTimer()
    watcher.timeout.connect(watch)
    watcher.start(2)
    stall.start()
    hub.start()
    QTimer.singleShot(300_000, app.quit)
    app.exec()
    hub.stop()
    duplicates = hub.counters.duplicates
    cache.close()
    # The first-stored mark is taken when the first batch commits, so the rate counts that batch too.
    return count / (marks["last"] - marks["first"]), stall.max_ms, duplicates


def commit_ms(folder: Path, synchronous: str, batches: int = 200, size: int = 500) -> float:
    """Median time of one writer commit (a batch of `size` new measurements) at this durability setting."""
    from feeds.store import Cache

    cache = Cache(folder / f"commit-{synchronous}.sqlite", synchronous=synchronous)
    times = []
    for b in range(batches):
        batch = [Measurement(f"bench/k{i % 1000}", float(i), 1_790_000_000.0 + b + i / size, "bench")
                 for i in range(size)]
        start = time.perf_counter()
        cache.store(batch)
        times.append((time.perf_counter() - start) * 1000)
    cache.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Without writing its store every second: that would tax both subscribers' CPU, not measure them.
        broker = Broker(Path(tmp) / "broker", persistence=False).start()
        try:
            register_session(broker.port, "bench-raw")
            publish_backlog(broker.port, args.messages, args.keys)
            raw = raw_rate(broker.port, args.messages)
            register_session(broker.port, "bench-ingest")
            publish_backlog(broker.port, args.messages, args.keys)
            ingest, stall, duplicates = ingest_rate(broker.port, args.messages, args.keys, Path(tmp))
        finally:
            broker.stop()
        # What acknowledging only what survives a power cut costs: the ingest process commits with FULL.
        full, normal = commit_ms(Path(tmp), "FULL"), commit_ms(Path(tmp), "NORMAL")
    print(f"messages: {args.messages}")
    print(f"raw_paho_msgs_per_s: {raw:.0f}")
    print(f"ingest_msgs_per_s: {ingest:.0f}")
    print(f"ratio: {ingest / raw:.2f}")
    print(f"gui_max_stall_ms: {stall:.1f}")
    print(f"duplicates: {duplicates}")
    print(f"commit_ms_synchronous_full: {full:.2f}")
    print(f"commit_ms_synchronous_normal: {normal:.2f}")
    print(f"full_sync_cost_ms_per_batch: {full - normal:.2f}")
    print(f"goal: ratio >= 0.7, ingest >= 20000/s, gui_max_stall_ms < 50 -> "
          f"{'met' if ingest / raw >= 0.7 and ingest >= 20000 and stall < 50 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
