"""Leaving kiosk mode at a wall: asked by a long press, granted by an administrator's PIN, audited either way."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop.identity.gate import run_off_gui
from desktop.windows.kiosk import KioskGuard, leave_kiosk
from feeds.identity.service import Identity
from widgets.identity.gate_overlay import GateOverlay

log = logging.getLogger(__name__)


class KioskExit(QObject):
    left = Signal(object)  # the window, once an administrator let it out
    _done = Signal(str, object)

    def __init__(self, identity: Identity, window: QWidget, terminal: str, language: str) -> None:
        super().__init__(window)
        self.identity = identity
        self.window = window
        self.terminal = terminal
        self.language = language
        self.overlay: GateOverlay | None = None
        self.guards = window.findChildren(KioskGuard)
        for guard in self.guards:
            guard.exitRequested.connect(self.ask)
        self._done.connect(self._finished)

    def ask(self) -> None:
        if self.overlay is None:
            self.overlay = GateOverlay(self.window)
            self.overlay.pinEntered.connect(self.check)
            self.overlay.cancelled.connect(self._cancelled)
        self.overlay.show_kiosk_pin()

    def check(self, pin: str) -> None:
        assert self.overlay is not None
        self.overlay.set_busy(True)
        run_off_gui(self._done, "pin", lambda: self.identity.signin.administrator_pin(pin, self.terminal))

    def _cancelled(self) -> None:
        self.identity.record(None, "kiosk.exit", self.terminal, "cancelled")
        for guard in self.guards:
            guard.activity.timer.start()  # a long press may ask again

    def _finished(self, _kind: str, result: object) -> None:
        assert self.overlay is not None
        self.overlay.set_busy(False)
        if result is None or isinstance(result, Exception):
            self.overlay.show_message(self.tr("Wrong PIN, or this PIN may not leave kiosk mode"))
            return
        log.warning("kiosk mode left at %s by %s", self.terminal, getattr(result, "name", "?"))
        self.overlay.hide()
        leave_kiosk(self.window)
        self.left.emit(self.window)
