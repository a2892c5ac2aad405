"""AQI bands as colours and words (VN_AQI), the air charts' colours, and station names."""

from __future__ import annotations

import math

from feeds.air.aqi import Band, _standard, band
from feeds.air.stations import STATION_NAMES

VN = _standard("vn")
BANDS: tuple[Band, ...] = VN.bands
BAND_EDGES: tuple[float, ...] = (0.0, *VN.band_tops)  # 0, 50, 100, 150, 200, 300, 500
PALETTE = ("#58a6ff", "#f778ba", "#3fb950", "#e3b341", "#a371f7", "#f0f6fc", "#56d4dd", "#ff9f43", "#7ee787",
           "#d2a8ff", "#db61a2")
NO_DATA_COLOUR = "#8b949e"
LIMIT_COLOUR = "#ff7b72"  # dashed permitted/national limit lines on every air and discharge chart


def aqi_band(value: float) -> Band | None:
    """The VN_AQI band of a value, None for a value that is not an AQI."""
    if not math.isfinite(value) or value < 0:
        return None
    return band(round(min(value, 500.0)))


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
