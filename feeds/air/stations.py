"""The monitoring stations of Thanh Hóa, the pollutants and discharge parameters with their national limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    lat: float
    lon: float
    kind: str = "air"  # "air" or "discharge"
    profile: str = "urban"  # simulator profile: urban, industrial, coastal, rural


# Plausible locations of Thanh Hóa's automatic stations (WGS84, approximate).
AIR_STATIONS: tuple[Station, ...] = (
    Station("tp-dong-tho", "TP Thanh Hóa — Đông Thọ", 19.8150, 105.7770, profile="urban"),
    Station("tp-quang-thang", "TP Thanh Hóa — Quảng Thắng", 19.7780, 105.7540, profile="urban"),
    Station("sam-son", "Sầm Sơn", 19.7420, 105.9030, profile="coastal"),
    Station("bim-son", "Bỉm Sơn", 20.0860, 105.8600, profile="industrial"),
    Station("nghi-son-hai-thuong", "Nghi Sơn — Hải Thượng", 19.3330, 105.7960, profile="industrial"),
    Station("nghi-son-truc-lam", "Nghi Sơn — Trúc Lâm", 19.4150, 105.7320, profile="industrial"),
    Station("lam-son", "Lam Sơn — Thọ Xuân", 19.9290, 105.4470, profile="rural"),
)
DISCHARGE_STATIONS: tuple[Station, ...] = (
    Station("nsrp", "Lọc hóa dầu Nghi Sơn", 19.3240, 105.8120, kind="discharge", profile="refinery"),
    Station("xm-bim-son", "Xi măng Bỉm Sơn", 20.0720, 105.8740, kind="discharge", profile="cement"),
    Station("kcn-le-mon", "KCN Lễ Môn — XLNT tập trung", 19.7930, 105.8160, kind="discharge", profile="park"),
    Station("duong-lam-son", "Đường Lam Sơn", 19.9520, 105.4420, kind="discharge", profile="sugar"),
)
STATION_NAMES = {s.id: s.name for s in (*AIR_STATIONS, *DISCHARGE_STATIONS)}

POLLUTANT_LABELS = {"so2": "SO₂", "no2": "NO₂", "co": "CO", "o3": "O₃", "pm10": "PM10", "pm25": "PM2.5"}
# QCVN 05:2023/BTNMT ambient limits (µg/m³): 1-hour for gases, 24-hour for particles.
NATIONAL_LIMITS = {"so2": (350.0, "1h"), "no2": (200.0, "1h"), "co": (30000.0, "1h"), "o3": (200.0, "1h"),
                   "pm10": (100.0, "24h"), "pm25": (50.0, "24h")}

# Discharge parameters: unit, and the default permitted range from QCVN 40:2011/BTNMT column B
# (None = no national limit: set it per station from the discharge permit).
DISCHARGE_PARAMS: dict[str, tuple[str, str, tuple[float | None, float | None]]] = {
    "ph": ("pH", "", (5.5, 9.0)),
    "cod": ("COD", "mg/L", (None, 150.0)),
    "tss": ("TSS", "mg/L", (None, 100.0)),
    "nh4": ("NH₄⁺", "mg/L", (None, 10.0)),
    "temp": ("Nhiệt độ", "°C", (None, 40.0)),
    "flow": ("Lưu lượng", "m³/h", (None, None)),
}

DISCHARGE_LABELS_EN = {"temp": "Temperature", "flow": "Flow"}

DEFAULT_WARNING = 150.0
DEFAULT_CRITICAL = 200.0
