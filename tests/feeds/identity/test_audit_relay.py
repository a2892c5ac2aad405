"""Terminals publish their audit entries through a real Mosquitto; the collector keeps the site-wide trail and
nothing made while the broker is away is lost."""

from __future__ import annotations

import json
import signal
from types import SimpleNamespace

import paho.mqtt.client as mqtt
import pytest

from feeds.identity.audit import SiteAudit
from feeds.identity.audit_relay import AuditCollector, AuditRelay, audit_topic
from feeds.identity.database import open_identity
from tests.feeds.identity.conftest import make_identity
from tests.support.broker import Broker
from tests.support.waiting import wait_until


def _append(identity, start, count):
    for i in range(start, start + count):
        identity.audit.append("an", "tinh", "alert.ack", f"alert-{i}", "ok", f"lần thứ {i}")


@pytest.fixture
def site(tmp_path):
    """A real broker, the collector's database and collector (not started), a terminal and its relay."""
    broker = Broker(tmp_path / "broker", persistence=True).start()
    conn = open_identity(tmp_path / "collector.sqlite")
    terminal = make_identity(tmp_path / "console.sqlite")
    parts = SimpleNamespace(broker=broker, trail=SiteAudit(conn), terminal=terminal,
                            relay=AuditRelay(terminal.path, broker.url, terminal.terminal))
    parts.collector = AuditCollector(broker.url, parts.trail, client_id="collector-test")
    terminal.audit.listeners.append(parts.relay.notify)
    yield parts
    parts.relay.stop()
    parts.collector.stop()
    terminal.close()
    conn.close()
    broker.stop()


def _start_collector(site):
    site.collector.start()
    wait_until(site.collector.client.is_connected, 10, "the collector to connect")


def test_entries_made_while_the_broker_is_away_reach_the_collector_in_order(site):
    _start_collector(site)
    site.relay.start()
    trail = site.trail
    _append(site.terminal, 0, 30)
    wait_until(lambda: trail.verify() and next(iter(trail.verify().values())).entries == 30, 15,
               "the first 30 entries at the collector")
    site.broker.stop(signal.SIGKILL)  # the broker goes away
    _append(site.terminal, 30, 45)
    site.broker.start()
    wait_until(lambda: next(iter(trail.verify().values())).entries == 75, 30, "all 75 entries after the outage")
    [check] = trail.verify().values()
    assert check.intact and check.entries == site.terminal.audit.count() == 75
    [chain] = trail.chains()
    assert [e.hash for e in trail.entries(chain)] == [e.hash for e in site.terminal.audit.entries()]


def test_the_collector_refuses_forged_and_malformed_entries_and_keeps_a_resent_one_once(site, tmp_path):
    """Any account may publish here; whatever arrives, the collector keeps running and keeps only sound entries."""
    entry = site.terminal.audit.append("an", "tinh", "sign_in", "an")
    forged = {**entry.to_dict(), "actor": "mallory"}
    other = make_identity(tmp_path / "other.sqlite")
    other.terminal = other.audit.terminal = "wall-9"
    hijack = other.audit.append("wall-9", "tinh", "sign_in", "x")  # seq 1 again, from another terminal
    other.close()
    nan = {**entry.to_dict(), "ts": float("nan")}
    messages = [
        (entry.terminal, {"chain": "c1", "entry": entry.to_dict()}),
        (entry.terminal, {"chain": "c1", "entry": entry.to_dict()}),  # re-sent after a reconnect: kept once
        (entry.terminal, {"chain": "c1", "entry": forged}),  # changed content, old hash
        (entry.terminal, "{not json"), (entry.terminal, {"chain": "c1"}), (entry.terminal, [1, 2]),
        (entry.terminal, {"chain": "c1", "entry": nan}), ("wall-9", {"chain": "c1", "entry": hijack.to_dict()}),
        ("console-2", {"chain": "c2", "entry": entry.to_dict()}),  # published as another terminal
        (entry.terminal, "[" * 100_000),  # deeply nested
    ]
    _start_collector(site)
    sender = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    sender.connect("127.0.0.1", site.broker.port)
    sender.loop_start()
    try:
        for topic, payload in messages:
            body = payload if isinstance(payload, str) else json.dumps(payload)
            sender.publish(audit_topic(topic), body, qos=1).wait_for_publish(5)
    finally:
        sender.loop_stop()
        sender.disconnect()
    collector = site.collector
    wait_until(lambda: collector.received + collector.refused >= len(messages) - 1, 10,
               "the collector to read every message")
    assert (collector.received, collector.refused) == (1, len(messages) - 2)
    assert len(list(site.trail.entries("c1"))) == 1 and site.trail.chains() == ["c1"]


def test_entries_nobody_kept_are_sent_again_once_a_collector_listens(site):
    """The broker acknowledging with "no matching subscribers" is not delivery: the relay keeps the entries."""
    site.relay.start()
    _append(site.terminal, 0, 5)
    wait_until(lambda: site.relay.state == "refused", 10, "the broker to say nobody keeps the entries")
    assert site.relay.published == 0
    _start_collector(site)
    wait_until(lambda: site.trail.chains() and len(list(site.trail.entries(site.trail.chains()[0]))) == 5, 20,
               "the entries to be sent again to the collector")
    wait_until(lambda: site.relay.published == 5, 10, "the relay to count them as delivered")
