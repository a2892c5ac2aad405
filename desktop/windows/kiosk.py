"""Kiosk mode for wall displays: frameless full screen, no cursor, no way out by keyboard, never a dialog."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def is_escape_key(event: QKeyEvent) -> bool:
    """Esc, Alt+F4 and Ctrl+W/Q: the keys that would leave a kiosk window."""
    key, mods = event.key(), event.modifiers()
    if key == Qt.Key.Key_Escape:
        return True
    if key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier:
        return True
    return key in (Qt.Key.Key_W, Qt.Key.Key_Q) and bool(mods & Qt.KeyboardModifier.ControlModifier)


class KioskGuard(QObject):
    """Event filter on a kiosk window: swallows escape keys and refuses to close unless released."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.released = False
        self.swallowed = 0
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and is_escape_key(event):
            self.swallowed += 1
            return True
        if event.type() == QEvent.Type.Close and not self.released:
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


def release(window: QWidget) -> None:
    """Let a kiosk window close (application shutdown)."""
    for guard in window.findChildren(KioskGuard):
        guard.released = True


