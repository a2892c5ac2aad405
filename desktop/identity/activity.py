"""Whether someone is using the screen, by polling the pointer, buttons, keyboard modifiers and focus.

Not an application-wide event filter: in PySide6 one sees every event of every object, QtWebEngine's
internals and half-destroyed widgets included, and wrapping those crashed the program (SIGSEGV)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

POLL_MS = 250


def _typed(widget: QWidget | None) -> int:
    """What is typed in the focused field (typing alone moves no pointer): its text's hash."""
    if isinstance(widget, (QLineEdit, QComboBox)):
        return hash(widget.currentText() if isinstance(widget, QComboBox) else widget.text())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return hash(widget.toPlainText())
    return 0


class ActivityMonitor(QObject):
    active = Signal()  # something changed since the last poll
    held = Signal(float)  # a mouse button or finger has been down this many seconds (kiosk long press)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = self._snapshot()
        self._held_polls = 0
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    @staticmethod
    def _snapshot() -> tuple:
        pos = QCursor.pos()
        focus = QApplication.focusWidget()
        return (pos.x(), pos.y(), QGuiApplication.mouseButtons().value,
                QGuiApplication.queryKeyboardModifiers().value, id(focus), _typed(focus))

    def poll(self) -> None:
        now = self._snapshot()
        if now != self._last:
            self._last = now
            self.active.emit()
        if QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self._held_polls += 1
            self.held.emit(self._held_polls * POLL_MS / 1000)
        else:
            self._held_polls = 0
