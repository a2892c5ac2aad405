"""Rehearsing a deployment: publish the simulator's records to a real MQTT broker, and serve them over REST."""

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

from feeds.core.payloads import (
    PayloadError,
    encode,
    encode_heartbeat,
    heartbeat_topic,
    parse_resend,
    resend_topic,
    to_payload,
    topic_for,
)
from feeds.core.records import AlertEvent, Measurement, Record, SeqHeartbeat
from feeds.sim.scenarios import make_scenario
from feeds.sources.mqtt import PubackTracker, connect_properties, make_client

log = logging.getLogger(__name__)


@dataclass
class PublishCounts:
    indicators: int = 0
    alerts: int = 0
    resent: int = 0
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
        def do_GET(self) -> None:
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
    """Runs a scenario (the indicators by default) in real time and publishes each record: alerts QoS 1,
    indicators QoS 0 retained."""

    def __init__(self, host: str, port: int, seed: int, speed: float, alert_period_s: float,
                 client_id: str = "", options: dict[str, Any] | None = None, scenario: Any = None) -> None:
        # `scenario`: another record source with the Simulator's publisher/alert_seq/start/due/next_time
        indicators = {"seed": seed, "speed": speed, "alert_period_s": alert_period_s, "source": "simulator"}
        self.sim: Any = scenario or make_scenario("ioc", indicators)
        self.snapshot = LatestSnapshot()
        self.counts = PublishCounts()
        self.host, self.port = host, port
        self.client = make_client(client_id or f"controlroom-simulator-{seed}", options or {}, None, None, False)
        # QoS 1 messages the broker has not acknowledged yet. A message published while the broker is
        # away is kept by paho and sent after reconnecting; its PUBACK clears it here.
        self.pubacks = PubackTracker()
        self._sent: dict[int, AlertEvent] = {}
        self.client.on_publish = lambda client, userdata, mid, reason, props: self.pubacks.acked(mid)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_resend

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if not reason.is_failure:
            client.subscribe(resend_topic(self.sim.publisher), qos=1)

    def _on_resend(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            seqs = parse_resend(bytes(msg.payload))
        except PayloadError as exc:
            log.warning("ignored a malformed resend request: %s", exc.reason)
        else:
            for seq in seqs:
                if seq in self._sent:
                    self._send_alert(self._sent[seq])
                    self.counts.resent += 1
        client.ack(msg.mid, msg.qos)

    def _send_alert(self, alert: AlertEvent) -> None:
        self.pubacks.sent(self.client.publish(topic_for(alert), encode(alert), qos=1).mid)

    def _heartbeat(self) -> None:
        beat = SeqHeartbeat(self.sim.publisher, self.sim.alert_seq, time.time())
        self.client.publish(heartbeat_topic(beat.publisher), encode_heartbeat(beat), qos=1, retain=True)

    def publish(self, record: Record) -> None:
        if isinstance(record, Measurement):
            self.snapshot.update(record)
            self.client.publish(topic_for(record), encode(record), qos=0, retain=True)
            self.counts.indicators += 1
        elif isinstance(record, AlertEvent):
            if record.seq is not None:  # kept for resend requests
                self._sent[record.seq] = record
            self._send_alert(record)
            self.counts.alerts += 1

    def run(self, duration_s: float | None, stop: threading.Event | None = None,
            linger_s: float = 2.0) -> PublishCounts:
        """Publish until `duration_s` (or `stop`), then keep answering resend requests for `linger_s`."""
        stop = stop or threading.Event()
        records = self.sim.start(time.time())
        self.client.connect_async(self.host, self.port, keepalive=15, clean_start=False,
                                  properties=connect_properties(86400, 1000))
        self.client.loop_start()
        end = time.time() + duration_s if duration_s else float("inf")
        for record in records:
            self.publish(record)
        next_beat = 0.0
        while not stop.is_set() and time.time() < end:
            for record in self.sim.due(time.time()):
                self.publish(record)
            if time.time() >= next_beat:
                self._heartbeat()
                next_beat = time.time() + 1.0
            stop.wait(max(0.01, min(0.5, self.sim.next_time() - time.time(), end - time.time())))
        if not stop.is_set():  # what fell due during the last wait
            for record in self.sim.due(end):
                self.publish(record)
        self._heartbeat()
        stop.wait(linger_s)
        self._drain(timeout_s=30)
        self.client.disconnect()
        self.client.loop_stop()
        return self.counts

    def _drain(self, timeout_s: float) -> None:
        """Wait until the broker has acknowledged every QoS 1 message (or the timeout)."""
        deadline = time.time() + timeout_s
        while time.time() < deadline and self.pubacks.pending():
            time.sleep(0.05)
        self.counts.unconfirmed = self.pubacks.pending()
