"""The sign-in screen, idle lock, sign-out and kiosk exit, driven as a person would, on a real identity database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QMainWindow, QPushButton

from desktop.identity.gate import SignInGate
from desktop.identity.kiosk_exit import KioskExit
from desktop.windows.kiosk import KioskGuard, make_kiosk
from feeds.identity.roles import Role
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings
from widgets.identity.gate_overlay import TOUCH_PX, GateMode

SETTINGS = IdentitySettings(password_profile="CHEAPEST")


@pytest.fixture
def identity(tmp_path):
    ident = Identity(SETTINGS, "console-1", tmp_path / "identity.sqlite")
    ident.accounts.add("an", "mat-khau-dung", Role.DUTY_OPERATOR, "tinh", "Nguyễn Văn An")
    ident.accounts.set_pin("an", "2468")
    yield ident
    ident.close()


def _window(qtbot, kiosk=False):
    window = QMainWindow()
    window.setCentralWidget(QPushButton("bí mật"))
    window.resize(1280, 800)
    qtbot.addWidget(window)
    if kiosk:
        make_kiosk(window)
    window.show()
    return window


def _gate(identity, window, **settings):
    identity.settings = replace(identity.settings, **settings)
    return SignInGate(identity, [window], "vi", "console-1")


def _submit(qtbot, overlay, name, secret):
    if overlay.mode is GateMode.SIGN_IN:
        overlay.name.setText(name)
    overlay.secret.setText(secret)
    overlay.primary.click()
    qtbot.waitUntil(overlay.primary.isEnabled, timeout=5000)  # the check ran off the GUI thread


def test_the_window_opens_on_a_sign_in_screen_covering_everything(app, qtbot, identity):
    window = _window(qtbot)
    gate = _gate(identity, window)
    overlay = gate.overlays[0]
    assert overlay.isVisible() and overlay.geometry() == window.rect()
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: overlay.geometry() == window.rect())
    assert min(overlay.primary.height(), overlay.secondary.height()) >= TOUCH_PX  # a finger on a tablet
    with qtbot.waitSignal(gate.signedIn, timeout=5000) as signed:
        _submit(qtbot, overlay, "an", "mat-khau-dung")
    assert signed.args[0].name == "an" and not overlay.isVisible()


def test_wrong_password_says_so_without_telling_whether_the_name_exists(app, qtbot, identity):
    window = _window(qtbot)
    gate = _gate(identity, window)
    overlay = gate.overlays[0]
    _submit(qtbot, overlay, "an", "sai")
    known = overlay.message.text()
    _submit(qtbot, overlay, "khong-co", "sai")
    assert known == overlay.message.text() == "Tên đăng nhập hoặc mật khẩu không đúng; còn 4 lần thử"


def test_brute_force_from_the_screen_locks_the_account(app, qtbot, identity):
    window = _window(qtbot)
    gate = _gate(identity, window)
    overlay = gate.overlays[0]
    for i in range(1000):
        _submit(qtbot, overlay, "an", f"doan-{i:04d}")
        assert gate.principal is None
    assert "tạm khóa" in overlay.message.text()
    _submit(qtbot, overlay, "an", "mat-khau-dung")
    assert gate.principal is None and "tạm khóa" in overlay.message.text()  # right password, still locked
    attempts = [e for e in identity.audit.entries() if e.action == "sign_in"]
    assert len(attempts) == 1001 and {e.outcome for e in attempts[5:]} == {"locked"}


def test_idle_lock_hides_the_content_and_the_pin_resumes(app, qtbot, identity):
    window = _window(qtbot)
    gate = _gate(identity, window, idle_lock_s=0.3)
    overlay = gate.overlays[0]
    _submit(qtbot, overlay, "an", "mat-khau-dung")
    qtbot.waitUntil(lambda: gate.locked, timeout=5000)
    assert overlay.isVisible() and overlay.mode is GateMode.LOCKED and not overlay.name.isVisible()
    for key in "1111":
        overlay.findChild(QPushButton, f"pad_{key}").click()  # the on-screen digit pad
    overlay.primary.click()
    qtbot.waitUntil(overlay.primary.isEnabled, timeout=5000)
    assert gate.locked and overlay.message.text()
    for key in "2468":
        overlay.findChild(QPushButton, f"pad_{key}").click()
    overlay.primary.click()
    qtbot.waitUntil(lambda: not gate.locked, timeout=5000)
    assert not overlay.isVisible() and gate.principal.name == "an"
    with qtbot.waitSignal(gate.signedOut):
        gate.lock()
        overlay.secondary.click()  # "Sign out" on the lock screen
    assert overlay.mode is GateMode.SIGN_IN and gate.principal is None
    actions = [e.action for e in identity.audit.entries()]
    assert actions[-5:] == ["idle_lock", "resume", "resume", "idle_lock", "sign_out"]


def test_leaving_kiosk_mode_needs_an_administrators_pin(app, qtbot, identity):
    identity.accounts.add("quantri", "mat-khau-qt-1", Role.ADMINISTRATOR, "tinh")
    identity.accounts.set_pin("quantri", "97531")
    window = _window(qtbot, kiosk=True)
    kiosk = KioskExit(identity, window, "wall-1", "vi")
    guard = window.findChild(KioskGuard)
    guard.exitRequested.emit()  # what a 3-second press or Ctrl+Alt+Shift+K does
    overlay = kiosk.overlay
    assert overlay.mode is GateMode.KIOSK_PIN and overlay.isVisible()
    _submit(qtbot, overlay, "", "2468")  # a duty operator's PIN: not enough
    assert not guard.released and overlay.message.text()
    with qtbot.waitSignal(kiosk.left, timeout=5000):
        _submit(qtbot, overlay, "", "97531")
    assert guard.released
    outcomes = [(e.actor, e.outcome) for e in identity.audit.entries() if e.action == "kiosk.exit"]
    assert outcomes == [("kiosk:wall-1", "refused"), ("quantri", "ok")]


def test_typing_counts_as_activity(app, qtbot):
    from PySide6.QtWidgets import QLineEdit

    from desktop.identity.activity import ActivityMonitor

    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    monitor = ActivityMonitor()
    monitor.poll()  # settle on the current state
    with qtbot.waitSignal(monitor.active, timeout=2000):
        field.setText("Đang ghi chú cảnh báo…")
