"""Indicator tile: value and unit, target, a trend sparkline, coloured by thresholds."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from feeds.core.records import Measurement, Record
from widgets.base.registry import register_tile
from widgets.base.sparkline import Sparkline
from widgets.base.tile import Tile

LEVEL_COLOURS = {"ok": "#3fb950", "warn": "#d29922", "alarm": "#f85149", "none": "#8b949e"}


def level_for(value: float, warn: float | None, alarm: float | None, better: str) -> str:
    """ok / warn / alarm for a value against thresholds; `better` is "higher" or "lower"."""
    def worse(limit: float) -> bool:
        return value < limit if better == "higher" else value > limit

    if alarm is not None and worse(alarm):
        return "alarm"
    if warn is not None and worse(warn):
        return "warn"
    return "ok" if warn is not None or alarm is not None else "none"


@register_tile
class IndicatorTile(Tile):
    type_name = "indicator"

    def build(self, body: QWidget) -> None:
        opts = self.spec.options
        self.warn = opts.get("warn")
        self.alarm = opts.get("alarm")
        self.better = opts.get("better", "higher")
        if self.better not in ("higher", "lower"):
            raise ValueError(f"options.better must be \"higher\" or \"lower\", got {self.better!r}")
        self.decimals = int(opts.get("decimals", 1))
        self.points: deque[tuple[float, float]] = deque(maxlen=int(opts.get("points", 60)))
        self.level = "none"
        self.unit = str(opts.get("unit", ""))
        self.target = opts.get("target")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.value_label = QLabel("—")
        self.value_label.setObjectName("bigValue")
        self.unit_label = QLabel(self.unit)
        self.unit_label.setObjectName("unit")
        row.addWidget(self.value_label)
        row.addWidget(self.unit_label, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        self.delta_label = QLabel("")
        self.delta_label.setObjectName("delta")
        row.addWidget(self.delta_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)
        self.target_label = QLabel("")
        self.target_label.setObjectName("target")
        layout.addWidget(self.target_label)
        self.sparkline = Sparkline()
        layout.addWidget(self.sparkline, 1)

    def show_history(self, points: list[tuple[float, float]]) -> None:
        self.points.extend(points)
        if points:
            self._render(points[-1][1], self.points[-1][0])

    def show_records(self, records: list[Record]) -> None:
        for record in records:
            if isinstance(record, Measurement):
                if self.points and record.ts <= self.points[-1][0]:
                    continue
                self.points.append((record.ts, record.value))
                if not self.unit and record.unit:
                    self.unit = record.unit
                    self.unit_label.setText(record.unit)
                if self.target is None and record.target is not None:
                    self.target = record.target
        if self.points:
            self._render(self.points[-1][1], self.points[-1][0])

    def _fmt(self, value: float) -> str:
        return self.context.locale.toString(float(value), "f", self.decimals)

    def _render(self, value: float, ts: float) -> None:
        self.mark_fresh(ts)
        self.value_label.setText(self._fmt(value))
        if len(self.points) >= 2:
            delta = self.points[-1][1] - self.points[-2][1]
            arrow = "▲" if delta > 0 else "▼" if delta < 0 else "■"
            self.delta_label.setText(f"{arrow} {self._fmt(abs(delta))}")
        if self.target is not None:
            self.target_label.setText(self.tr("target %1").replace("%1", f"{self._fmt(self.target)} {self.unit}"))
        level = level_for(value, self.warn, self.alarm, self.better)
        colour = LEVEL_COLOURS[level]
        if level != self.level or not self.value_label.styleSheet():
            self.value_label.setStyleSheet(f"color: {colour};")  # re-styling is costly: only on change
        self.level = level
        # Evenly spaced by report, not by time: backfilled and live reports come at different cadences.
        self.sparkline.show_values([p[1] for p in self.points], colour)
