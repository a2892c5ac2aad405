"""The opaque screen drawn over a window until someone signs in, while it is idle-locked, or for a kiosk PIN.

It covers the whole window (toolbars and docks too), so nothing behind it can be read or touched. It only
shows and asks; checking the password is the caller's job (off the GUI thread)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

TOUCH_PX = 56  # the smallest button a finger hits reliably on the meeting-room tablets


class GateMode(str, Enum):
    SIGN_IN = "sign_in"
    LOCKED = "locked"
    KIOSK_PIN = "kiosk_pin"


STYLE = """
#gateOverlay { background: #0d1b2a; }
#gateCard { background: #1b263b; border-radius: 12px; }
#gateCard QLabel { color: #e0e1dd; font-size: 18px; }
#gateCard QLabel#gateTitle { font-size: 26px; font-weight: bold; }
#gateCard QLabel#gateMessage[error="true"] { color: #ff8a80; }
#gateCard QLineEdit { font-size: 20px; padding: 8px; min-height: 40px; border-radius: 6px; }
#gateCard QPushButton { font-size: 20px; min-height: 56px; min-width: 56px; border-radius: 8px;
                        background: #415a77; color: white; }
#gateCard QPushButton#gatePrimary { background: #1b998b; font-weight: bold; }
#gateCard QPushButton:disabled { background: #2b3a4f; color: #8d99ae; }
"""


class GateOverlay(QWidget):
    signInRequested = Signal(str, str)  # name, password
    resumeRequested = Signal(str)  # PIN or password of the signed-in person
    pinEntered = Signal(str)  # an administrator's PIN (kiosk exit)
    signOutRequested = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget, hint: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("gateOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.mode = GateMode.SIGN_IN
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = QFrame()
        card.setObjectName("gateCard")
        card.setFixedWidth(460)
        box = QVBoxLayout(card)
        box.setContentsMargins(32, 28, 32, 28)
        box.setSpacing(14)
        self.title = QLabel()
        self.title.setObjectName("gateTitle")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLineEdit()
        self.name.setObjectName("gateName")
        self.name.setPlaceholderText(self.tr("Account name"))
        self.secret = QLineEdit()
        self.secret.setObjectName("gateSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.name.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("gateMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = self._digit_pad()
        self.primary = QPushButton()
        self.primary.setObjectName("gatePrimary")
        self.primary.clicked.connect(self.submit)
        self.secondary = QPushButton()
        self.secondary.setObjectName("gateSecondary")
        self.secondary.clicked.connect(self._secondary)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setVisible(bool(hint))
        for widget in (self.title, self.subtitle, self.name, self.secret, self.pad, self.message, self.primary,
                       self.secondary, self.hint):
            box.addWidget(widget)
        outer.addWidget(card)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.show_sign_in()

    def _digit_pad(self) -> QWidget:
        pad = QWidget()
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "C"]
        for i, key in enumerate(keys):
            button = QPushButton(key)
            button.setObjectName(f"pad_{key}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self._pad_key(k))
            grid.addWidget(button, i // 3, i % 3)
        return pad

    def _pad_key(self, key: str) -> None:
        if key == "⌫":
            self.secret.backspace()
        elif key == "C":
            self.secret.clear()
        else:
            self.secret.insert(key)

    # -- modes ---------------------------------------------------------------------------------
    def show_sign_in(self, message: str = "") -> None:
        self._mode(GateMode.SIGN_IN, self.tr("Intelligent Operations Center"), self.tr("Sign in to continue"),
                   self.tr("Sign in"), self.tr("Clear"), self.tr("Password"))
        self.name.clear()
        self.show_message(message, error=bool(message))
        self.name.setFocus()

    def show_locked(self, who: str) -> None:
        self._mode(GateMode.LOCKED, self.tr("Screen locked"),
                   self.tr("Signed in: %1. Enter your PIN or password to continue.").replace("%1", who),
                   self.tr("Unlock"), self.tr("Sign out"), self.tr("PIN or password"))

    def show_kiosk_pin(self) -> None:
        self._mode(GateMode.KIOSK_PIN, self.tr("Leave kiosk mode"), self.tr("An administrator's PIN is needed"),
                   self.tr("Confirm"), self.tr("Cancel"), self.tr("Administrator PIN"))

    def _mode(self, mode: GateMode, title: str, subtitle: str, primary: str, secondary: str,
              placeholder: str) -> None:
        """Sign-in asks a name and a password; the other modes a PIN or password, with the digit pad."""
        asks_name = mode is GateMode.SIGN_IN
        self.name.setVisible(asks_name)
        self.pad.setVisible(not asks_name)
        self.secret.setPlaceholderText(placeholder)
        self.show_message("")
        if not asks_name:
            self.secret.setFocus()
        self.mode = mode
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.primary.setText(primary)
        self.secondary.setText(secondary)
        self.secret.clear()
        self.set_busy(False)
        self.hint.setVisible(mode is GateMode.SIGN_IN and bool(self.hint.text()))
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("error", "true" if error else "false")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        """While a check runs (off the GUI thread): no second submission."""
        for widget in (self.primary, self.secondary, self.name, self.secret, self.pad):
            widget.setEnabled(not busy)
        if busy:
            self.show_message(self.tr("Checking…"), error=False)

    # -- actions -------------------------------------------------------------------------------
    def submit(self) -> None:
        if not self.primary.isEnabled():
            return
        secret = self.secret.text()
        if self.mode is GateMode.SIGN_IN:
            if not self.name.text().strip() or not secret:
                self.show_message(self.tr("Enter your account name and password"))
                return
            self.signInRequested.emit(self.name.text(), secret)
        elif not secret:
            self.show_message(self.tr("Enter the PIN or password"))
            return
        elif self.mode is GateMode.LOCKED:
            self.resumeRequested.emit(secret)
        else:
            self.pinEntered.emit(secret)
        self.secret.clear()

    def _secondary(self) -> None:
        if self.mode is GateMode.SIGN_IN:
            self.name.clear()
            self.secret.clear()
            self.show_message("")
        elif self.mode is GateMode.LOCKED:
            self.signOutRequested.emit()
        else:
            self.hide()
            self.cancelled.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False
