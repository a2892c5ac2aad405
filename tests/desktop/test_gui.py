"""The application as a person sees it: demo screenshots, offline start, screens, kiosk, scenes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QRawFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget

from desktop.application import install_translators
from desktop.config.loader import default_config_text, parse_config
from desktop.session import GuiOptions, Session
from desktop.windows.kiosk import make_kiosk, release
from desktop.windows.screens import ScreenManager
from feeds.core.records import LinkState, Measurement, Severity
from feeds.store import Cache
from tests.support.paths import ROOT
from tests.support.people import OPERATOR
from tests.support.waiting import wait_until
from widgets.base.registry import tile_types


def config_for(address: str | None = None, **replace: str):
    text = default_config_text()
    if address:
        text = text.replace('address = "sim://ioc"\noptions = { seed = 7, speed = 1800.0, alert_period_s = 1200.0, '
                            'stale_after_s = 86400 }', f'address = "{address}"\noptions = {{ stale_after_s = 60 }}')
    for old, new in replace.items():
        text = text.replace(old, new)
    return parse_config(text, "test.toml", tile_types())


def settle(session: Session, qtbot) -> None:
    """Wait for the start-up backfill to be stored: a push is measured in steady state."""
    qtbot.waitUntil(lambda: session.hub.counters.stored > 0 and session.hub.counters.pending == 0, timeout=30_000)
    stored = session.hub.counters.stored
    qtbot.wait(1500)  # and for the simulators' start-up burst (replays, first fleet batch) to pass
    qtbot.waitUntil(lambda: session.hub.counters.pending == 0 and session.hub.counters.stored >= stored,
                    timeout=30_000)


def distinct_colours(image: QImage, step: int = 7) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_demo_screenshot_shows_operator_and_wall(tmp_path):
    shot = tmp_path / "out.png"
    result = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "demo", "--screenshot", str(shot),
                             "--quit-after", "8", "--cache", str(tmp_path / "demo.sqlite")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"]})
    assert result.returncode == 0, result.stderr[-2000:]
    wall = tmp_path / "out-1.png"
    for picture in (shot, wall):
        image = QImage(str(picture))
        assert not image.isNull() and image.width() >= 800 and image.height() >= 600
        assert distinct_colours(image) > 40, f"{picture.name} looks blank"
    cache = Cache(tmp_path / "demo.sqlite")
    from feeds.indicators.scenario import INDICATORS
    assert {spec.key for spec in INDICATORS} <= set(cache.latest())  # every simulated indicator was cached
    cache.close()


def test_offline_start_shows_last_known_values_stamped_and_stale(app, qtbot, tmp_path):
    cache = Cache(tmp_path / "old.sqlite")
    two_hours_ago = time.time() - 7200
    cache.store([Measurement(key="docs/overdue", value=42, ts=two_hours_ago, source="ioc", unit="văn bản")])
    cache.close()
    config = config_for("mqtt://127.0.0.1:9/ioc/v1/#")  # nothing listens on port 9: the network is down
    session = Session(config, GuiOptions(roles=("wall",), cache_path=tmp_path / "old.sqlite", language="en"))
    session.start()
    window = session.terminals[0]
    tile = next(t for t in window.grid.tiles if t.spec.key == "docs/overdue")
    assert tile.value_label.text() == "42"
    stamp = time.strftime("%H:%M", time.localtime(two_hours_ago))
    assert tile.freshness.text() == f"STALE · as of {stamp}"
    assert tile.is_stale()
    qtbot.waitUntil(lambda: session.hub.statuses["ioc"].state == LinkState.OFFLINE, timeout=10_000)
    qtbot.waitUntil(lambda: "no connection: ioc" in window.notice.text(), timeout=5_000)
    window.grab().save(str(tmp_path / "offline.png"))
    session.shutdown()
    release(window)
    window.close()


def test_windows_go_to_their_screens_and_rehome_when_one_is_unplugged(app, qtbot):
    screens = QGuiApplication.screens()
    assert len(screens) == 2, "the tests run with two offscreen screens (tests/data/offscreen_screens.json)"
    windows = [QWidget(), QWidget()]
    for window in windows:
        qtbot.addWidget(window)
        window.resize(640, 480)
    manager = ScreenManager(windows, wanted=[1, 0], fullscreen=True)
    manager.place_all()
    assert windows[0].windowHandle().screen() is screens[1]
    assert windows[1].windowHandle().screen() is screens[0]
    assert windows[0].geometry() == screens[1].geometry()
    QGuiApplication.instance().screenRemoved.emit(screens[1])  # the right-hand display is unplugged
    assert manager.rehomed == 1
    assert all(w.windowHandle().screen() is screens[0] for w in windows)
    assert windows[0].geometry() == screens[0].geometry() and windows[0].isVisible()
    QGuiApplication.instance().screenAdded.emit(screens[1])  # and plugged back in
    assert windows[0].windowHandle().screen() is screens[1]


def test_kiosk_ignores_escape_and_close_and_hides_the_cursor(app, qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    guard = make_kiosk(window)
    window.show()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert guard.swallowed >= 2
    assert window.close() is False and window.isVisible()
    assert bool(window.windowFlags() & Qt.WindowType.FramelessWindowHint)
    assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    release(window)
    assert window.close() is True
    QGuiApplication.restoreOverrideCursor()


def test_scene_pushed_in_process_is_applied_logged_and_remembered(app, qtbot, tmp_path):
    path = tmp_path / "scenes.sqlite"
    session = Session(config_for(), GuiOptions(roles=("operator", "wall"),
                                               principal=OPERATOR, cache_path=path, language="en"))
    session.start()
    wall = session.terminals[0]
    assert wall.scene_name == "tong-quan"
    session.operator.show_layout("hanh-chinh")
    session.operator.reflow("2x2")
    settle(session, qtbot)
    pushed = time.monotonic()
    session.operator.push("wall-1/0")
    qtbot.waitUntil(lambda: wall.scene_name == "hanh-chinh", timeout=1000)
    assert time.monotonic() - pushed < 1.0
    assert len(wall.grid.tiles) == 4 and wall.grid.layout_spec.rows == 2
    log = session.cache.scene_log()
    assert [(e["action"], e["scene"], e["target"], e["by"]) for e in log] == [
        ("push", "hanh-chinh", "wall-1/0", OPERATOR.name), ("apply", "hanh-chinh", "wall-1/0", OPERATOR.name)]
    audited = [(e.actor, e.action, e.outcome) for e in session.identity.audit.entries() if e.action.startswith("scene")]
    assert audited == [(OPERATOR.name, "scene.push", "ok"), ("wall-1", "scene.apply", "ok")]
    session.shutdown()
    again = Session(config_for(), GuiOptions(roles=("wall",), cache_path=path, language="en"))
    assert again.terminals[0].scene_name == "hanh-chinh"  # kept across a restart
    assert len(again.terminals[0].grid.tiles) == 4
    again.shutdown()


def test_saved_scene_appears_in_the_layout_list(app, qtbot, tmp_path):
    session = Session(config_for(), GuiOptions(roles=("operator",),
                                               principal=OPERATOR, cache_path=tmp_path / "s.sqlite"))
    session.operator.show_layout("lanh-dao")
    assert session.operator.save_scene("Họp giao ban sáng thứ Hai")
    assert "Họp giao ban sáng thứ Hai" in [session.operator.layout_box.itemText(i)
                                         for i in range(session.operator.layout_box.count())]
    assert not session.operator.save_scene("   ")
    silent = [w for w in session.operator.statusBar().findChildren(QLabel) if "no audio device" in w.text()]
    assert len(silent) == (0 if session.sound.available else 1)  # the operator knows alerts cannot sound
    session.operator.mute_button.click()
    assert session.sound.muted and not session.sound.play(Severity.EMERGENCY)
    session.operator.mute_button.click()
    assert not session.sound.muted and session.sound.play(Severity.EMERGENCY)
    session.shutdown()


def test_scene_pushed_over_mqtt_reaches_a_wall_in_another_session(broker, app, qtbot, tmp_path):
    address = f"{broker.url}/ioc/v1/#"
    operator = Session(config_for(address), GuiOptions(roles=("operator",),
                                                       principal=OPERATOR, cache_path=tmp_path / "op.sqlite"))
    wall = Session(config_for(address), GuiOptions(roles=("wall",), cache_path=tmp_path / "wall.sqlite"))
    operator.start()
    wall.start()
    qtbot.waitUntil(lambda: all(s.hub.statuses["ioc"].state == LinkState.CONNECTED for s in (operator, wall)),
                    timeout=10_000)
    operator.operator.show_layout("lanh-dao")
    settle(operator, qtbot)
    settle(wall, qtbot)
    pushed = time.monotonic()
    operator.operator.push("wall-1/0")
    qtbot.waitUntil(lambda: wall.terminals[0].scene_name == "lanh-dao", timeout=2000)
    assert time.monotonic() - pushed < 1.0
    wall.shutdown()
    # A wall that starts later, with an empty cache, gets the retained scene from the broker.
    late = Session(config_for(address), GuiOptions(roles=("wall",), cache_path=tmp_path / "late.sqlite"))
    late.start()
    qtbot.waitUntil(lambda: late.terminals[0].scene_name == "lanh-dao", timeout=5000)
    late.shutdown()
    operator.shutdown()


def test_operator_console_shows_the_broker_connection_state(broker, app, qtbot, tmp_path):
    session = Session(config_for(f"{broker.url}/ioc/v1/#"),
                      GuiOptions(roles=("operator",),
                                 principal=OPERATOR, cache_path=tmp_path / "c.sqlite", language="en"))
    session.start()
    qtbot.waitUntil(lambda: "ioc: connected" in session.operator.feed_state_text("ioc"), timeout=10_000)
    broker.stop()
    qtbot.waitUntil(lambda: "reconnecting since" in session.operator.feed_state_text("ioc"), timeout=10_000)
    session.operator.grab().save(str(tmp_path / "reconnecting.png"))
    broker.start()
    qtbot.waitUntil(lambda: "ioc: connected" in session.operator.feed_state_text("ioc"), timeout=40_000)
    session.shutdown()


def test_bundled_font_covers_vietnamese(app):
    raw = QRawFont.fromFont(app.font())
    assert raw.familyName() == "Noto Sans"
    assert all(raw.supportsCharacter(ord(ch)) for ch in "Cảng vụ Đường thủy nội địa ỹ Ữ ậ")
    assert not raw.supportsCharacter(0x4E00)  # the check can fail: no CJK in Noto Sans


@pytest.mark.parametrize("language,expected", [("vi", "cập nhật 09:30"), ("en", "as of 09:30")])
def test_interface_language_switches(app, language, expected):
    from widgets.base.registry import create_tile
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext

    translators = install_translators(app, language)
    try:
        tile = create_tile(TileSpec(type="indicator", key="x", options={"stale_after_s": 1e12}),
                           TileContext(language=language))
        ts = time.mktime(time.strptime("2026-11-23 09:30", "%Y-%m-%d %H:%M"))
        tile.show_records([Measurement(key="x", value=1, ts=ts, source="s")])
        tile.refresh_age(ts + 60)
        assert tile.freshness.text() == expected
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def test_a_kiosk_wall_stops_cleanly_on_sigterm(tmp_path):
    """systemd stops the wall with SIGTERM: the kiosk lets its windows close and the process exits 0."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:  # systemd's notify socket, abstract
        name = f"controlroom-test-notify-{os.getpid()}-{time.monotonic_ns()}"
        notify.bind("\0" + name)
        notify.setblocking(False)
        wall = subprocess.Popen([sys.executable, "-m", "desktop.commands.cli", "wall", "--kiosk", "--cache",
                                 str(tmp_path / "w.sqlite")], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "NOTIFY_SOCKET": "@" + name})
        told: list[bytes] = []

        def watchdog_after_ready() -> bool:  # READY=1 comes before the event loop, WATCHDOG=1 from its ticker
            try:
                told.append(notify.recv(256))
            except BlockingIOError:
                pass
            return b"READY=1" in told and b"WATCHDOG=1" in told[told.index(b"READY=1"):]

        try:
            wait_until(watchdog_after_ready, 30, lambda: f"the wall's event loop to run; it told {told}")
            wall.send_signal(__import__("signal").SIGTERM)
            _, err = wall.communicate(timeout=30)
        finally:
            if wall.poll() is None:  # the test failed: no kiosk left behind
                wall.kill()
                wall.communicate()
    assert wall.returncode == 0, err[-2000:]
    assert "refused a close request" not in err


def test_operator_console_counts_alert_records(app, qtbot, tmp_path):
    """Until the alert panel exists, alerts (simulated ones here) are cache records with a visible count."""
    session = Session(config_for(), GuiOptions(roles=("operator",),
                                               principal=OPERATOR, cache_path=tmp_path / "a.sqlite", language="en"))
    session.start()
    qtbot.waitUntil(lambda: session.hub.counters.alerts >= 2, timeout=20_000)
    session.tick()
    stored = session.hub.counters.alerts
    assert session.operator.alerts_label.text() == f"alerts {stored}"
    session.shutdown()
    assert Cache(tmp_path / "a.sqlite").count("alerts") >= stored
