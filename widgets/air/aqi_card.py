"""AQI card for the wall: the station's current AQI as a big number on its band colour, the band,
the dominant pollutant, the health message, the trend over the last hour and the freshness footer.

Key ``air/<station>/aqi``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from feeds.air.stations import POLLUTANT_LABELS
from feeds.core.records import Measurement, Record
from widgets.air.bands import NO_DATA_COLOUR, aqi_band, band_label, band_message, text_colour
from widgets.air.series import Series, finite_point, usable
from widgets.base.registry import register_tile
from widgets.base.tile import Tile

TREND_WINDOW_S = 3600.0


@register_tile
class AqiCardTile(Tile):
    type_name = "aqi_card"

    def build(self, body: QWidget) -> None:
        self.series = Series(keep_s=6 * 3600)
        self.dominant = ""
        self.aqi: float | None = None
        self.colour = NO_DATA_COLOUR
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.badge = QFrame()
        self.badge.setObjectName("aqiBadge")
        badge_layout = QHBoxLayout(self.badge)
        badge_layout.setContentsMargins(14, 6, 14, 6)
        self.value_label = QLabel("—")
        self.value_label.setObjectName("aqiValue")
        self.band_label = QLabel(self.tr("no data yet"))
        self.band_label.setObjectName("aqiBand")
        self.band_label.setWordWrap(True)
        badge_layout.addWidget(self.value_label)
        badge_layout.addWidget(self.band_label, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.badge)
        row = QHBoxLayout()
        self.dominant_label = QLabel("")
        self.dominant_label.setObjectName("unit")
        self.trend_label = QLabel("")
        self.trend_label.setObjectName("delta")
        row.addWidget(self.dominant_label, 1)
        row.addWidget(self.trend_label, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(row)
        self.message_label = QLabel("")
        self.message_label.setObjectName("aqiMessage")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label, 1, Qt.AlignmentFlag.AlignTop)
        self._paint_badge()

    def show_history(self, points: list[tuple[float, float]]) -> None:
        for ts, value in points:
            if finite_point(ts, value):
                self.series.add(float(ts), float(value))
        self._render()

    def show_records(self, records: list[Record]) -> None:
        for record in records:
            if not usable(record) or not isinstance(record, Measurement):
                continue
            if self.series.add(float(record.ts), float(record.value)) and record.ts >= self.series.ts[-1]:
                self.dominant = record.label if isinstance(record.label, str) else ""
        self._render()

    def _render(self) -> None:
        last = self.series.last()
        if last is None:
            return
        ts, value = last
        self.mark_fresh(ts)
        self.aqi = value
        b = aqi_band(value)
        self.colour = b.colour_hex if b else NO_DATA_COLOUR
        self.value_label.setText(f"{value:.0f}")
        self.band_label.setText(band_label(b, self.context.language))
        self.message_label.setText(band_message(b, self.context.language))
        if self.dominant:
            name = POLLUTANT_LABELS.get(self.dominant, self.dominant)
            self.dominant_label.setText(self.tr("Main pollutant: %1").replace("%1", name))
        self.trend_label.setText(self._trend(ts, value))
        self._paint_badge()

    def _trend(self, ts: float, value: float) -> str:
        before = self.series.value_at(ts - TREND_WINDOW_S)
        if before is None or before[0] >= ts or ts - before[0] < TREND_WINDOW_S / 2:
            return ""
        delta = value - before[1]
        arrow = "▲" if delta > 0 else "▼" if delta < 0 else "■"
        return self.tr("%1 %2 in 1 h").replace("%1", arrow).replace("%2", f"{abs(delta):.0f}")

    def _paint_badge(self) -> None:
        fg = text_colour(self.colour)
        sheet = (f"#aqiBadge {{ background: {self.colour}; border-radius: 6px; }}"
                 f"#aqiValue {{ color: {fg}; font-size: 44px; font-weight: bold; background: transparent; }}"
                 f"#aqiBand {{ color: {fg}; font-size: 18px; font-weight: bold; background: transparent; }}")
        if self.badge.styleSheet() != sheet:  # re-styling is costly: only on change
            self.badge.setStyleSheet(sheet)
