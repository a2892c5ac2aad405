"""The operator console: the operator's tiles, feed connection states, and composing/pushing scenes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from desktop.config.layouts import PRESETS, ScreenLayout, preset_of, with_preset
from desktop.scenes import make_push
from desktop.windows.tile_grid import TileGrid
from feeds.core.records import FeedStatus
from feeds.identity.roles import Decision, Target
from feeds.store import Cache
from widgets.base.clock_tile import STATE_COLOURS, status_text
from widgets.base.tile import TileContext

log = logging.getLogger(__name__)


class OperatorWindow(QMainWindow):
    pushRequested = Signal(object)  # SceneCommand
    muteToggled = Signal(bool)  # the operator silenced (or restored) the alarm sound
    signOutRequested = Signal()

    def __init__(self, context: TileContext, cache: Cache, layouts: dict[str, ScreenLayout],
                 targets: tuple[str, ...], user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.cache = cache
        self.layouts = dict(layouts)
        self.user = user
        # (action, target) → the decision, checked and audited where the action is carried out; the session sets it
        self.guard: Callable[[str, Target], Decision] | None = None
        self.setWindowTitle(self.tr("controlroom — operator console"))
        self.resize(1600, 950)
        self.grid = TileGrid(context, cache)
        self.setCentralWidget(self.grid)
        self._build_toolbar(targets)
        self._build_status_bar()
        self._build_scene_log()
        self.current: ScreenLayout | None = None
        self._docks_sized = False

    # -- construction ------------------------------------------------------------------------
    def _build_toolbar(self, targets: tuple[str, ...]) -> None:
        bar = QToolBar(self.tr("Scenes"))
        bar.setObjectName("sceneBar")
        bar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.addWidget(QLabel(self.tr("Layout")))
        self.layout_box = QComboBox()
        self.layout_box.currentTextChanged.connect(self._layout_chosen)
        bar.addWidget(self.layout_box)
        bar.addWidget(QLabel(self.tr("Grid")))
        self.preset_box = QComboBox()
        self.preset_box.addItems(list(PRESETS))
        self.preset_box.textActivated.connect(self.reflow)
        bar.addWidget(self.preset_box)
        bar.addSeparator()
        self.scene_name = QLineEdit()
        self.scene_name.setPlaceholderText(self.tr("scene name"))
        self.scene_name.setMaximumWidth(200)
        bar.addWidget(self.scene_name)
        save = QPushButton(self.tr("Save scene"))
        save.clicked.connect(lambda: self.save_scene(self.scene_name.text()))
        bar.addWidget(save)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr("Push to")))
        self.target_box = QComboBox()
        self.target_box.addItems(list(targets))
        bar.addWidget(self.target_box)
        push = QPushButton(self.tr("Push"))
        push.setObjectName("pushButton")
        push.setEnabled(bool(targets))
        push.clicked.connect(lambda: self.push(self.target_box.currentText()))
        bar.addWidget(push)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        spacer.setStyleSheet("background: transparent;")  # the toolbar's colour, not the theme's window colour
        bar.addWidget(spacer)
        self.user_label = QLabel(self.user)
        self.user_label.setObjectName("signedInUser")
        bar.addWidget(self.user_label)
        sign_out = QPushButton(self.tr("Sign out"))
        sign_out.setObjectName("signOutButton")
        sign_out.setMinimumHeight(40)
        sign_out.clicked.connect(self.signOutRequested)
        bar.addWidget(sign_out)
        self._refill_layouts()

    def add_accounts_dock(self, panel: QWidget) -> QDockWidget:
        """The administrators' list of locked accounts (shown only while an administrator is signed in)."""
        dock = QDockWidget(self.tr("Locked accounts"), self)
        dock.setObjectName("lockedAccountsDock")
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def add_panel_dock(self, title: str, panel: QWidget, name: str) -> QDockWidget:
        """A domain's panel (the conference) as a dock the operator can move, float or close."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def set_user(self, user: str, label: str) -> None:
        self.user = user
        self.user_label.setText(label)

    def permitted(self, action: str, target: Target) -> bool:
        """Whether the signed-in person may do ACTION; if not, the reason is shown and the action not done."""
        decision = self.guard(action, target) if self.guard is not None else Decision(True)
        if not decision.allowed:
            text = self.tr("Refused: %1").replace("%1", decision.reason(self.context.language))
            self.statusBar().showMessage(text, 10000)
            self._log_line(time.time(), "refused", action, target.describe() or "-", self.user)
        return decision.allowed

    def _build_status_bar(self) -> None:
        self.feed_labels: dict[str, QLabel] = {}
        self.counter_label = QLabel()
        self.alerts_label = QLabel()
        self.alerts_label.setObjectName("alertCount")
        self.cache_label = QLabel()
        self.cache_label.setObjectName("cacheWarning")
        self.statusBar().addPermanentWidget(self.cache_label)
        self.statusBar().addPermanentWidget(self.alerts_label)
        self.statusBar().addPermanentWidget(self.counter_label)

    def _build_scene_log(self) -> None:
        dock = QDockWidget(self.tr("Scene log"), self)
        dock.setObjectName("sceneLog")
        self.scene_log = QListWidget()
        dock.setWidget(self.scene_log)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        for entry in self.cache.scene_log()[-200:]:
            self._log_line(entry["ts"], entry["action"], entry["scene"], entry["target"], entry["by"])

    def add_alert_panel(self, panel: QWidget, sound_available: bool = True, muted: bool = False) -> None:
        """The alert list, its details and procedure, docked under the tiles (it can be floated to a screen);
        a toolbar switch silences the alarm sound, and the operator is told when it cannot sound at all."""
        mute = QPushButton(self.tr("Mute alarm"))
        mute.setObjectName("muteButton")
        mute.setCheckable(True)
        mute.setChecked(muted)
        mute.toggled.connect(self.muteToggled)
        self.findChild(QToolBar, "sceneBar").addWidget(mute)
        self.mute_button = mute
        if not sound_available:
            silent = QLabel(self.tr("no alarm sound: no audio device"))
            silent.setObjectName("cacheWarning")
            self.statusBar().addPermanentWidget(silent)
        dock = QDockWidget(self.tr("Alerts"), self)
        dock.setObjectName("alertDock")
        scroll = QScrollArea()  # on a 1080-line screen the dock may be shorter than the panel would like
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        dock.setWidget(scroll)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)  # the full width
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.alert_dock = dock

    def showEvent(self, event) -> None:
        """Dock sizes apply only once the window has its size: alerts get 40 % of the height."""
        super().showEvent(event)
        alert_dock = getattr(self, "alert_dock", None)
        if alert_dock is not None and not self._docks_sized:
            self._docks_sized = True
            self.resizeDocks([alert_dock], [int(self.height() * 0.4)], Qt.Orientation.Vertical)
            self.resizeDocks([self.findChild(QDockWidget, "sceneLog")], [320], Qt.Orientation.Horizontal)

    def _refill_layouts(self) -> None:
        for name, data in self.cache.saved_scenes().items():
            try:
                self.layouts[name] = ScreenLayout.from_dict(data)
            except (KeyError, TypeError, ValueError) as exc:
                log.error("saved scene %r is unreadable and was skipped: %s", name, exc)
        current = self.layout_box.currentText()
        self.layout_box.blockSignals(True)
        self.layout_box.clear()
        self.layout_box.addItems(sorted(self.layouts))
        self.layout_box.blockSignals(False)
        if current:
            self.layout_box.setCurrentText(current)

    # -- actions -----------------------------------------------------------------------------
    def show_layout(self, name: str) -> None:
        self.layout_box.setCurrentText(name)
        self._layout_chosen(name)

    def _layout_chosen(self, name: str) -> None:
        layout = self.layouts.get(name)
        if layout is None:
            return
        self.current = layout
        self.grid.apply(layout, [])
        self.preset_box.setCurrentText(preset_of(layout))

    def reflow(self, preset: str) -> None:
        """Re-flow the current layout's tiles into a grid preset."""
        if self.current is not None:
            self.current = with_preset(self.current, preset)
            self.grid.apply(self.current, [])
            self.preset_box.setCurrentText(preset)

    def save_scene(self, name: str) -> bool:
        name = name.strip()
        if not name or self.current is None:
            self.statusBar().showMessage(self.tr("Give the scene a name first"), 5000)
            return False
        if not self.permitted("scene.save", Target(detail=name)):
            return False
        layout = ScreenLayout(name=name, title=self.current.title or name, title_en=self.current.title_en,
                              rows=self.current.rows, cols=self.current.cols, tiles=self.current.tiles)
        if not self.cache.save_scene(name, layout.to_dict(), self.user):
            self.statusBar().showMessage(self.tr("Could not save the scene: the cache cannot be written"), 8000)
            return False
        self.cache.log_scene("save", name, "-", self.user)
        self._log_line(time.time(), "save", name, "-", self.user)
        self._refill_layouts()
        self.show_layout(name)
        return True

    def push(self, target: str) -> None:
        """Send the current layout as a scene to `target` (terminal/screen)."""
        if self.current is None or not target or not self.permitted("scene.push", Target(screen=target)):
            return
        command = make_push(self.current.name, self.current, target, self.user)
        self.pushRequested.emit(command)
        self.cache.log_scene("push", command.scene, target, self.user, command.ts)
        self._log_line(command.ts, "push", command.scene, target, self.user)
        self.statusBar().showMessage(self.tr("Scene %1 pushed to %2").replace("%1", command.scene)
                                     .replace("%2", target), 5000)

    def push_preset(self, name: str, target: str) -> bool:
        """Send the layout NAME (a preset, not the one on show) to TARGET, as `push` does; False if refused."""
        layout = self.layouts.get(name)
        if layout is None or not self.permitted("scene.push", Target(screen=target)):
            return False
        command = make_push(name, layout, target, self.user)
        self.pushRequested.emit(command)
        self.cache.log_scene("push", command.scene, target, self.user, command.ts)
        self._log_line(command.ts, "push", command.scene, target, self.user)
        return True

    def _log_line(self, ts: float, action: str, scene: str, target: str, by: str) -> None:
        stamp = time.strftime("%d/%m %H:%M:%S", time.localtime(ts))
        self.scene_log.insertItem(0, f"{stamp}  {by}  {action}  {scene} → {target}")

    # -- live state --------------------------------------------------------------------------
    def show_status(self, status: FeedStatus) -> None:
        label = self.feed_labels.get(status.feed)
        if label is None:
            label = QLabel()
            label.setObjectName("feedState")
            self.feed_labels[status.feed] = label
            self.statusBar().addWidget(label)
        colour = STATE_COLOURS[status.state]
        label.setText(f'<span style="color:{colour}">●</span> {status.feed}: {status_text(status)}')
        label.setToolTip(status.detail)
        self.grid.show_status(status)

    def show_counters(self, stored: int, duplicates: int, rejected: int, disk_full: bool,
                      moved_aside: str | None, alerts: int = 0) -> None:
        self.alerts_label.setText(self.tr("alerts %1").replace("%1", str(alerts)))
        self.counter_label.setText(self.tr("stored %1 · duplicates %2 · rejected %3")
                                   .replace("%1", str(stored)).replace("%2", str(duplicates))
                                   .replace("%3", str(rejected)))
        warnings = []
        if disk_full:
            warnings.append(self.tr("CACHE DISK FULL — data kept in memory, not yet saved"))
        if moved_aside:
            warnings.append(self.tr("damaged cache moved aside: %1").replace("%1", moved_aside))
        self.cache_label.setText(" · ".join(warnings))

    def feed_state_text(self, feed: str) -> str:
        label = self.feed_labels.get(feed)
        return label.text() if label else ""


