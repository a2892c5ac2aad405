"""The site-wide audit trail over MQTT: each terminal publishes its entries (QoS 1), one collector keeps them.

The relay remembers, in the terminal's own database, the last entry the broker acknowledged, so entries made
while the broker is away are sent when it is back, in order; nothing is lost and a re-sent entry is kept once
by the collector (keyed by chain and sequence number)."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt

from feeds.core.payloads import TOPIC_ROOT
from feeds.identity.audit import AuditEntry
from feeds.identity.database import chain_id, open_identity
from feeds.sources.mqtt import connect_properties, make_client

log = logging.getLogger(__name__)

AUDIT_TOPIC = f"{TOPIC_ROOT}/audit"
BATCH = 200
MAX_MESSAGE = 64 * 1024


def audit_topic(terminal: str) -> str:
    return f"{AUDIT_TOPIC}/{terminal}"


def _client(address: str, client_id: str, options: dict[str, Any]) -> tuple[mqtt.Client, str, int]:
    url = urlsplit(address)
    opts = {"max_backoff_s": 10, **options}
    client = make_client(client_id, opts, url.username, None, tls=url.scheme == "mqtts")
    return client, url.hostname or "127.0.0.1", url.port or (8883 if url.scheme == "mqtts" else 1883)


class AuditRelay:
    """Publishes this database's chain to the broker of ADDRESS, from the last acknowledged entry on."""

    def __init__(self, path: Path, address: str, terminal: str, options: dict[str, Any] | None = None) -> None:
        self.path = path
        self.terminal = terminal
        self.wake = threading.Event()
        self.client, self.host, self.port = _client(address, f"audit-{terminal}", options or {})
        self.client.on_connect = lambda *_: self.wake.set()
        self.client.on_publish = self._on_publish
        self._refused: set[int] = set()  # mids the broker answered with a refusal (or "no subscriber")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"audit-relay-{terminal}", daemon=True)
        self.published = 0
        self.state = "starting"  # sending, waiting (for the broker), refused, error

    def notify(self, _entry: AuditEntry | None = None) -> None:
        """A new entry was appended (AuditLog listener): send it soon."""
        self.wake.set()

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.client.disconnect()
        self.client.loop_stop()

    def _on_publish(self, client: mqtt.Client, userdata: Any, mid: int, reason: Any, props: Any) -> None:
        # 135 "not authorized" (the broker account is not this terminal), 16 "no matching subscribers" (no
        # collector has a session): acknowledged by the broker, but not kept by anyone
        if reason is not None and (reason.is_failure or reason.value == 16):
            self._refused.add(mid)

    def _run(self) -> None:
        """Send whenever woken (a new entry, a reconnect) or every few seconds; an error is logged and retried."""
        while not self._stop.is_set():
            try:
                conn = open_identity(self.path)
                try:
                    while not self._stop.is_set():
                        self.wake.wait(timeout=5.0)
                        self.wake.clear()
                        chain = chain_id(conn)  # re-read: a restore gives the chain a new id
                        while not self._stop.is_set() and self.client.is_connected() and self._send_batch(
                                conn, chain):
                            pass
                finally:
                    conn.close()
            except Exception:
                log.exception("audit relay of %s: sending stopped; retrying in 10 s", self.terminal)
                self.state = "error"
                self._stop.wait(10.0)

    def _send_batch(self, conn: sqlite3.Connection, chain: str) -> bool:
        """Send the next entries; True when a full batch went out (there may be more)."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'published_seq'").fetchone()
        after = int(row[0]) if row and str(row[0]).isdigit() else 0
        rows = conn.execute("SELECT seq, ts, actor, unit, terminal, action, target, outcome, detail, prev, hash "
                            "FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", (after, BATCH)).fetchall()
        if not rows:
            return False
        infos = []
        for row in rows:
            entry = AuditEntry(*row)
            payload = json.dumps({"chain": chain, "entry": entry.to_dict()}, ensure_ascii=False)
            infos.append((entry.seq, self.client.publish(audit_topic(self.terminal), payload, qos=1)))
        acked = after
        for seq, info in infos:
            try:
                info.wait_for_publish(timeout=10.0)
            except (RuntimeError, ValueError):  # not queued: the connection dropped meanwhile
                break
            if not info.is_published():
                self.state = "waiting"
                break
            if info.mid in self._refused:
                self._refused.discard(info.mid)
                self.state = "refused"
                log.error("audit relay of %s: the broker did not keep entry %d (refused, or no collector has a "
                          "session); it is sent again later", self.terminal, seq)
                break
            acked = seq
            self.state = "sending"
        if acked > after:
            conn.execute("INSERT INTO meta VALUES ('published_seq', ?) ON CONFLICT(key) DO UPDATE SET "
                         "value = excluded.value", (str(acked),))
            self.published += acked - after
        self._refused.clear()  # the rest of a refused batch goes again with it
        return acked == rows[-1][0] and len(rows) == BATCH


class AuditCollector:
    """Subscribes to every terminal's audit topic with a persistent session and keeps what arrives."""

    def __init__(self, address: str, site: Any, username: str = "", ca_certs: str = "",
                 client_id: str = "audit-collector") -> None:
        self.site = site  # feeds.identity.audit.SiteAudit
        options = {"username": username, "ca_certs": ca_certs}
        self.client, self.host, self.port = _client(address, client_id, options)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.received = 0
        self.refused = 0

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False,
                                  properties=connect_properties(7 * 24 * 3600, 1000))
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            log.error("audit collector: the broker refused the connection: %s", reason)
            return
        client.subscribe(f"{AUDIT_TOPIC}/#", qos=1)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            self._keep(msg)
        except Exception as exc:  # a bad message from any account must never stop the collector
            self.refused += 1
            log.error("audit collector: refused a message on %s: %s", msg.topic, exc)
        client.ack(msg.mid, msg.qos)

    def _keep(self, msg: mqtt.MQTTMessage) -> None:
        if len(msg.payload) > MAX_MESSAGE:
            raise ValueError(f"{len(msg.payload)} bytes: larger than any audit entry")
        data = json.loads(msg.payload)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        chain = data["chain"]
        if not isinstance(chain, str) or not chain or len(chain) > 64:
            raise TypeError("no chain id")
        entry = AuditEntry.from_dict(data["entry"])
        if entry.expected_hash() != entry.hash:
            raise ValueError(f"entry {entry.seq}: its hash does not match its content")
        terminal = msg.topic.rsplit("/", 1)[-1]
        if entry.terminal != terminal and not entry.terminal.startswith("cli@"):
            raise ValueError(f"entry {entry.seq} of terminal {entry.terminal!r} published as {terminal!r}")
        kept = self.site.add(chain, entry, terminal)
        if kept is None:
            self.received += 1
        elif kept != entry.hash:  # the same place in a chain with other content: someone forged one of them
            raise ValueError(f"chain {chain} entry {entry.seq} differs from the one kept (hash {kept[:12]}…)")
