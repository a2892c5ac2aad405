"""Kiosk mode for wall displays: frameless full screen, no cursor, no way out by keyboard, never a dialog.

The one way out is asked for by a 3-second press (finger or mouse) or Ctrl+Alt+Shift+K, and granted only
with an administrator's PIN (desktop/identity/kiosk_exit.py)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from desktop.identity.activity import ActivityMonitor

log = logging.getLogger(__name__)
LONG_PRESS_S = 3.0
EXIT_CHORD = "Ctrl+Alt+Shift+K"


def is_escape_key(event: QKeyEvent) -> bool:
    """Esc, Alt+F4 and Ctrl+W/Q: the keys that would leave a kiosk window."""
    key, mods = event.key(), event.modifiers()
    if key == Qt.Key.Key_Escape:
        return True
    if key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier:
        return True
    return key in (Qt.Key.Key_W, Qt.Key.Key_Q) and bool(mods & Qt.KeyboardModifier.ControlModifier)


class KioskGuard(QObject):
    """Event filter on a kiosk window: swallows escape keys and refuses to close unless released; a long
    press anywhere on the window, or the exit chord, asks to leave (exitRequested)."""

    exitRequested = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.released = False
        self.swallowed = 0
        self.chord = QShortcut(QKeySequence(EXIT_CHORD), window)
        self.chord.activated.connect(self.exitRequested)
        self.activity = ActivityMonitor(self)  # presses land on the tiles: polled, not filtered
        self.activity.held.connect(self._held)
        window.installEventFilter(self)

    def _held(self, seconds: float) -> None:
        if not self.released and seconds >= LONG_PRESS_S and self.window.geometry().contains(QCursor.pos()):
            self.activity.timer.stop()  # once per press: started again when the PIN screen is done
            self.exitRequested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and is_escape_key(event):
            self.swallowed += 1
            return True
        if kind == QEvent.Type.Close and not self.released:
            self.swallowed += 1
            log.info("kiosk window refused a close request")
            event.ignore()
            return True
        return False


def make_kiosk(window: QWidget) -> KioskGuard:
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint
                          | Qt.WindowType.WindowStaysOnTopHint)
    if QGuiApplication.overrideCursor() is None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
    return KioskGuard(window)




def leave_kiosk(window: QWidget) -> None:
    """An administrator let this window out of kiosk mode: a normal window with a cursor again."""
    release(window)
    for guard in window.findChildren(KioskGuard):
        window.removeEventFilter(guard)
        guard.activity.timer.stop()
        guard.chord.setEnabled(False)
    window.setWindowFlags(window.windowFlags() & ~Qt.WindowType.FramelessWindowHint
                          & ~Qt.WindowType.WindowStaysOnTopHint)
    while QGuiApplication.overrideCursor() is not None:
        QGuiApplication.restoreOverrideCursor()
    window.showNormal()


def release(window: QWidget) -> None:
    """Let a kiosk window close (application shutdown)."""
    for guard in window.findChildren(KioskGuard):
        guard.released = True


