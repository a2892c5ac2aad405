"""The alarm → commune call from the operator console: one action on an alert near a commune puts the room's wall
preset up, starts the alert's handling (its procedure opens), joins the commune's room, and invites its members
by SMS through a real (loopback) gateway — checked and audited."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop.config.loader import default_config_text, load_config
from desktop.session import GuiOptions, Session
from feeds.conference.commune_call import distance_km, invitation, room_for_alert
from feeds.conference.settings import parse_conference
from feeds.core.config import ConfigError, SectionContext
from feeds.core.records import Alert, AlertEvent, AlertState, Severity
from tests.support.broker import free_port
from tests.support.people import LEADER, OPERATOR
from widgets.base.registry import tile_types

HAI_LINH = (19.7560, 105.9040)  # Hải Lĩnh, Nghi Sơn (approximate centre)
AT_SEA = (19.7390, 105.9400)  # a vessel in distress 4 km off it


def _room_config(port: int, sms_url: str) -> str:
    return f"""
[conference.rooms.hai-linh]
address = "janus://127.0.0.1:{port}/room/4321"
description = "UBND phường Hải Lĩnh"
unit = "hai-linh"
place = [{HAI_LINH[0]}, {HAI_LINH[1]}]
radius_km = 8
preset = "hanh-chinh"
wall = "wall-1/0"
invite = ["sms-hai-linh"]

[alerts.channels.sms-hai-linh]
type = "sms"
url = "{sms_url}"
numbers = ["+84912000111", "+84912000222"]
"""


def _alert(location) -> Alert:
    return Alert("a", "TH-1|distress", "vessel", "distress", "TH-1", Severity.EMERGENCY, "Tàu gặp nạn", "distress",
                 "", "", 0.0, 0.0, 1, AlertState.RAISED, 0.0, "fleet", location)


def test_the_room_an_alert_calls_is_the_nearest_commune_within_its_radius():
    settings = parse_conference({"rooms": {
        "hai-linh": {"address": "janus://10.0.0.5:8088/room/4321", "place": list(HAI_LINH), "radius_km": 8},
        "nghi-son": {"address": "janus://10.0.0.5:8088/room/4322", "place": [19.33, 105.80], "radius_km": 30}}},
        SectionContext("site.toml"))
    alert = _alert(AT_SEA)
    assert 3 < distance_km(HAI_LINH, AT_SEA) < 5
    assert room_for_alert(settings, alert).name == "hai-linh"
    assert room_for_alert(settings, _alert((20.5, 106.5))) is None  # no commune near
    assert room_for_alert(settings, _alert(None)) is None  # an alert with no place calls nobody
    text = invitation(alert, settings.rooms["hai-linh"], "Nguyễn Văn Trực", 0)
    assert "Tàu gặp nạn" in text.body and "4321" in text.short and text.short.isascii()
    for bad in ({"place": [91, 0]}, {"place": [19.7]}, {"radius_km": 0}, {"invite": [3]}):
        with pytest.raises(ConfigError):
            parse_conference({"rooms": {"x": {"address": "janus://h:1/room/1", **bad}}}, SectionContext("s"))


def test_one_action_puts_the_preset_up_opens_the_procedure_joins_and_invites(app, qtbot, tmp_path, http_servers):
    gateway = http_servers(lambda n, body: 200)
    site = tmp_path / "site.toml"
    site.write_text(default_config_text() + _room_config(free_port(), gateway.url), encoding="utf-8")
    session = Session(load_config(site, tile_types()), GuiOptions(roles=("operator", "wall"),
                      cache_path=tmp_path / "s.sqlite", principal=OPERATOR))
    session.start()
    try:
        session.hub.submit(AlertEvent(id="distress/1", key="vessel/TH-99999-TS/distress", severity=Severity.EMERGENCY,
                                      ts=time.time(), source="fleet", title="Tàu TH-99999-TS gặp nạn",
                                      title_en="Vessel in distress", location=AT_SEA))
        panel = session.alert_panel
        ours = lambda: [panel.model.alert_at(r) for r in range(panel.model.rowCount())  # noqa: E731
                        if panel.model.alert_at(r).identity == "vessel/TH-99999-TS|distress"]
        qtbot.waitUntil(lambda: bool(ours()), timeout=30_000)
        alert = ours()[0]
        assert panel.select(alert.id)
        assert panel.call_button.isVisible() and "Hải Lĩnh" in panel.call_button.text()
        assert panel.call_button.minimumHeight() >= 40  # a finger's button
        panel.call_button.click()
        call = session.calls[-1]
        assert call.member is not None and call.member.room == 4321 and call.room.name == "hai-linh"
        qtbot.waitUntil(lambda: len(gateway.seen) == 2, timeout=20_000)  # both numbers invited
        assert {s.body["to"] for s in gateway.seen} == {"+84912000111", "+84912000222"}
        assert "4321" in gateway.seen[0].body["text"]
        qtbot.waitUntil(lambda: session.terminals[0].scene_name == "hanh-chinh", timeout=10_000)  # the preset up
        qtbot.waitUntil(lambda: panel.alert(alert.id).state.value == "in_progress", timeout=10_000)
        audit = lambda: [(e.action, e.outcome) for e in session.identity.audit.entries()  # noqa: E731
                         if e.action in ("conference.publish", "conference.invite")]
        qtbot.waitUntil(lambda: ("conference.invite", "ok") in audit(), timeout=5_000)
        assert ("conference.publish", "ok") in audit()
        qtbot.waitUntil(lambda: "Hải Lĩnh" in call.panel.status.text(), timeout=5_000)
        assert "sms-hai-linh" in call.panel.status.text()  # said where the invitation went
        session.operator.resize(1600, 1000)
        qtbot.wait(200)
        session.operator.grab().save(str(Path(os.environ.get("CONTROLROOM_SHOTS", tmp_path)) / "commune-call.png"))
    finally:
        session.shutdown()


def test_a_leader_has_no_commune_call_on_a_console_it_does_not_have(app, qtbot, tmp_path, http_servers):
    gateway = http_servers(lambda n, body: 200)
    site = tmp_path / "site.toml"
    site.write_text(default_config_text() + _room_config(free_port(), gateway.url), encoding="utf-8")
    session = Session(load_config(site, tile_types()), GuiOptions(roles=("leader",),
                      cache_path=tmp_path / "s.sqlite", principal=LEADER))
    try:
        assert session.alert_panel is None and len(session.calls) == 1  # the tablet's call page, no console
        assert session.terminals[0].page_buttons.count() >= 2
    finally:
        session.shutdown()
