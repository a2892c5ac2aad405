"""The composition root: Qt application, fonts, theme, language, the feed hub and the windows of each role."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from desktop.alert_sound import AlertSound
from desktop.alert_wall import AlertWall
from desktop.cameras import CameraManager
from desktop.config import AppConfig
from desktop.hub import FeedHub
from desktop.kiosk import make_kiosk, release
from desktop.operator_window import OperatorWindow
from desktop.scenes import layout_of, remembered_layout, scene_topic_filter
from desktop.screens import ScreenManager
from desktop.terminal_window import TerminalWindow
from feeds.air_quality import processor_specs as air_processor_specs
from feeds.cache import Cache
from feeds.records import Alert, AlertAction, AlertEvent, Record, SceneCommand, Severity
from feeds.sop import SopLibrary
from feeds.vessel_tracking import processor_specs as vessel_processor_specs
from feeds.video import StreamHealth, StreamState
from widgets.alert_panel import AlertPanel
from widgets.map_tiles import prepare_web_engine
from widgets.tile import TileContext

log = logging.getLogger(__name__)
APP_NAME = "controlroom"
ALERT_ACTION_TOPICS = "ioc/v1/alert_action/#"


@dataclass(frozen=True)
class GuiOptions:
    roles: tuple[str, ...]
    cache_path: Path
    kiosk: bool = False
    screens: tuple[int, ...] | None = None
    screenshot: Path | None = None
    quit_after_s: float | None = None
    language: str | None = None


def resource_path(*parts: str) -> Path:
    return Path(str(importlib_resources.files("resources").joinpath(*parts)))


def load_fonts(app: QApplication) -> str:
    """Register the bundled Noto Sans (Vietnamese coverage); the offscreen platform has no system fonts."""
    family = ""
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0 and not family:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        app.setFont(QFont(family, 10))
    else:
        log.error("bundled font could not be loaded; Vietnamese text may show missing glyphs")
    return family


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Vietnamese is a translation of the English source strings; Qt's own strings too."""
    translators: list[QTranslator] = []
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi" else QLocale.Language.English))
    if language != "vi":
        return translators
    ours = QTranslator(app)
    if ours.load(str(resource_path("i18n", "controlroom_vi.qm"))):
        translators.append(ours)
    else:
        log.error("Vietnamese translation file is missing; the interface stays in English")
    qt_own = QTranslator(app)
    if qt_own.load(QLocale(QLocale.Language.Vietnamese), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt_own)
    for translator in translators:
        app.installTranslator(translator)
    return translators


def make_application(argv: list[str]) -> QApplication:
    # Painting re-enters Python for every pyqtgraph item, and each re-entry waits for the GIL; with
    # feed threads busy, the default 5 ms switch interval turns one frame into hundreds of ms.
    sys.setswitchinterval(0.0005)
    prepare_web_engine()  # the map's tiles:// scheme: registered before the QApplication exists
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("IOC")
    load_fonts(app)
    app.setStyleSheet(resource_path("themes", "dark.qss").read_text(encoding="utf-8"))
    return app


class SystemdNotifier:
    """READY=1 then WATCHDOG=1 from the GUI thread, so a hung event loop gets the kiosk restarted."""

    def __init__(self) -> None:
        address = os.environ.get("NOTIFY_SOCKET", "")
        self.sock: socket.socket | None = None
        if address:
            self.address = "\0" + address[1:] if address.startswith("@") else address
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)

    def notify(self, message: str) -> None:
        if self.sock is not None:
            try:
                self.sock.sendto(message.encode(), self.address)
            except OSError as exc:
                log.warning("systemd notify failed: %s", exc)


class Session(QObject):
    """Everything one process shows: the roles it runs, their windows, bound to one feed hub."""

    def __init__(self, config: AppConfig, options: GuiOptions) -> None:
        super().__init__()
        self.config = config
        self.options = options
        self.language = options.language or config.language
        self.cache = Cache(options.cache_path, history_points=config.history_points)
        if self.cache.moved_aside:
            log.error("the cache was damaged and has been rebuilt; the old file is %s", self.cache.moved_aside)
        self.hub = FeedHub(self._feeds_with_extra_topics(), str(options.cache_path), role="-".join(options.roles),
                           history_points=config.history_points,
                           processors=air_processor_specs(config.layouts.values(), options.cache_path)
                           + vessel_processor_specs(config.feeds.values(), config.layouts.values()),
                           alerts=config.alerts.spec)
        self.context = TileContext(language=self.language, stale_after_s=config.stale_after_s,
                                   feed_stale_after_s={n: self.hub.stale_after_s(n) for n in config.feeds})
        self.operator: OperatorWindow | None = None
        self.terminals: list[TerminalWindow] = []
        self.windows: list[QWidget] = []
        self.notifier = SystemdNotifier()
        self._build_windows()
        self.cameras = CameraManager(config.cameras, self.language)  # live video: workers bound to camera tiles
        for grid in self.grids():
            self.cameras.attach(grid)
        if self.operator is not None and config.cameras:
            self.cameras.attach_operator(self.operator)
        self.cameras.healthChanged.connect(self.on_camera_health)
        self._camera_lost: dict[str, bool] = {}
        self.alert_wall = AlertWall(self.terminals, config.layouts, self.language, config.alerts.banner_min_severity,
                                    config.alerts.popup, parent=self)
        self.alert_panel = self._build_alert_panel() if self.operator is not None else None
        self._show_last_known()
        self.hub.recordsArrived.connect(self.on_records)
        self.hub.statusChanged.connect(self.on_status)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start(1000)

    def _feeds_with_extra_topics(self) -> dict:
        """Subscribe the scene feed to this process's terminals' scenes, the alert feed to alert actions."""
        feeds = dict(self.config.feeds)
        extra = {self.config.scene_feed: [scene_topic_filter(self.config.roles[r].terminal)
                                          for r in self.options.roles if r != "operator" and r in self.config.roles]}
        extra.setdefault(self.config.alerts.spec.feed, []).append(ALERT_ACTION_TOPICS)
        for name, topics in extra.items():
            feed = feeds.get(name)
            if feed and feed.address.startswith("mqtt") and topics:
                options = dict(feed.options)
                options["topics"] = [*options.get("topics", []), *topics]
                feeds[name] = type(feed)(feed.name, feed.address, options)
        return feeds

    def _build_alert_panel(self) -> AlertPanel:
        alerts = self.config.alerts
        folder = Path(alerts.sop_dir) if alerts.sop_dir else resource_path("sop")
        procedures = SopLibrary.load(folder)
        for error in procedures.errors:
            log.error("procedure library: %s", error)
        panel = AlertPanel(self.config.user, self.language, procedures, alerts.assignees)
        panel.actionRequested.connect(self.act)
        panel.alertSelected.connect(lambda alert_id: panel.show_history(alert_id, self.cache.alert_history(alert_id)))
        self.sound = AlertSound(parent=self)  # the bundled sound
        self.sound.muted = not alerts.sound
        self.operator.add_alert_panel(panel, sound_available=self.sound.available or self.sound.muted,
                                      muted=self.sound.muted)
        self.operator.muteToggled.connect(lambda muted: setattr(self.sound, "muted", muted))
        return panel

    def _build_windows(self) -> None:
        for role in self.options.roles:
            role_config = self.config.roles[role]
            if role == "operator":
                self.operator = OperatorWindow(self.context, self.cache, self.config.layouts,
                                               self.config.scene_targets, self.config.user)
                self.operator.show_layout(role_config.screens[0])
                self.operator.pushRequested.connect(self.push_scene)
                self.windows.append(self.operator)
                continue
            for index, layout_name in enumerate(role_config.screens):
                window = TerminalWindow(role_config.terminal, index, self.context, self.cache)
                remembered = remembered_layout(self.cache, window.target)
                scene, layout = remembered or (layout_name, self.config.layouts[layout_name])
                window.apply(scene, layout)
                if self.options.kiosk or role_config.kiosk:
                    make_kiosk(window)
                self.terminals.append(window)
                self.windows.append(window)
        kiosk = self.options.kiosk or any(self.config.roles[r].kiosk for r in self.options.roles)
        self.screens = ScreenManager(self.windows, list(self.options.screens) if self.options.screens else None,
                                     fullscreen=kiosk)

    def _show_last_known(self) -> None:
        """Offline start: every tile gets its cached value, stamped with its age; the alerts as they were."""
        known = self.cache.alert_states(limit=2000)[::-1]
        if self.alert_panel is not None:
            self.alert_panel.update_alerts(known)
            self.alert_panel.soundRequested.connect(self.sound.play)  # only for alerts raised from now on
        self.alert_wall.show_alerts(known, live=False)
        latest = list(self.cache.latest().values())  # (fleet tiles start from the stored fleet themselves)
        if latest:
            self.on_records(sorted(latest, key=lambda r: r.ts))
            self.tick()

    def grids(self) -> list:
        grids = [t.grid for t in self.terminals]
        return [self.operator.grid, *grids] if self.operator else grids

    def start(self) -> None:
        self.screens.place_all()
        self.hub.start()
        self.notifier.notify("READY=1")
        if self.options.quit_after_s is not None:
            QTimer.singleShot(int(self.options.quit_after_s * 1000), self.finish)

    def on_records(self, records: list[Record]) -> None:
        scenes = [r for r in records if isinstance(r, SceneCommand)]
        for command in scenes:
            self.apply_scene(command)
        alerts = [r for r in records if isinstance(r, Alert)]
        if alerts:
            self.show_alerts(alerts)
        if self.alert_panel is not None and self.alert_panel.selected_alert_id:
            selected = self.alert_panel.selected_alert_id
            if any(isinstance(r, (AlertAction, Alert)) and selected in (getattr(r, "alert_id", ""), r.id)
                   for r in records):
                self.alert_panel.show_history(selected, self.cache.alert_history(selected))
        for grid in self.grids():
            grid.dispatch(records)

    def show_alerts(self, alerts: list[Alert]) -> None:
        if self.alert_panel is not None:
            self.alert_panel.update_alerts(alerts)
        self.alert_wall.show_alerts(alerts)

    def act(self, action: AlertAction) -> None:
        """An operator's action on an alert; kept in the cache even while the ingest process restarts."""
        if not self.hub.submit(action):
            self.cache.store([action])

    def on_camera_health(self, camera: str, health: StreamHealth) -> None:
        """A camera whose stream is lost raises an alert (linked to its tile); live again clears it."""
        lost = health.state in (StreamState.LOST, StreamState.ERROR)
        if lost == self._camera_lost.get(camera, False):
            return
        self._camera_lost[camera] = lost
        name = self.config.cameras[camera].name if camera in self.config.cameras else camera
        self.hub.submit(AlertEvent(
            id=f"camera/{camera}/signal/{health.since:.3f}", key=f"camera/{camera}/signal", severity=Severity.WARNING,
            title=f"Camera {name}: mất tín hiệu", title_en=f"Camera {name}: signal lost", detail=health.detail,
            ts=health.since, source="cameras", link=f"camera:{camera}", clear=not lost))

    def apply_scene(self, command: SceneCommand) -> None:
        for window in self.terminals:
            if window.target == command.target:
                layout = layout_of(command)
                if layout is None:
                    self.cache.reject(command.source, f"scene/{command.target}", "malformed layout", "")
                    return
                window.apply(command.scene, layout)
                self.cache.log_scene("apply", command.scene, command.target, command.by or command.source)

    def push_scene(self, command: SceneCommand) -> None:
        if not self.config.scene_feed:
            log.error("no [scenes] feed configured: scene %r cannot be pushed", command.scene)
            return
        self.hub.publish(self.config.scene_feed, command, retain=True)

    def on_status(self, status) -> None:
        if self.operator:
            self.operator.show_status(status)
        for window in self.terminals:
            window.show_status(status)

    def tick(self) -> None:
        now = time.time()
        for grid in self.grids():
            grid.tick(now)
        if self.alert_panel is not None:
            self.alert_panel.tick(now)
        if self.operator:
            counters = self.hub.counters
            self.operator.show_counters(counters.stored, counters.duplicates, counters.rejected, counters.disk_full,
                                        str(self.cache.moved_aside) if self.cache.moved_aside else None,
                                        counters.alerts)
        self.notifier.notify("WATCHDOG=1")

    def save_screenshots(self, path: Path) -> list[Path]:
        """One PNG per window: PATH for the first, PATH-1.png, PATH-2.png … for the others."""
        saved = []
        for i, window in enumerate(self.windows):
            target = path if i == 0 else path.with_name(f"{path.stem}-{i}{path.suffix or '.png'}")
            target.parent.mkdir(parents=True, exist_ok=True)
            if window.grab().save(str(target)):
                saved.append(target)
            else:
                log.error("could not write screenshot %s", target)
        return saved

    def finish(self) -> None:
        if self.options.screenshot is not None:
            for saved in self.save_screenshots(self.options.screenshot):
                print(f"screenshot: {saved}", file=sys.stderr)
        self.quit()

    def quit(self) -> None:
        """Leave on purpose (timer, SIGTERM from systemd): kiosk windows may close now."""
        for window in self.windows:
            release(window)
        QApplication.instance().quit()

    def shutdown(self) -> None:
        self.cameras.stop()
        for window in self.windows:
            release(window)
        self.hub.stop()
        self.cache.close()


def run_gui(config: AppConfig, options: GuiOptions, argv: list[str]) -> int:
    app = make_application(argv)
    install_translators(app, options.language or config.language)
    session = Session(config, options)
    app.aboutToQuit.connect(session.shutdown)
    # systemd stops a kiosk with SIGTERM; the once-a-second ticker lets Python run the handler.
    signal.signal(signal.SIGTERM, lambda *_: session.quit())
    signal.signal(signal.SIGINT, lambda *_: session.quit())
    session.start()
    return app.exec()
