"""The feed hub, the GUI side of ingestion: records from a real broker reach the cache and a tile; malformed
ones are refused with reasons; the ingest process is restarted when it dies, and only then."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import time

import paho.mqtt.client as mqtt
import pytest

from desktop.config.layouts import place
from desktop.config.loader import FeedConfig
from desktop.hub import FeedHub
from desktop.windows.tile_grid import TileGrid
from feeds.core.records import LinkState
from feeds.store import Cache
from tests.support.paths import ROOT
from widgets.base.spec import TileSpec
from widgets.base.tile import TileContext


def test_a_killed_ingest_process_is_restarted_and_a_stopped_one_is_not(app, qtbot, tmp_path):
    hub = FeedHub({"ioc": FeedConfig("ioc", "sim://ioc", {"speed": 36000.0})}, str(tmp_path / "hub.sqlite"))
    hub.start()
    try:
        qtbot.waitUntil(lambda: hub.delivered > 0, timeout=20_000)
        first = hub._process
        first.kill()
        qtbot.waitUntil(lambda: hub.restarts == 1 and hub._process is not first and hub._process.is_alive(),
                        timeout=20_000)
        delivered = hub.delivered
        qtbot.waitUntil(lambda: hub.delivered > delivered, timeout=20_000)  # the new process delivers
        hub.stop()
        hub.start()  # a stop and a start: one process, and nothing "restarted"
        qtbot.waitUntil(lambda: hub.delivered > delivered, timeout=20_000)
        qtbot.wait(1500)
        ingest = [p for p in multiprocessing.active_children() if p.name == "controlroom-ingest"]
        assert hub.restarts == 1 and len(ingest) == 1
    finally:
        hub.stop()


def hub_with_indicator(broker, qtbot, cache: Cache, client_id: str, key: str) -> tuple[FeedHub, TileGrid]:
    """A started hub on the broker feeding a one-tile grid that shows `key`."""
    hub = FeedHub({"ioc": FeedConfig("ioc", f"{broker.url}/ioc/v1/#", {"client_id": client_id})}, cache.path)
    grid = TileGrid(TileContext(language="en"), cache)
    qtbot.addWidget(grid)
    grid.apply(place("t", [TileSpec(type="indicator", title=key, key=key, options={"decimals": 0})], preset="1"))
    hub.recordsArrived.connect(grid.dispatch)
    hub.start()
    return hub, grid


def test_simulator_through_broker_reaches_cache_and_tile(broker, app, qtbot, tmp_path):
    cache = Cache(tmp_path / "op.sqlite")
    hub, grid = hub_with_indicator(broker, qtbot, cache, "t-sim", "feedback/overdue")
    sim = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "simulate", "--broker", broker.url,
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


def test_malformed_payloads_are_rejected_with_reasons_and_old_values_stay(broker, app, qtbot, tmp_path):
    cache = Cache(tmp_path / "m.sqlite")
    hub, grid = hub_with_indicator(broker, qtbot, cache, "t-bad", "docs/overdue")
    qtbot.waitUntil(lambda: hub.statuses["ioc"].state == LinkState.CONNECTED, timeout=10_000)
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{time.monotonic_ns()}")
    pub.connect("127.0.0.1", broker.port)
    pub.loop_start()
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
