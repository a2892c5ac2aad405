"""Publish the simulator's records to a real MQTT broker, and serve the same values over REST."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import paho.mqtt.client as mqtt

from feeds.payloads import encode, to_payload, topic_for
from feeds.records import AlertEvent, Measurement, Record
from feeds.sim import Simulator
from feeds.sources.mqtt import connect_properties, make_client

log = logging.getLogger(__name__)


@dataclass
class PublishCounts:
    indicators: int = 0
    alerts: int = 0
    unconfirmed: int = 0


class LatestSnapshot:
    """The newest record per key, as the REST side serves it (with an ETag)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, Measurement] = {}

    def update(self, record: Measurement) -> None:
        with self._lock:
            self._latest[record.key] = record

    def body(self) -> tuple[bytes, str]:
        with self._lock:
            records = [to_payload(r) for _, r in sorted(self._latest.items())]
        data = json.dumps({"v": 1, "records": records}, ensure_ascii=False).encode("utf-8")
        return data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def serve_snapshot(snapshot: LatestSnapshot, host: str, port: int) -> ThreadingHTTPServer:
    """GET /api/v1/indicators → {"v":1,"records":[…]}, honouring If-None-Match."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            if self.path.split("?")[0] != "/api/v1/indicators":
                self.send_error(404, "try /api/v1/indicators")
                return
            body, etag = snapshot.body()
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt: str, *args: Any) -> None:
            log.debug("rest: " + fmt, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="sim-rest", daemon=True).start()
    return server


class SimPublisher:
    """Runs a Simulator in real time and publishes each record: alerts QoS 1, indicators QoS 0 retained."""

    def __init__(self, host: str, port: int, seed: int, speed: float, alert_period_s: float,
                 client_id: str = "", options: dict[str, Any] | None = None) -> None:
        self.sim = Simulator(seed=seed, speed=speed, alert_period_s=alert_period_s, source="simulator")
        self.snapshot = LatestSnapshot()
        self.counts = PublishCounts()
        self.host, self.port = host, port
        self.client = make_client(client_id or f"controlroom-simulator-{seed}", options or {}, None, None, False)
        self._pending: list[mqtt.MQTTMessageInfo] = []

    def publish(self, record: Record) -> None:
        if isinstance(record, Measurement):
            self.snapshot.update(record)
            self.client.publish(topic_for(record), encode(record), qos=0, retain=True)
            self.counts.indicators += 1
        elif isinstance(record, AlertEvent):
            # QoS 1: paho keeps it queued while the broker is away and sends it after reconnecting.
            self._pending.append(self.client.publish(topic_for(record), encode(record), qos=1))
            self.counts.alerts += 1
            if len(self._pending) > 1000:
                self._pending = [info for info in self._pending if not info.is_published()]

    def run(self, duration_s: float | None, stop: threading.Event | None = None) -> PublishCounts:
        stop = stop or threading.Event()
        self.client.connect_async(self.host, self.port, keepalive=15, clean_start=False,
                                  properties=connect_properties(86400, 1000))
        self.client.loop_start()
        end = time.time() + duration_s if duration_s else float("inf")
        for record in self.sim.start(time.time()):
            self.publish(record)
        while not stop.is_set() and time.time() < end:
            for record in self.sim.due(time.time()):
                self.publish(record)
            stop.wait(max(0.01, min(0.5, self.sim.next_time() - time.time(), end - time.time())))
        self._drain(timeout_s=30)
        self.client.disconnect()
        self.client.loop_stop()
        return self.counts

    def _drain(self, timeout_s: float) -> None:
        """Wait until the broker has acknowledged every QoS 1 message (or the timeout)."""
        deadline = time.time() + timeout_s
        while time.time() < deadline and any(not info.is_published() for info in self._pending):
            time.sleep(0.05)
        self.counts.unconfirmed = sum(1 for info in self._pending if not info.is_published())
