"""mqtt://host:port/topic/# and mqtts://… — a persistent-session MQTT v5 subscriber (paho-mqtt 2.x)."""

from __future__ import annotations

import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from feeds.core.payloads import PayloadError, encode, encode_resend, parse_message, resend_topic, topic_for
from feeds.core.records import AlertAction, AlertEvent, LinkState, Record, SceneCommand, SeqHeartbeat
from feeds.core.secrets import get_secret
from feeds.sources.base import Option, Source, register
from feeds.sources.sequence import SequenceTracker

log = logging.getLogger(__name__)


def topic_of(address: str) -> str:
    """The topic filter of an address: everything after host:port (`#` is not a URL fragment here)."""
    rest = address.split("://", 1)[1]
    return rest.split("/", 1)[1] if "/" in rest else "#"


def make_client(client_id: str, opts: dict[str, Any], username: str | None, password: str | None,
                tls: bool) -> mqtt.Client:
    """A paho client with the VERSION2 callbacks, MQTT v5, manual acks, TLS and credentials applied."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5,
                         manual_ack=True)
    user = opts.get("username") or username
    secret = os.environ.get(opts["password_env"]) if opts.get("password_env") else password
    if user and secret is None:
        secret = get_secret(f"mqtt/{user}")  # keyring, systemd credential or CONTROLROOM_SECRET_MQTT_<USER>
    if user:
        client.username_pw_set(user, secret)
    if tls or opts.get("tls"):
        client.tls_set(ca_certs=opts.get("ca_certs") or None, certfile=opts.get("certfile") or None,
                       keyfile=opts.get("keyfile") or None, cert_reqs=ssl.CERT_REQUIRED)
    client.reconnect_delay_set(min_delay=1, max_delay=int(opts.get("max_backoff_s", 30)))
    client.max_inflight_messages_set(100)
    return client


def connect_properties(session_expiry_s: int, receive_maximum: int) -> Properties:
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = session_expiry_s
    props.ReceiveMaximum = receive_maximum
    return props


class PubackTracker:
    """Runs a callback when the broker acknowledges a QoS 1 message. Our lock is never held across
    client.publish(): paho holds its own lock while calling on_publish, so that would deadlock. A PUBACK
    that arrives before publish() has returned is remembered and matched when the mid is filed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[int, Callable[[], None] | None] = {}
        self._early: set[int] = set()

    def sent(self, mid: int, callback: Callable[[], None] | None = None) -> None:
        with self._lock:
            early = mid in self._early
            if early:
                self._early.discard(mid)
            else:
                self._waiting[mid] = callback
        if early and callback is not None:
            callback()

    def acked(self, mid: int) -> None:
        with self._lock:
            if mid not in self._waiting:
                self._early.add(mid)
                return
            callback = self._waiting.pop(mid)
        if callback is not None:
            callback()

    def pending(self) -> int:
        with self._lock:
            return len(self._waiting)


MQTT_OPTIONS = {
    "client_id": Option(str, "", "a stable id per terminal; the session is kept under it"),
    "username": Option(str, "", "user name"),
    "password_env": Option(str, "", "the environment variable holding the password"),
    "tls": Option(bool, False, "use TLS (implied by mqtts://)"),
    "ca_certs": Option(str, "", "CA bundle of the internal CA"),
    "certfile": Option(str, "", "client certificate"),
    "keyfile": Option(str, "", "client key"),
    "keepalive_s": Option(int, 30, "MQTT keep-alive"),
    "session_expiry_s": Option(int, 86400, "how long the broker keeps the session while we are away"),
    "receive_maximum": Option(int, 1000, "unacknowledged QoS 1 messages the broker may send at once"),
    "max_backoff_s": Option((int, float), 30, "longest wait between reconnect attempts"),
    "topics": Option(list, [], "extra topic filters to subscribe"),
    "stale_after_s": Option((int, float), 0, "age after which values are shown stale (0: per tile)"),
}


@register
class MqttSource(Source):
    schemes = ("mqtt", "mqtts")
    options = MQTT_OPTIONS

    @classmethod
    def check_address(cls, address: str) -> None:
        from urllib.parse import urlsplit

        if urlsplit(address).password:
            raise ValueError("a password in the address would keep a secret in the configuration file: give "
                             "the user name only and store the password with `controlroom secrets set mqtt/USER`")

    def start(self) -> None:
        client_id = self.opts["client_id"] or f"controlroom-{socket.gethostname()}-{self.name}"
        self.topics = [topic_of(self.address), *self.opts["topics"], "ioc/v1/status/#"]
        self.client_id = client_id
        self.gaps = SequenceTracker()
        self.client = make_client(client_id, self.opts, self.url.username, self.url.password,
                                  tls=self.url.scheme == "mqtts")
        self.client.on_connect = self._on_connect
        self.client.on_connect_fail = self._on_connect_fail
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.pubacks = PubackTracker()
        self.client.on_publish = lambda client, userdata, mid, reason, props: self.pubacks.acked(mid)
        self._ever_connected = False
        self._refusal = ""
        self._baselined: set[str] = set()
        port = self.url.port or (8883 if self.url.scheme == "mqtts" else 1883)
        self.client.connect_async(self.url.hostname or "127.0.0.1", port, keepalive=self.opts["keepalive_s"],
                                  clean_start=False,
                                  properties=connect_properties(self.opts["session_expiry_s"],
                                                                self.opts["receive_maximum"]))
        self.client.loop_start()
        self._gap_thread = threading.Thread(target=self._chase_gaps, name=f"gaps-{self.name}", daemon=True)
        self._gap_thread.start()

    def stop(self) -> None:
        super().stop()
        self.client.disconnect()
        self.client.loop_stop()
        self._gap_thread.join(timeout=2)
        self.set_state(LinkState.OFFLINE, "stopped")

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:  # e.g. "Not authorized": keep it visible, the disconnect that follows says less
            self._refusal = str(reason)
            self.set_state(self._down_state(), self._refusal)
            return
        self._ever_connected = True
        self._refusal = ""
        # Subscribing again is harmless when the session was kept, and picks up changed topics.
        client.subscribe([(topic, 1) for topic in self.topics])
        self.set_state(LinkState.CONNECTED, f"{self.url.hostname}:{self.url.port or 1883}")

    def _down_state(self) -> LinkState:
        return LinkState.RECONNECTING if self._ever_connected else LinkState.OFFLINE

    def _on_connect_fail(self, client: mqtt.Client, userdata: Any) -> None:
        self.set_state(self._down_state(), self._refusal or "connection refused")

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if not self._stop.is_set():
            self.set_state(self._down_state(), self._refusal or str(reason))

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        mid, qos, payload = msg.mid, msg.qos, bytes(msg.payload)
        try:
            record = parse_message(msg.topic, payload, self.name)
        except PayloadError as exc:
            self.sink.reject(self.name, msg.topic, exc.reason, payload[:200])
            client.ack(mid, qos)  # a malformed message is dead-lettered, not redelivered forever
            return
        except Exception as exc:  # a parser bug must not break the feed or loop on redelivery
            log.exception("feed %s: could not parse a message on %s", self.name, msg.topic)
            self.sink.reject(self.name, msg.topic, f"parser failure: {type(exc).__name__}", payload[:200])
            client.ack(mid, qos)
            return
        if isinstance(record, SeqHeartbeat):
            self._track(record.publisher)
            self.gaps.heartbeat(record.publisher, record.last_seq, time.monotonic())
            client.ack(mid, qos)
            return
        if isinstance(record, AlertEvent) and record.publisher and record.seq is not None:
            self._track(record.publisher)
            self.gaps.seen(record.publisher, record.seq, time.monotonic())
        def ack() -> None:
            client.ack(mid, qos)

        self.sink.submit(record, ack=ack if qos else None)

    def _track(self, publisher: str) -> None:
        """Start a publisher's numbering from what the cache already holds (not from 1)."""
        if publisher not in self._baselined:
            self._baselined.add(publisher)
            highest = self.sink.last_seq(publisher)
            if highest is not None:
                self.gaps.baseline(publisher, highest)

    def _chase_gaps(self) -> None:
        """Ask publishers again for alerts the broker lost (Mosquitto can drop a few across a restart)."""
        while not self._stop.wait(1.0):
            for publisher, seqs in self.gaps.due(time.monotonic()).items():
                log.warning("feed %s: possible gap, %d alert(s) from %s missing (first %d); asked again",
                            self.name, len(seqs), publisher, seqs[0])
                self.client.publish(resend_topic(publisher), encode_resend(publisher, seqs, self.client_id), qos=1)

    def publish(self, record: Record, retain: bool = False, on_sent: Callable[[], None] | None = None) -> None:
        qos = 1 if isinstance(record, (AlertEvent, AlertAction, SceneCommand)) else 0
        info = self.client.publish(topic_for(record), encode(record), qos=qos, retain=retain)
        if qos and info.rc in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):  # paho keeps it until reconnected
            self.pubacks.sent(info.mid, on_sent)
