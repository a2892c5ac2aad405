"""Live meeting state on MQTT: retained QoS 1 messages, the newest per topic sent again after every reconnect.

Walls and tablets subscribe and follow without polling; a subscriber that connects late gets the retained
state at once. If the broker is away, nothing queues up: the latest state of each topic is sent when it is back."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Protocol
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt

from feeds.core.payloads import TOPIC_ROOT
from feeds.sources.mqtt import make_client

log = logging.getLogger(__name__)

MEETING_TOPIC = f"{TOPIC_ROOT}/meeting"


class LiveSink(Protocol):
    """Where the service's live state goes: the broker, or (the demo, with no broker) the program itself."""

    def publish(self, topic: str, value: dict[str, Any]) -> None: ...


def meeting_topic(meeting: str, part: str) -> str:
    """`ioc/v1/meeting/<id>/<part>`: state, speaking, poll, result/<poll>."""
    return f"{MEETING_TOPIC}/{meeting}/{part}"


class LivePublisher:
    def __init__(self, address: str, client_id: str = "controlroom-office") -> None:
        url = urlsplit(address)
        self.client = make_client(client_id, {"max_backoff_s": 10}, url.username, None, tls=url.scheme == "mqtts")
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or (8883 if url.scheme == "mqtts" else 1883)
        self.client.on_connect = self._on_connect
        self._latest: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.connected = False

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish(self, topic: str, value: dict[str, Any]) -> None:
        payload = json.dumps(value, ensure_ascii=False, allow_nan=False).encode()
        with self._lock:
            self._latest[topic] = payload
        if self.connected:
            self.client.publish(topic, payload, qos=1, retain=True)

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            log.error("the broker refused the office service: %s", reason)
            return
        self.connected = True
        self.client.on_disconnect = self._on_disconnect
        with self._lock:
            latest = list(self._latest.items())
        for topic, payload in latest:
            client.publish(topic, payload, qos=1, retain=True)

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        self.connected = False
        log.warning("office service: broker connection lost (%s); live state resent when it is back", reason)
