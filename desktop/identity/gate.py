"""The sign-in gate over the person-facing windows: sign in, idle lock with PIN or password, sign out.

Checking a password costs an argon2 hash (about a tenth of a second) or a directory round trip: it runs on
a worker thread and the result comes back to the GUI by a queued signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.identity.activity import ActivityMonitor
from feeds.identity.roles import Principal
from feeds.identity.service import Identity
from feeds.identity.signin import SignInResult
from widgets.identity.gate_overlay import GateOverlay

log = logging.getLogger(__name__)


def run_off_gui(done: Signal, kind: str, work: Callable[[], object]) -> None:
    """Run WORK on a worker thread; DONE(kind, result) is delivered to the GUI thread (queued)."""
    def body() -> None:
        try:
            result = work()
        except Exception as exc:  # the database or directory failed: shown, never a crash
            log.exception("identity check failed")
            result = exc
        done.emit(kind, result)

    threading.Thread(target=body, name=f"identity-{kind}", daemon=True).start()


class SignInGate(QObject):
    signedIn = Signal(object)  # Principal
    signedOut = Signal()
    _done = Signal(str, object)

    def __init__(self, identity: Identity, windows: list[QWidget], language: str, terminal: str,
                 hint: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.identity = identity
        self.language = language
        self.terminal = terminal
        self.principal: Principal | None = None
        self.locked = False
        self.credential_listeners: list[Callable[[Principal, str], None]] = []
        self.overlays = [GateOverlay(window, hint) for window in windows]
        for overlay in self.overlays:
            overlay.signInRequested.connect(self.sign_in)
            overlay.resumeRequested.connect(self.resume)
            overlay.signOutRequested.connect(self.sign_out)
        self._done.connect(self._finished)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        if identity.settings.idle_lock_s > 0:
            self.idle.setInterval(int(identity.settings.idle_lock_s * 1000))
            self.activity = ActivityMonitor(self)
            self.activity.active.connect(self._activity)

    def _busy(self, busy: bool) -> None:
        for overlay in self.overlays:
            overlay.set_busy(busy)

    def sign_in(self, name: str, password: str) -> None:
        self._busy(True)
        run_off_gui(self._done, "sign_in", lambda: self._accept(self.identity.signin.sign_in(name, password,
                                                                                            self.terminal), password))

    def _accept(self, result: SignInResult, password: str) -> SignInResult:
        """On the worker thread: the credentials accepted go to what signs in elsewhere with them (the office
        service, the paper vault's key), never further than this call."""
        if result.ok and result.principal is not None:
            for listener in self.credential_listeners:
                try:
                    listener(result.principal, password)
                except Exception:  # a listener's failure shows in its own view; the sign-in stands
                    log.exception("sign-in listener failed")
        return result

    def resume(self, secret: str) -> None:
        principal = self.principal
        if principal is None:
            return
        self._busy(True)
        run_off_gui(self._done, "resume", lambda: self.identity.signin.resume(principal, secret))

    def _finished(self, kind: str, result: object) -> None:
        self._busy(False)
        if not isinstance(result, SignInResult):
            text = self.tr("Sign-in is not possible now: the account database cannot be used (%1)").replace(
                "%1", str(result))
            for overlay in self.overlays:
                overlay.show_message(text)
            return
        if not result.ok or result.principal is None:
            if kind == "resume" and result.outcome.value == "locked":
                self.sign_out(reason=result.message(self.language))
                return
            for overlay in self.overlays:
                overlay.show_message(result.message(self.language))
            return
        self.principal = result.principal
        self.locked = False
        for overlay in self.overlays:
            overlay.hide()
        if self.identity.settings.idle_lock_s > 0:
            self.idle.start()
        if kind == "sign_in":
            log.info("%s signed in as %s (%s)", result.principal.name, result.principal.role.value,
                     result.principal.source)
            self.signedIn.emit(result.principal)

    def admit(self, principal: Principal) -> None:
        """Signed in beforehand (`controlroom demo --as NAME`, tests): audited like a sign-in."""
        self.principal = principal
        self._record(principal, "sign_in", f"{principal.role.value} admitted without a password ({principal.source})")
        for overlay in self.overlays:
            overlay.hide()
        if self.identity.settings.idle_lock_s > 0:
            self.idle.start()
        self.signedIn.emit(principal)

    def lock(self) -> None:
        """Hide the screen's content until the signed-in person gives their PIN or password."""
        if self.principal is None or self.locked:
            return
        self.locked = True
        for overlay in self.overlays:  # hidden first: a failing audit write must not leave the screen open
            overlay.show_locked(self.principal.label)
        self._record(self.principal, "idle_lock")

    def sign_out(self, reason: str = "") -> None:
        principal, self.principal = self.principal, None
        self.locked = False
        self.idle.stop()
        for overlay in self.overlays:
            overlay.show_sign_in(reason)
        self.signedOut.emit()
        if principal is not None:
            log.info("%s signed out", principal.name)
            self._record(principal, "sign_out", reason)

    def _record(self, principal: Principal, action: str, detail: str = "") -> None:
        try:
            self.identity.record(principal, action, self.terminal, detail=detail)
        except Exception:  # the database is full or locked: logged; the screen is already safe
            log.exception("audit entry %s of %s could not be written", action, principal.name)

    def _activity(self) -> None:
        if self.principal is not None and not self.locked:
            self.idle.start()
