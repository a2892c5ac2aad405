"""Alert storm: 10,000 alerts over 10 s from 500 sources through a real Mosquitto into a running operator
console (ingest process, alert book, cache, alert panel), next to a bare paho subscriber of the same storm.

Prints `name: value` lines. Run: python bench/alert_storm.py [--alerts N --sources S --duration D]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt

from tests.support.broker import Broker

CONFIG = """
language = "vi"
[feeds.bus]
address = "mqtt://127.0.0.1:{port}/ioc/v1/#"
options = {{ client_id = "bench-console" }}
[alerts]
feed = "bus"
[roles.operator]
screens = ["main"]
[layouts.main]
preset = "1"
[[layouts.main.tiles]]
type = "clock"
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def raw_latencies(port: int, expected: int, ready, out) -> None:
    """The peer: a bare paho subscriber, publish → receive latency of every alert (another process)."""
    latencies: list[float] = []
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-raw", protocol=mqtt.MQTTv5)

    def on_message(c, userdata, msg) -> None:
        latencies.append(time.time() - json.loads(msg.payload)["extra"]["sent"])

    client.on_message = on_message
    client.on_connect = lambda c, *a: c.subscribe("ioc/v1/alert/#", qos=1)
    client.on_subscribe = lambda *a: ready.set()
    client.connect("127.0.0.1", port)
    client.loop_start()
    deadline = time.time() + 120
    while len(latencies) < expected and time.time() < deadline:
        time.sleep(0.1)
    client.loop_stop()
    out.put(latencies)


def run_console(port: int, folder: Path, alerts: int, sources: int, duration: float) -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from bench.gui_stall import StallMeter
    from desktop.application import make_application
    from desktop.config.loader import parse_config
    from desktop.session import GuiOptions, Session
    from feeds.core.records import Alert
    from widgets.base.registry import tile_types

    app = make_application([])
    config = parse_config(CONFIG.format(port=port), "bench", set(tile_types()))
    session = Session(config, GuiOptions(roles=("operator",), cache_path=folder / "console.sqlite"))
    session.operator.resize(1600, 950)
    per_source_s = duration * sources / alerts  # how often one source repeats
    shown: dict[str, int] = {}
    latencies: list[float] = []

    def on_screen(records: list) -> None:  # runs after the session has updated the panel
        now = time.time()
        for record in records:
            if isinstance(record, Alert):
                new = record.count - shown.get(record.id, 0)
                shown[record.id] = max(shown.get(record.id, 0), record.count)
                latencies.extend(now - (record.last_seen - j * per_source_s) for j in range(max(0, new)))

    session.hub.recordsArrived.connect(on_screen)
    stall = StallMeter()
    storm: list[subprocess.Popen] = []

    def start_storm() -> None:
        storm.append(subprocess.Popen(
            [sys.executable, "-m", "desktop.commands.cli", "simulate", "--broker", f"mqtt://127.0.0.1:{port}",
             "--alert-storm", str(alerts), "--storm-sources", str(sources), "--duration", str(duration),
             "--linger", "3"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        stall.start()

    def watch() -> None:
        if sum(shown.values()) >= alerts or (storm and storm[0].poll() is not None
                                             and time.time() > started + duration + 30):
            app.quit()

    session.operator.show()
    session.start()
    started = time.time() + 2
    QTimer.singleShot(2000, start_storm)  # the console is up and subscribed first
    watcher = QTimer()
    watcher.timeout.connect(watch)
    watcher.start(50)
    QTimer.singleShot(int((duration + 90) * 1000), app.quit)
    app.exec()
    stall.stop()
    out, _err = storm[0].communicate(timeout=60)
    session.shutdown()
    cache = session.cache.__class__(folder / "console.sqlite")
    stored = cache.count("alerts")
    counted = cache.run("SELECT coalesce(sum(json_extract(data, '$.count')), 0) FROM alert_state")[0][0]
    open_alerts = len(cache.alert_states(open_only=True))
    published = next((int(line.split(":")[1]) for line in out.splitlines() if line.startswith("published alerts")), 0)
    return {"published": published, "stored": stored, "counted": counted, "open": open_alerts,
            "stall": stall.max_ms, "latencies": latencies}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        broker = Broker(Path(tmp) / "broker", persistence=False).start()
        try:
            context = multiprocessing.get_context("spawn")
            ready, results = context.Event(), context.Queue()
            peer = context.Process(target=raw_latencies, args=(broker.port, args.alerts, ready, results))
            peer.start()
            ready.wait(20)
            console = run_console(broker.port, Path(tmp), args.alerts, args.sources, args.duration)
            raw = results.get(timeout=150)
            peer.join(timeout=10)
        finally:
            broker.stop()
    shown = console["latencies"]
    print(f"alerts_published: {console['published']}")
    print(f"alerts_stored: {console['stored']}")
    print(f"alerts_counted_in_open_alerts: {console['counted']}")
    print(f"duplicates: {console['counted'] - console['stored']}")
    print(f"open_alerts: {console['open']} (sources: {args.sources})")
    print(f"gui_max_stall_ms: {console['stall']:.1f}")
    print(f"p50_raise_to_screen_ms: {percentile(shown, 0.5) * 1000:.1f}")
    print(f"p95_raise_to_screen_ms: {percentile(shown, 0.95) * 1000:.1f}")
    print(f"max_raise_to_screen_ms: {max(shown, default=float('nan')) * 1000:.1f}")
    print(f"peer_raw_paho_received: {len(raw)}")
    print(f"peer_p95_publish_to_receive_ms: {percentile(raw, 0.95) * 1000:.1f}")
    met = (console["stored"] == console["published"] == args.alerts and console["counted"] == console["stored"]
           and console["stall"] < 50 and percentile(shown, 0.95) < 0.5)
    print(f"goal: all stored, none duplicated, gui_max_stall_ms < 50, p95_raise_to_screen_ms < 500 -> "
          f"{'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
