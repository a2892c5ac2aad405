"""A domain is a plug-in: the water-level domain of tests/example_domain, installed the way a site would
install one (a distribution declaring a ``controlroom.domains`` entry point), goes from a real MQTT message
to its tile, its store table, its alert and its wall pop-up — with no module of the program edited."""

from __future__ import annotations

import importlib
import json
import subprocess
import time
from dataclasses import replace

import paho.mqtt.client as mqtt
import pytest

import feeds.core.domain as registry
import widgets.base.registry as tiles
from desktop.config.loader import parse_config
from desktop.session import GuiOptions, Session
from feeds.core.records import LinkState
from tests.support.paths import ROOT

GAUGE = "cau-hoang-long"


@pytest.fixture
def water_installed(tmp_path, monkeypatch):
    """The example domain as an installed distribution: metadata with its entry point on sys.path (the
    ingest process, a spawned child, inherits sys.path and finds it the same way)."""
    site = tmp_path / "site"
    dist = site / "controlroom_water-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: controlroom-water\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[controlroom.domains]\nwater = tests.example_domain.domain:DOMAIN\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    # This process has discovered its domains and tiles already: let it look again, as a fresh start would.
    monkeypatch.setattr(registry, "_domains", dict(registry._domains))
    monkeypatch.setattr(registry, "_refs", list(registry._refs))
    monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(tiles, "_discovered", False)
    yield
    importlib.invalidate_caches()


def config_text(port: int) -> str:
    return f"""
[feeds.bus]
address = "mqtt://127.0.0.1:{port}/ioc/v1/#"
options = {{ client_id = "t-water-wall" }}

[water]
flood_m = 3.5

[layouts.song]
title = "Mực nước sông Mã"
rows = 1
cols = 2

[[layouts.song.tiles]]
type = "water_gauge"
title = "Trạm Cầu Hoàng Long"
feed = "bus"
key = "water/{GAUGE}"

[[layouts.song.tiles]]
type = "clock"
title = "Thời gian"

[roles.wall]
terminal = "wall-1"
screens = ["song"]

[alerts]
banner_min_severity = "critical"

[alerts.popup]
target = "wall-1/0"
min_severity = "critical"
"""


def publish(port: int, topic: str, payload: dict) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"t-gauge-{time.monotonic_ns()}")
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()


def test_a_domain_installed_by_entry_point_flows_from_mqtt_to_its_tile_and_its_alert_to_the_wall(
        water_installed, broker, app, qtbot, tmp_path):
    assert "water" in [d.name for d in registry.domains()]
    config = parse_config(config_text(broker.port), str(tmp_path / "site.toml"), tiles.tile_types())
    assert config.section("water").flood_m == 3.5
    session = Session(config, GuiOptions(roles=("wall",), cache_path=tmp_path / "wall.sqlite"))
    session.start()
    try:
        qtbot.waitUntil(lambda: session.hub.statuses["bus"].state is LinkState.CONNECTED, timeout=15_000)
        wall = session.terminals[0]
        (gauge,) = [t for t in wall.grid.tiles if t.spec.type == "water_gauge"]
        topic = f"ioc/v1/water_level/{GAUGE}"
        publish(broker.port, topic, {"v": 1, "key": f"water/{GAUGE}", "ts": time.time(), "level_m": 2.4})
        qtbot.waitUntil(lambda: gauge.level.text() == "2.40 m", timeout=10_000)
        assert wall.banner.isHidden() and wall.scene_name == "song"
        publish(broker.port, topic, {"v": 1, "key": f"water/{GAUGE}", "ts": time.time(), "level_m": 3.9})
        # The domain's processor raised it in the ingest process; the alert book folded it; the wall shows it.
        qtbot.waitUntil(lambda: not wall.banner.isHidden(), timeout=10_000)
        assert "Mực nước trạm cau-hoang-long vượt báo động: 3.9 m" in wall.banner.text()
        qtbot.waitUntil(lambda: wall.scene_name.startswith("alert:"), timeout=5_000)
        (popped,) = wall.grid.tiles  # the domain chose which tile shows its alert
        assert popped.spec.type == "water_gauge" and popped.spec.key == f"water/{GAUGE}"
        qtbot.waitUntil(lambda: popped.level.text() == "3.90 m", timeout=5_000)
        # Stored like any domain record, in a store that ran the domain's own migration.
        assert [r.level_m for r in session.cache.events("water_level")] == [2.4, 3.9]
        assert session.cache.schema_versions()["water"] == 1
        from feeds.identity.roles import Role, Target
        from tests.support.people import LEADER

        calibrate = ("water.calibrate", Target(domain="water"))  # the domain's own action, in the one table
        assert not session.identity.check(LEADER, *calibrate).allowed
        assert session.identity.check(replace(LEADER, role=Role.DUTY_LEADER), *calibrate).allowed
        assert session.cache.run("SELECT count(*) FROM water_gauges") == [(0,)]
        (alert,) = [a for a in session.cache.alert_states() if a.domain == "water"]
        assert alert.link == f"gauge:{GAUGE}" and alert.severity.value == "critical"
        # A reading the domain's parser refuses is dead-lettered with its reason, like any other.
        publish(broker.port, topic, {"v": 1, "key": f"water/{GAUGE}", "ts": time.time(), "level_m": 99})
        qtbot.waitUntil(lambda: any("outside [-5, 30]" in r["reason"] for r in session.cache.rejects()),
                        timeout=10_000)
    finally:
        session.shutdown()


def test_no_module_of_the_program_names_the_example_domain():
    """What the test above proves needs no core edit: nothing under feeds/, widgets/ or desktop/ knows it."""
    found = subprocess.run(["git", "grep", "-l", "-E", "water_level|water_gauge|example_domain", "--",
                            "feeds", "widgets", "desktop", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True)
    assert found.stdout == "" and found.returncode == 1  # 1: no match
