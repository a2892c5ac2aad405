"""Status/clock tile: local time and date in the interface language, and every feed's connection state."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from feeds.core.records import FeedStatus, LinkState
from widgets.base.registry import register_tile
from widgets.base.tile import Tile, clock_text

STATE_COLOURS = {LinkState.CONNECTED: "#3fb950", LinkState.CONNECTING: "#8b949e",
                 LinkState.RECONNECTING: "#d29922", LinkState.OFFLINE: "#f85149"}


def status_text(status: FeedStatus) -> str:
    """“connected”, “reconnecting since 12:03”, “offline since 12:03”, translated."""
    if status.state == LinkState.CONNECTED:
        return QCoreApplication.translate("FeedStatus", "connected")
    if status.state == LinkState.CONNECTING:
        return QCoreApplication.translate("FeedStatus", "connecting…")
    if status.state == LinkState.RECONNECTING:
        text = QCoreApplication.translate("FeedStatus", "reconnecting since %1")
    else:
        text = QCoreApplication.translate("FeedStatus", "offline since %1")
    return text.replace("%1", clock_text(status.since))


@register_tile
class ClockTile(Tile):
    type_name = "clock"

    def build(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.time_label = QLabel()
        self.time_label.setObjectName("bigValue")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.date_label = QLabel()
        self.date_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.date_label.setObjectName("target")
        self.feeds_label = QLabel()
        self.feeds_label.setObjectName("feedList")
        self.feeds_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.time_label)
        layout.addWidget(self.date_label)
        layout.addWidget(self.feeds_label, 1)
        self.statuses: dict[str, FeedStatus] = {}

    def wants(self, record: object) -> bool:
        return False

    def show_status(self, status: FeedStatus) -> None:
        self.statuses[status.feed] = status
        rows = [f'<span style="color:{STATE_COLOURS[s.state]}">●</span> {name}: {status_text(s)}'
                for name, s in sorted(self.statuses.items())]
        self.feeds_label.setText("<br>".join(rows))

    def refresh_age(self, now: float) -> None:
        stamp = QDateTime.fromSecsSinceEpoch(int(now))
        self.time_label.setText(time.strftime("%H:%M:%S", time.localtime(now)))
        self.date_label.setText(self.context.locale.toString(stamp.date(), "dddd, dd/MM/yyyy"))
        self.freshness.setText(self.tr("local time"))
