"""Shared pieces of the air-quality and discharge tiles: bands, series storage, the range bar."""

from __future__ import annotations

import math
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from feeds.air_quality import STATION_NAMES
from feeds.aqi import Band, _standard, band
from feeds.records import Measurement, Record

VN = _standard("vn")
BANDS: tuple[Band, ...] = VN.bands
BAND_EDGES: tuple[float, ...] = (0.0, *VN.band_tops)  # 0, 50, 100, 150, 200, 300, 500
RANGES = {"24h": 86400.0, "7d": 7 * 86400.0, "30d": 30 * 86400.0}
PALETTE = ("#58a6ff", "#f778ba", "#3fb950", "#e3b341", "#a371f7", "#f0f6fc", "#56d4dd", "#ff9f43", "#7ee787",
           "#d2a8ff", "#db61a2")
NO_DATA_COLOUR = "#8b949e"
LIMIT_COLOUR = "#ff7b72"  # dashed permitted/national limit lines on every air and discharge chart


def aqi_band(value: float) -> Band | None:
    """The VN_AQI band of a value, None for a value that is not an AQI."""
    if not math.isfinite(value) or value < 0:
        return None
    return band(int(round(min(value, 500.0))))


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (#RRGGBB)."""
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def band_label(b: Band | None, language: str) -> str:
    if b is None:
        return ""
    return b.label_vi if language == "vi" else b.label_en


def band_message(b: Band | None, language: str) -> str:
    if b is None:
        return ""
    return b.message_vi if language == "vi" else b.message_en


def station_name(station: str, names: dict[str, str] | None = None) -> str:
    return (names or {}).get(station) or STATION_NAMES.get(station, station)


def usable(record: Record) -> bool:
    """A measurement whose value and time can be drawn (never trust a record to be well formed)."""
    try:
        return (isinstance(record, Measurement) and isinstance(record.value, (int, float))
                and math.isfinite(record.value) and isinstance(record.ts, (int, float)) and math.isfinite(record.ts)
                and record.ts > 0)
    except Exception:  # noqa: BLE001 — a broken record must not break the tile
        return False


def finite_point(ts: object, value: object) -> bool:
    """A cached (time, value) pair that can be drawn."""
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (ts, value))


class Series:
    """Time-ordered points of one series in growable numpy buffers, kept for `keep_s` seconds;
    late points are inserted in order, a repeated time is ignored."""

    __slots__ = ("_ts", "_values", "n", "keep_s")

    def __init__(self, keep_s: float = RANGES["30d"] + 86400) -> None:
        self._ts = np.empty(256)
        self._values = np.empty(256)
        self.n = 0
        self.keep_s = keep_s

    @property
    def ts(self) -> np.ndarray:
        return self._ts[:self.n]

    @property
    def values(self) -> np.ndarray:
        return self._values[:self.n]

    def add(self, ts: float, value: float) -> bool:
        """Add a point; False when a point with that time is already held."""
        n = self.n
        if n and ts <= self._ts[n - 1]:
            i = int(np.searchsorted(self._ts[:n], ts))
            if i < n and self._ts[i] == ts:
                return False
        else:
            i = n
        if n == len(self._ts):
            self._ts = np.concatenate([self._ts, np.empty(n)])
            self._values = np.concatenate([self._values, np.empty(n)])
        if i < n:
            self._ts[i + 1:n + 1] = self._ts[i:n].copy()
            self._values[i + 1:n + 1] = self._values[i:n].copy()
        self._ts[i] = ts
        self._values[i] = value
        self.n = n + 1
        if self._ts[0] < self._ts[self.n - 1] - self.keep_s * 1.1:  # trim now and then, not every point
            cut = int(np.searchsorted(self._ts[:self.n], self._ts[self.n - 1] - self.keep_s))
            self._ts[:self.n - cut] = self._ts[cut:self.n].copy()
            self._values[:self.n - cut] = self._values[cut:self.n].copy()
            self.n -= cut
        return True

    def window(self, start: float) -> tuple[np.ndarray, np.ndarray]:
        """The points at or after `start` (views: valid until the next add)."""
        i = int(np.searchsorted(self._ts[:self.n], start))
        return self._ts[i:self.n], self._values[i:self.n]

    def last(self) -> tuple[float, float] | None:
        return (float(self._ts[self.n - 1]), float(self._values[self.n - 1])) if self.n else None

    def value_at(self, ts: float) -> tuple[float, float] | None:
        """The point nearest to `ts`."""
        if not self.n:
            return None
        i = int(np.searchsorted(self._ts[:self.n], ts))
        j = min((k for k in (i - 1, i) if 0 <= k < self.n), key=lambda k: abs(self._ts[k] - ts))
        return float(self._ts[j]), float(self._values[j])

    def __len__(self) -> int:
        return self.n


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


def history_since(range_name: str, now: float | None = None) -> float:
    return (now or time.time()) - RANGES[range_name]
