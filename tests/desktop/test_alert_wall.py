"""Alerts on the wall: the banner, and the linked camera / vessel / station popping up and reverting."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from desktop.config.loader import default_config_text, parse_config
from desktop.windows.alert_wall import AlertWall, linked_tile
from desktop.windows.terminal import TerminalWindow
from feeds.alerts.config import PopupConfig
from feeds.core.records import Alert, AlertState, Severity
from feeds.store import Cache
from tests.support.people import OPERATOR
from widgets.base.registry import tile_types
from widgets.base.tile import TileContext

CONFIG = parse_config(default_config_text(), "demo.toml", tile_types())


def alert(ident: str, link: str, severity: Severity = Severity.CRITICAL, state: AlertState = AlertState.RAISED,
          title: str = "Camera Ngã tư Bà Triệu mất tín hiệu") -> Alert:
    now = time.time()
    return Alert(id=ident, identity=f"{ident}|t", domain="camera", type="signal", entity=ident, severity=severity,
                 title=title, title_en="Camera Ba Trieu crossroads lost", detail="", detail_en="", first_seen=now,
                 last_seen=now, count=1, state=state, ts=now, source="t", link=link, raised_at=now)


@pytest.fixture
def wall(app, qtbot, tmp_path):
    cache = Cache(tmp_path / "wall.sqlite")
    windows = [TerminalWindow("wall-1", i, TileContext(language="vi"), cache) for i in range(2)]
    for window, name in zip(windows, ("tong-quan", "moi-truong")):
        qtbot.addWidget(window)
        window.apply(name, CONFIG.layouts[name])
    yield windows
    cache.close()


def test_links_find_the_configured_tile_of_a_camera_vessel_or_station():
    camera = linked_tile("camera:cam03", CONFIG.layouts)
    assert (camera.type, camera.options["camera"], camera.feed) == ("camera", "cam03", "traffic")
    vessel = linked_tile("vessel:TH-90123-TS", CONFIG.layouts)
    assert (vessel.type, vessel.options["follow"], vessel.options["panel"]) == ("vessel_map", "TH-90123-TS", False)
    station = linked_tile("station:bim-son", CONFIG.layouts)
    assert station.type in ("aqi_card", "aqi_chart") and "bim-son" in station.key
    assert linked_tile("camera:no-such", CONFIG.layouts) is None and linked_tile("nonsense", CONFIG.layouts) is None


def test_banner_shows_the_most_serious_unacknowledged_alert_on_every_screen(wall, qtbot):
    board = AlertWall(wall, CONFIG.layouts, "vi", banner_min=Severity.CRITICAL)
    board.show_alerts([alert("a", "", Severity.WARNING)])
    assert all(w.banner.isHidden() for w in wall)  # a warning stays off the wall
    board.show_alerts([alert("b", "", Severity.CRITICAL), alert("c", "", Severity.EMERGENCY, title="Tàu gặp nạn")])
    for window in wall:
        assert not window.banner.isHidden()
        assert "Tàu gặp nạn" in window.banner.text() and "+1" in window.banner.text()
        assert window.banner.property("severity") == "emergency"
    board.show_alerts([replace(alert("c", "", Severity.EMERGENCY), state=AlertState.ACKNOWLEDGED)])
    assert "Camera Ngã tư Bà Triệu" in wall[0].banner.text() and "+" not in wall[0].banner.text()
    board.show_alerts([replace(alert("b", ""), state=AlertState.RESOLVED)])
    assert all(w.banner.isHidden() for w in wall)


def test_popup_replaces_the_scene_and_reverts_when_acknowledged(wall, qtbot):
    board = AlertWall(wall, CONFIG.layouts, "vi", popup=PopupConfig("wall-1/1", Severity.CRITICAL, 60))
    target = wall[1]
    board.show_alerts([alert("cam", "camera:cam02", Severity.WARNING)])
    assert target.scene_name == "moi-truong"  # below the pop-up severity
    board.show_alerts([alert("old", "camera:cam02")], live=False)
    assert target.scene_name == "moi-truong"  # read from the cache at start: never pops up
    board.show_alerts([alert("cam", "camera:cam02")])
    assert target.scene_name == "alert:cam" and wall[0].scene_name == "tong-quan"
    (tile,) = target.grid.tiles
    assert (tile.type_name, tile.spec.options["camera"]) == ("camera", "cam02")
    assert tile.spec.title == "Camera Ngã tư Bà Triệu mất tín hiệu"
    board.show_alerts([replace(alert("cam", "camera:cam02"), state=AlertState.ACKNOWLEDGED)])
    assert target.scene_name == "moi-truong" and len(target.grid.tiles) == len(CONFIG.layouts["moi-truong"].tiles)
    board.show_alerts([alert("cam", "camera:cam02")])  # the same alert never pops up twice
    assert target.scene_name == "moi-truong"


def test_popup_reverts_after_its_time_unless_another_scene_was_pushed_meanwhile(wall, qtbot):
    board = AlertWall(wall, CONFIG.layouts, "en", popup=PopupConfig("wall-1/0", Severity.CRITICAL, 0.3))
    target = wall[0]
    board.show_alerts([alert("one", "station:bim-son")])
    assert target.scene_name == "alert:one" and target.grid.tiles[0].spec.title == "Camera Ba Trieu crossroads lost"
    board.show_alerts([alert("two", "camera:cam01", Severity.EMERGENCY)])  # the newest replaces it…
    assert target.scene_name == "alert:two"
    qtbot.waitUntil(lambda: target.scene_name == "tong-quan", timeout=3000)  # …and the original comes back
    board.show_alerts([alert("three", "vessel:TH-90123-TS")])
    assert target.scene_name == "alert:three"
    target.apply("giao-thong", CONFIG.layouts["giao-thong"])  # an operator pushed a scene meanwhile
    qtbot.wait(600)
    assert target.scene_name == "giao-thong" and board.active is None


def test_a_camera_that_loses_its_stream_raises_an_alert_linked_to_it(app, qtbot, tmp_path):
    from desktop.session import GuiOptions, Session

    text = default_config_text().replace('screens = ["tong-quan"]', 'screens = ["giao-thong"]').replace(
        'main = "sim://camera/1?size=1280x720"\nsub = "sim://camera/1?size=640x360"',
        'main = "rtsp://127.0.0.1:9/dead"\nsub = "rtsp://127.0.0.1:9/dead"')
    session = Session(parse_config(text, "site.toml", tile_types()),
                      GuiOptions(roles=("wall",), cache_path=tmp_path / "wall.sqlite", language="vi"))
    session.start()
    try:
        def lost():
            return next((a for a in session.cache.alert_states() if a.link == "camera:cam01"), None)

        qtbot.waitUntil(lambda: lost() is not None, timeout=30_000)
        alert = lost()
        assert (alert.entity, alert.type, alert.domain, alert.severity) == (
            "camera/cam01", "signal", "camera", Severity.WARNING)
        assert alert.title == "Camera Ngã tư Bà Triệu: mất tín hiệu" and not alert.cleared
        assert not any(a.link == "camera:cam02" for a in session.cache.alert_states())  # its stream is live
    finally:
        session.shutdown()


def test_the_operator_works_an_alert_and_the_wall_follows(app, qtbot, tmp_path):
    """Console and wall in one session: an emergency pops up its camera on the wall; the operator
    acknowledges it in the panel (through the ingest process and back) and the wall reverts; the
    procedure is worked to the end and becomes part of the alert's history."""
    from PySide6.QtCore import QItemSelectionModel

    from desktop.session import GuiOptions, Session
    from feeds.core.records import AlertEvent

    # Without the simulated fleet, whose distressed vessel would pop up over ours.
    config = replace(CONFIG, feeds={name: CONFIG.feeds[name] for name in ("ioc", "traffic")})
    session = Session(config, GuiOptions(roles=("operator", "wall"),
                                         principal=OPERATOR, cache_path=tmp_path / "s.sqlite", language="vi"))
    session.start()
    try:
        wall, panel = session.terminals[0], session.alert_panel
        now = time.time()
        session.hub.submit(AlertEvent(
            id="fire-1", key="camera/cam01/fire", severity=Severity.EMERGENCY, ts=now, source="ai-camera",
            title="Phát hiện khói tại Ngã tư Bà Triệu", title_en="Smoke at Ba Trieu crossroads", link="camera:cam01"))
        qtbot.waitUntil(lambda: wall.scene_name == "alert:fire-1", timeout=15_000)
        assert not wall.banner.isHidden() and "Phát hiện khói" in wall.banner.text()
        proxy = panel.proxy
        row = next(r for r in range(proxy.rowCount())
                   if panel.model.alert_at(proxy.mapToSource(proxy.index(r, 0)).row()).id == "fire-1")
        panel.table.selectionModel().select(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                            | QItemSelectionModel.SelectionFlag.Rows)
        assert panel.selected_alert_id == "fire-1" and panel.ack_button.isEnabled()
        panel.ack_button.click()
        qtbot.waitUntil(lambda: wall.scene_name == "tong-quan", timeout=10_000)
        assert panel.alert("fire-1").state is AlertState.ACKNOWLEDGED and wall.banner.isHidden()
        assert panel.alert("fire-1").acked_by == OPERATOR.name
        steps = panel.sop.rows
        assert steps, "the camera procedure is shown beside the alert"
        for i in range(len(steps)):
            qtbot.waitUntil(lambda i=i: steps[i].box.isEnabled(), timeout=10_000)
            steps[i].box.click()
        qtbot.waitUntil(lambda: "sop_done" in [a.action for a in session.cache.alert_history("fire-1")],
                        timeout=10_000)
        history = session.cache.alert_history("fire-1")
        assert [a.action for a in history].count("sop_step") == len(steps)
        assert {a.by for a in history if a.action in ("ack", "sop_step", "sop_done")} == {OPERATOR.name}
    finally:
        session.shutdown()


def test_a_popup_cut_short_by_a_newer_one_comes_back_until_acknowledged(wall, qtbot):
    board = AlertWall(wall, CONFIG.layouts, "vi", banner_min=Severity.EMERGENCY,
                      popup=PopupConfig("wall-1/0", Severity.CRITICAL, 60))
    target = wall[0]
    board.show_alerts([alert("fire", "camera:cam01"), alert("flood", "camera:cam02")])
    assert target.scene_name == "alert:flood"
    board.show_alerts([replace(alert("flood", "camera:cam02"), state=AlertState.ACKNOWLEDGED)])
    assert target.scene_name == "alert:fire"  # critical, below the banner's level, still pops back
    assert target.grid.tiles[0].spec.options["camera"] == "cam01"
    board.show_alerts([alert("late", "camera:cam03"), replace(alert("fire", "camera:cam01"),
                                                             state=AlertState.ACKNOWLEDGED)])
    assert target.scene_name == "alert:late"
    board.revert("timeout")
    assert target.scene_name == "tong-quan" and board.active is None
