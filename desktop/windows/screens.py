"""One top-level window per screen; follows screens being added and removed, re-homing windows."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class ScreenManager(QObject):
    """Window i goes to the screen chosen for it (`wanted[i]`, an index into the screen list) when that
    screen exists; otherwise to the screens that remain, so no window is ever left off-screen."""

    def __init__(self, windows: list[QWidget], wanted: list[int] | None, fullscreen: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.windows = windows
        self.wanted = wanted
        self.fullscreen = fullscreen
        self.rehomed = 0
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._on_screen_added)
        app.screenRemoved.connect(self._on_screen_removed)

    def assignment(self, screens: list[QScreen]) -> list[QScreen]:
        """The screen for each window, given the screens present now."""
        chosen: list[QScreen] = []
        for i in range(len(self.windows)):
            index = self.wanted[i] if self.wanted and i < len(self.wanted) else i
            chosen.append(screens[index] if 0 <= index < len(screens) else screens[i % len(screens)])
        return chosen

    def place_all(self, screens: list[QScreen] | None = None) -> None:
        screens = QGuiApplication.screens() if screens is None else screens
        if not screens:
            log.warning("no screen at all; windows stay where they are")
            return
        for window, screen in zip(self.windows, self.assignment(screens)):
            self._place(window, screen)

    def _place(self, window: QWidget, screen: QScreen) -> None:
        if window.windowHandle() is None:
            window.winId()  # create the native window so it can be given a screen
        handle = window.windowHandle()
        if handle.screen() is not screen:
            handle.setScreen(screen)
        geometry = screen.availableGeometry()
        if self.fullscreen:
            window.setGeometry(screen.geometry())
            window.showFullScreen()
        else:
            window.resize(min(window.width(), geometry.width()), min(window.height(), geometry.height()))
            window.move(geometry.topLeft())
            window.show()

    @Slot(QScreen)
    def _on_screen_added(self, screen: QScreen) -> None:
        log.info("screen %s added; re-homing %d window(s)", screen.name(), len(self.windows))
        self.rehomed += 1
        self.place_all()

    @Slot(QScreen)
    def _on_screen_removed(self, screen: QScreen) -> None:
        # Qt may still list the screen while this signal runs: leave it out explicitly.
        remaining = [s for s in QGuiApplication.screens() if s is not screen]
        log.warning("screen %s removed; re-homing %d window(s) onto %d screen(s)",
                    screen.name(), len(self.windows), len(remaining))
        self.rehomed += 1
        self.place_all(remaining)
