"""For administrators: the names locked after failed sign-ins or by an administrator, each with an Unlock button."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from widgets.identity.gate_overlay import TOUCH_PX


@dataclass(frozen=True)
class LockedName:
    name: str
    until: float  # math.inf: locked by an administrator
    failures: int


class LockedAccounts(QWidget):
    unlockRequested = Signal(str)
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockedAccounts")
        self.rows = QVBoxLayout()
        outer = QVBoxLayout(self)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setMinimumHeight(TOUCH_PX)
        refresh.clicked.connect(self.refreshRequested)
        outer.addWidget(refresh)
        outer.addLayout(self.rows)
        self.message = QLabel()
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        outer.addStretch(1)

    def show_locked(self, names: Sequence[LockedName], message: str = "") -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for entry in names:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            if entry.until == float("inf"):
                state = self.tr("locked by an administrator")
            else:
                state = self.tr("locked until %1 after %2 failed sign-ins").replace(
                    "%1", time.strftime("%H:%M", time.localtime(entry.until))).replace("%2", str(entry.failures))
            label = QLabel(f"{entry.name} — {state}")
            label.setTextFormat(Qt.TextFormat.PlainText)  # names are whatever someone typed at a sign-in
            label.setWordWrap(True)
            line.addWidget(label, 1)
            button = QPushButton(self.tr("Unlock"))
            button.setObjectName(f"unlock_{entry.name}")
            button.setMinimumHeight(TOUCH_PX)
            button.clicked.connect(lambda _=False, n=entry.name: self.unlockRequested.emit(n))
            line.addWidget(button)
            self.rows.addWidget(row)
        self.message.setText(message or ("" if names else self.tr("No account is locked")))
