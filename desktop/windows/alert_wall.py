"""Alerts on the wall: a banner for unacknowledged serious alerts, and the linked camera, vessel or station
popping up on a configured wall screen until the alert is acknowledged or a set time has passed."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer

from desktop.config.layouts import ScreenLayout
from desktop.windows.terminal import TerminalWindow
from feeds.alerts.config import PopupConfig
from feeds.core.domain import popup_finder
from feeds.core.records import SEVERITY_RANK, Alert, AlertState, Severity
from widgets.base.spec import TileSpec

log = logging.getLogger(__name__)


def alert_title(alert: Alert, language: str) -> str:
    return alert.title_en if language == "en" and alert.title_en else alert.title


def linked_tile(link: str, layouts: dict[str, ScreenLayout]) -> TileSpec | None:
    """The tile that shows what an alert is about ("camera:<id>", "vessel:<registration>", "station:<id>"…),
    chosen by the domain that owns the link kind among the configured layouts' tiles (so it is bound to the
    right feed), in a single cell."""
    kind, _, ident = link.partition(":")
    finder = popup_finder(kind)
    if finder is None:
        return None
    choice = finder(ident, [tile for layout in layouts.values() for tile in layout.tiles])
    if choice is None:
        return None
    tile: TileSpec = choice.tile
    return replace(tile, row=0, col=0, rowspan=1, colspan=1, options={**tile.options, **choice.options})


@dataclass
class _Popup:
    alert_id: str
    popup_scene: str
    previous_scene: str
    previous_layout: ScreenLayout
    timer: QTimer


class AlertWall(QObject):
    """Feeds every wall/leader window's banner, and runs the pop-ups on the configured screen."""

    def __init__(self, terminals: list[TerminalWindow], layouts: dict[str, ScreenLayout], language: str,
                 banner_min: Severity = Severity.CRITICAL, popup: PopupConfig | None = None,
                 clock=time.time, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.terminals = terminals
        self.layouts = layouts
        self.language = language
        self.banner_min = SEVERITY_RANK[banner_min]
        self.popup = popup
        self.clock = clock
        self.unacknowledged: dict[str, Alert] = {}  # every raised alert not yet acknowledged
        self.active: _Popup | None = None
        self._popped: set[str] = set()
        self._waiting: list[str] = []  # pop-ups cut short by a newer one, newest last

    def show_alerts(self, alerts: list[Alert], live: bool = True) -> None:
        """New alert states; `live` is False for the ones read from the cache at start (never popped up)."""
        for alert in alerts:
            if alert.state is AlertState.RAISED:
                self.unacknowledged[alert.id] = alert
            else:
                self.unacknowledged.pop(alert.id, None)
        self._update_banners()
        if self.popup is None:
            return
        if self.active is not None and self.active.alert_id not in self.unacknowledged:
            self.revert("acknowledged")
        if live:
            for alert in alerts:
                self._maybe_pop(alert)

    def _update_banners(self) -> None:
        serious = (a for a in self.unacknowledged.values() if SEVERITY_RANK[a.severity] >= self.banner_min)
        ranked = sorted(serious, key=lambda a: (SEVERITY_RANK[a.severity], a.last_seen), reverse=True)
        for window in self.terminals:
            window.show_banner(ranked[0] if ranked else None, len(ranked) - 1, self.language)

    def _window(self) -> TerminalWindow | None:
        return next((w for w in self.terminals if w.target == self.popup.target), None)

    def _maybe_pop(self, alert: Alert) -> None:
        if (alert.id in self._popped or alert.state is not AlertState.RAISED or not alert.link
                or SEVERITY_RANK[alert.severity] < SEVERITY_RANK[self.popup.min_severity]):
            return
        self._popped.add(alert.id)
        window = self._window()
        if window is None:
            log.warning("alert %s: no screen %s to pop up on", alert.id, self.popup.target)
            return
        if self.active is None:
            self._pop(window, alert, window.scene_name, window.layout)
            return
        # One pop-up at a time: the newest goes first; the one it cut short waits for its turn.
        active, self.active = self.active, None
        active.timer.stop()
        self._waiting.append(active.alert_id)
        if not self._pop(window, alert, active.previous_scene, active.previous_layout):
            self.active = active
            active.timer.start()

    def _pop(self, window: TerminalWindow, alert: Alert, previous_scene: str,
             previous_layout: ScreenLayout | None) -> bool:
        tile = linked_tile(alert.link, self.layouts)
        if tile is None:
            log.warning("alert %s: nothing to pop up for %r", alert.id, alert.link)
            return False
        title = alert_title(alert, self.language)
        scene = f"alert:{alert.id}"
        layout = ScreenLayout(name=scene, title=f"⚠ {alert.title}", title_en=f"⚠ {alert.title_en or alert.title}",
                              rows=1, cols=1, tiles=(replace(tile, title=title, title_en=title),))
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self.revert("timeout"))
        timer.start(int(self.popup.revert_after_s * 1000))
        self.active = _Popup(alert.id, scene, previous_scene, previous_layout, timer)
        window.apply(scene, layout)
        log.info("alert %s popped up on %s (%s)", alert.id, window.target, alert.link)
        return True

    def revert(self, why: str) -> None:
        """Show the pop-up that was cut short last, if still unacknowledged; otherwise put back the scene the
        pop-ups replaced, unless someone pushed another scene meanwhile."""
        popup, self.active = self.active, None
        if popup is None:
            return
        popup.timer.stop()
        window = self._window()
        if window is None or window.scene_name != popup.popup_scene:  # an operator's scene took over
            self._waiting = []
            return
        while self._waiting:
            waiting = self.unacknowledged.get(self._waiting.pop())
            if waiting is not None and self._pop(window, waiting, popup.previous_scene, popup.previous_layout):
                return
        if popup.previous_layout is not None:
            window.apply(popup.previous_scene, popup.previous_layout)
            log.info("%s reverted to %r (%s)", window.target, popup.previous_scene, why)
