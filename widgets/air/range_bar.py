"""The buttons that choose an air chart's time range (24 h, 7 days, 30 days)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget


def range_text(name: str) -> str:
    return {"24h": QCoreApplication.translate("AirCharts", "24 h"),
            "7d": QCoreApplication.translate("AirCharts", "7 days"),
            "30d": QCoreApplication.translate("AirCharts", "30 days")}[name]


class RangeBar(QWidget):
    """Checkable buttons choosing the time range shown."""

    changed = Signal(str)

    def __init__(self, names: tuple[str, ...], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for name in names:
            button = QPushButton(range_text(name))
            button.setObjectName("rangeButton")
            button.setCheckable(True)
            button.setChecked(name == current)
            button.clicked.connect(lambda _=False, n=name: self.changed.emit(n))
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        layout.addStretch(1)

    def select(self, name: str) -> None:
        self.buttons[name].setChecked(True)
