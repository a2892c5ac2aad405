"""Air Quality Index: VN_AQI (Decision 1459/QĐ-TCMT) or the US EPA AQI (2024 table); Qt-free.

Concentrations are µg/m³ everywhere in this module (CO too, as in Decision 1459); the US
tables are looked up after conversion to ppm/ppb at 25 °C.  Time is counted in local clock
hours (Asia/Ho_Chi_Minh, UTC+7 without daylight saving since 1975) since 1970-01-01T00:00;
an hour is labelled by its start.  Missing values are NaN inside the arrays and never counted.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

POLLUTANTS = ("so2", "no2", "co", "o3", "pm10", "pm25")
PARTICLES = ("pm10", "pm25")
STANDARDS = ("vn", "us")
# Order used to pick the dominant pollutant among equal sub-indices (PM first: VN_AQI requires it).
DOMINANCE_ORDER = ("pm25", "pm10", "o3", "no2", "so2", "co")

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_UTC_OFFSET_S = 7 * 3600
EARLIEST_READING = datetime(1975, 6, 13, tzinfo=LOCAL_TZ)  # UTC+7 nationwide from this date on
MOLAR_VOLUME_25C = 24.45  # L/mol at 25 °C and 1 atm
MOLAR_MASS = {"so2": 64.066, "no2": 46.0055, "co": 28.010, "o3": 47.997}  # g/mol
# Upper ends of reference-analyser ranges, far above any ambient hourly value ever recorded:
# a reading above these is an instrument or transmission fault, not air.
PLAUSIBLE_MAX_UGM3 = {
    "so2": 30_000.0,  # ≈ 11 ppm
    "no2": 20_000.0,  # ≈ 11 ppm
    "co": 1_200_000.0,  # ≈ 1 000 ppm
    "o3": 4_000.0,  # ≈ 2 ppm
    "pm10": 20_000.0,
    "pm25": 10_000.0,
}
NOWCAST_HOURS = 12
_EPS = 1e-6  # absorbs float noise before truncating concentrations and rounding indices


class ReadingRejected(ValueError):
    """A reading that must not enter the computation; `.reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Band:
    """An AQI category: level 1 (good) to 6 (hazardous), its colour and health message."""

    level: int
    colour_hex: str
    label_vi: str
    label_en: str
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class AqiResult:
    """AQI of one hour or day; `aqi` is None when the rules say it cannot be computed."""

    aqi: int | None
    dominant: str | None
    sub_indices: dict[str, int | None]
    band: Band | None
    reasons: list[str]


# --- readings ---------------------------------------------------------------------------

def _unit_factor(pollutant: str, unit: str) -> float:
    """Multiplier from `unit` to µg/m³ for `pollutant` (gases at 25 °C)."""
    key = unit.strip().lower().replace("µ", "u").replace("μ", "u").replace("³", "3")
    if key in ("", "ug/m3"):
        return 1.0
    if key == "mg/m3":
        return 1000.0
    if key in ("ppb", "ppm"):
        if pollutant not in MOLAR_MASS:
            raise ReadingRejected(f"unit {unit!r} is a mixing ratio, not valid for {pollutant}")
        return MOLAR_MASS[pollutant] / MOLAR_VOLUME_25C * (1000.0 if key == "ppm" else 1.0)
    raise ReadingRejected(f"unknown unit {unit!r} (use µg/m3, mg/m3, ppb or ppm)")


def to_ugm3(pollutant: str, value: float, unit: str = "") -> float:
    """Convert a value in `unit` (µg/m3 when empty, mg/m3, ppb, ppm) to µg/m³ at 25 °C."""
    return value * _unit_factor(_known(pollutant), unit)


def _known(pollutant: str) -> str:
    if pollutant not in POLLUTANTS:
        raise ReadingRejected(f"unknown pollutant {pollutant!r} (expected one of {', '.join(POLLUTANTS)})")
    return pollutant


def check_concentration(pollutant: str, value: float) -> float:
    """Return `value` (µg/m³) if it may be counted, else raise ReadingRejected with the reason."""
    _known(pollutant)
    if math.isnan(value):
        raise ReadingRejected(f"{pollutant} value is NaN")
    if math.isinf(value):
        raise ReadingRejected(f"{pollutant} value is infinite")
    if value < 0:
        raise ReadingRejected(f"{pollutant} value {value:g} is negative")
    if value > PLAUSIBLE_MAX_UGM3[pollutant]:
        raise ReadingRejected(
            f"{pollutant} value {value:g} µg/m³ is physically implausible "
            f"(above {PLAUSIBLE_MAX_UGM3[pollutant]:g} µg/m³)"
        )
    return value


def _check_array(pollutant: str, values: np.ndarray) -> None:
    """Raise ReadingRejected for the first value of `values` that check_concentration refuses."""
    with np.errstate(invalid="ignore"):
        bad = ~((values >= 0) & (values <= PLAUSIBLE_MAX_UGM3[_known(pollutant)]))
    if bad.any():
        check_concentration(pollutant, float(values[np.argmax(bad)]))


def hour_index(epoch_s: float | np.ndarray) -> float | np.ndarray:
    """Local clock-hour index (hours since 1970-01-01T00:00 local) of POSIX seconds."""
    return (epoch_s + _UTC_OFFSET_S) // 3600


def datetime_hour_index(moment: datetime) -> int:
    """Local clock-hour index of a datetime; a naive one is taken as Asia/Ho_Chi_Minh time.

    Raises ReadingRejected for times before UTC+7 became Vietnam's only time or in the future.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    epoch_s = moment.timestamp()
    if epoch_s < EARLIEST_READING.timestamp():
        raise ReadingRejected(f"time {moment.isoformat()} is before {EARLIEST_READING.date()}")
    if epoch_s > time.time() + 3600:
        raise ReadingRejected(f"time {moment.isoformat()} is in the future")
    return int(hour_index(epoch_s))


def hour_start(index: int) -> datetime:
    """Aware local datetime at the start of local clock hour `index`."""
    return datetime.fromtimestamp(index * 3600 - _UTC_OFFSET_S, LOCAL_TZ)


# --- breakpoint tables ------------------------------------------------------------------

@dataclass(frozen=True)
class _Table:
    """Piecewise-linear segments [lo, hi] -> [ilo, ihi] in the table's own unit."""

    lo: np.ndarray
    hi: np.ndarray
    ilo: np.ndarray
    ihi: np.ndarray
    per_ugm3: float  # table unit per µg/m³
    decimals: int | None  # US: truncate the concentration to this many decimals

    def index(self, ugm3: np.ndarray) -> np.ndarray:
        """Rounded sub-indices (float, NaN where the table does not apply or data are missing)."""
        c = np.asarray(ugm3, dtype=float) * self.per_ugm3
        if self.decimals is not None:
            scale = 10.0 ** self.decimals
            c = np.floor(c * scale + _EPS) / scale
        seg = np.minimum(np.searchsorted(self.lo, c, side="right") - 1, len(self.lo) - 1)
        seg = np.maximum(seg, 0)
        with np.errstate(invalid="ignore"):
            raw = (self.ihi[seg] - self.ilo[seg]) / (self.hi[seg] - self.lo[seg]) * (c - self.lo[seg])
            out = np.floor(raw + self.ilo[seg] + 0.5 + _EPS)
            top = 500.0 if self.ihi[-1] == 500 else np.nan  # above a 500 row: cap; else: not defined
            out = np.where(c > self.hi[-1], top, out)
            return np.where(c < self.lo[0], np.nan, out)


def _segments(rows: list, levels: list, per_ugm3: float, decimals: int | None) -> _Table:
    """Table from [lo, hi] concentration rows and [ilo, ihi] index rows, skipping null rows."""
    pairs = [(c, i) for c, i in zip(rows, levels) if c is not None]
    lo, hi = (np.array([p[0][k] for p in pairs], dtype=float) for k in (0, 1))
    ilo, ihi = (np.array([p[1][k] for p in pairs], dtype=float) for k in (0, 1))
    return _Table(lo, hi, ilo, ihi, per_ugm3, decimals)


@dataclass(frozen=True)
class _Standard:
    name: str
    tables: dict[str, _Table]
    bands: tuple[Band, ...]
    band_tops: tuple[float, ...]
    needs_pm: bool


def _load(name: str) -> dict:
    return json.loads((files("resources") / "aqi" / name).read_text(encoding="utf-8"))


def _vn_standard() -> _Standard:
    data = _load("vn_aqi_1459.json")
    columns = {"so2": "SO2", "no2": "NO2", "co": "CO", "o3_1h": "O3_1h", "o3_8h": "O3_8h",
               "pm10": "PM10", "pm25": "PM2.5"}
    levels = data["I_levels"]
    tables = {}
    for key, column in columns.items():
        bps = data["breakpoints"][column]
        rows = [None if b is None else [a, b] for a, b in itertools.pairwise(bps)]
        tables[key] = _segments(rows, list(itertools.pairwise(levels)), 1.0, None)
    bands = tuple(
        Band(n + 1, b["hex"], b["vi"], b["en"], b["health_vi"], b["health_en"])
        for n, b in enumerate(data["bands"])
    )
    return _Standard("vn", tables, bands, tuple(b["max"] for b in data["bands"]), needs_pm=True)


def _us_standard(vn_bands: tuple[Band, ...]) -> _Standard:
    data = _load("us_aqi_2024.json")
    ppb = {p: MOLAR_VOLUME_25C / m for p, m in MOLAR_MASS.items()}
    columns = {  # our key: (JSON table, table unit per µg/m³, truncation decimals)
        "pm25": ("pm25_24h", 1.0, 1), "pm10": ("pm10_24h", 1.0, 0),
        "o3_8h": ("o3_8h", ppb["o3"] / 1000, 3), "o3_1h": ("o3_1h", ppb["o3"] / 1000, 3),
        "co": ("co_8h", ppb["co"] / 1000, 1),
        "so2_1h": ("so2_1h", ppb["so2"], 0), "so2_24h": ("so2_24h", ppb["so2"], 0),
        "no2": ("no2_1h", ppb["no2"], 0),
    }
    levels = data["aqi_rows"]
    tables = {key: _segments(data["breakpoints_2024"][col], levels, unit, dec)
              for key, (col, unit, dec) in columns.items()}
    bands = tuple(
        Band(vn.level, "#{:02X}{:02X}{:02X}".format(*c["rgb"]), vn.label_vi, c["name"], vn.message_vi,
             c["message"])
        for vn, c in zip(vn_bands, data["categories"])
    )
    tops = tuple(math.inf if c["max"] is None else c["max"] for c in data["categories"])
    return _Standard("us", tables, bands, tops, needs_pm=False)


@cache
def _standard(name: str) -> _Standard:
    if name == "vn":
        return _vn_standard()
    if name == "us":
        return _us_standard(_standard("vn").bands)
    raise ValueError(f"unknown AQI standard {name!r} (expected one of {', '.join(STANDARDS)})")


def sub_index(pollutant: str, concentration: float, standard: str = "vn", period: str | None = None) -> int | None:
    """Sub-index of one concentration (µg/m³) in the pollutant's table, None where none applies.

    `period` picks among several tables of a pollutant: "1h"/"8h" for O3, "1h"/"24h" for US SO2.
    """
    tables = _standard(standard).tables
    key = _known(pollutant) if period is None else f"{pollutant}_{period}"
    if key not in tables:
        choices = sorted(k for k in tables if k.startswith(pollutant))
        raise ValueError(f"no {standard} table {key!r}; choose one of {choices}")
    value = float(tables[key].index(np.array([check_concentration(pollutant, concentration)]))[0])
    return None if math.isnan(value) else int(value)


def band(aqi: int, standard: str = "vn") -> Band:
    """The category of an AQI value."""
    std = _standard(standard)
    return next(b for b, top in zip(std.bands, std.band_tops) if aqi <= top)


# --- averaging --------------------------------------------------------------------------

def _windows(x: np.ndarray, k: int) -> np.ndarray:
    """Row j holds x[j-k+1 .. j] (NaN before the start)."""
    return sliding_window_view(np.concatenate([np.full(k - 1, np.nan), x]), k)


def running_mean(x: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k hours ending at each hour; NaN unless all k hours have data."""
    return _windows(x, k).mean(axis=1)


def nowcast_series(x: np.ndarray) -> np.ndarray:
    """NowCast (Decision 1459 formula 2, normalised) at every hour of an hourly series."""
    c = _windows(x, NOWCAST_HOURS)[:, ::-1]  # column 0 = c1 = current hour
    present = ~np.isnan(c)
    cmax = np.fmax.reduce(c, axis=1)
    cmin = np.fmin.reduce(c, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(cmax > 0, np.maximum(cmin / cmax, 0.5), 1.0)
        weights = np.where(present, w[:, None] ** np.arange(NOWCAST_HOURS), 0.0)
        value = (weights * np.where(present, c, 0.0)).sum(axis=1) / weights.sum(axis=1)
    return np.where(present[:, :3].sum(axis=1) >= 2, value, np.nan)


def nowcast(hourly_means: Sequence[float | None], pollutant: str = "pm25") -> float | None:
    """NowCast at the last hour of chronological hourly means (None = missing hour)."""
    x = _as_array(pollutant, hourly_means)
    if not len(x):
        return None
    value = float(nowcast_series(x)[-1])
    return None if math.isnan(value) else value


def _row_mean(days: np.ndarray) -> np.ndarray:
    count = (~np.isnan(days)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum(days, axis=1) / count


def hourly_means(hours: np.ndarray, values: np.ndarray, first_hour: int, n_hours: int) -> np.ndarray:
    """Mean of the readings falling in each clock hour first_hour .. first_hour+n_hours-1."""
    idx = np.asarray(hours, dtype=np.int64) - first_hour
    sums = np.bincount(idx, weights=values, minlength=n_hours)
    counts = np.bincount(idx, minlength=n_hours)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


@dataclass(frozen=True)
class StationHours:
    """Hourly means (µg/m³, NaN = missing) of one station on contiguous local clock hours."""

    station: str
    first_hour: int
    means: dict[str, np.ndarray]

    @property
    def n_hours(self) -> int:
        return len(next(iter(self.means.values())))

    @classmethod
    def from_readings(cls, station: str, readings: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> StationHours:
        """Average readings {pollutant: (hour indices, values µg/m³)} into clock hours."""
        for pollutant, (_, values) in readings.items():
            _check_array(pollutant, values)
        spans = [(int(h.min()), int(h.max())) for h, _ in readings.values() if len(h)]
        if not spans:
            raise ValueError(f"station {station!r} has no readings")
        first = min(s[0] for s in spans)
        n = max(s[1] for s in spans) - first + 1
        empty = (np.empty(0, np.int64), np.empty(0))
        means = {p: hourly_means(*readings.get(p, empty), first, n) for p in POLLUTANTS}
        return cls(station, first, means)


def _as_array(pollutant: str, values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else check_concentration(pollutant, float(v)) for v in values], dtype=float)


# --- hourly and daily AQI ---------------------------------------------------------------

class _View:
    """Per-pollutant concentrations that the standards' tables are applied to."""

    daily: bool
    reasons: dict[str, str]

    def __init__(self, means: dict[str, np.ndarray]) -> None:
        self._means = means

    def hour(self, p: str) -> np.ndarray:
        raise NotImplementedError

    def pm(self, p: str) -> np.ndarray:
        raise NotImplementedError

    def eight(self, p: str) -> np.ndarray:
        raise NotImplementedError

    def day(self, p: str) -> np.ndarray:
        raise NotImplementedError


class _HourlyView(_View):
    """Concentrations behind each hour's sub-indices."""

    daily = False
    reasons = {"pm": "NowCast needs data in at least 2 of the 3 latest hours",  # noqa: RUF012 (read only)
               "other": "no valid data in its averaging period"}

    def hour(self, p: str) -> np.ndarray:
        return self._means[p]

    def pm(self, p: str) -> np.ndarray:
        return nowcast_series(self._means[p])

    def eight(self, p: str) -> np.ndarray:
        return running_mean(self._means[p], 8)

    def day(self, p: str) -> np.ndarray:
        return running_mean(self._means[p], 24)


class _DailyView(_View):
    """Concentrations behind each day's sub-indices; `means` start at local midnight, whole days."""

    daily = True
    reasons = {"pm": "no valid hourly mean in the day", "other": "no valid data in the day"}  # noqa: RUF012

    @staticmethod
    def _days(x: np.ndarray) -> np.ndarray:
        return x.reshape(-1, 24)

    def hour(self, p: str) -> np.ndarray:
        return np.fmax.reduce(self._days(self._means[p]), axis=1)

    def pm(self, p: str) -> np.ndarray:
        return _row_mean(self._days(self._means[p]))

    def eight(self, p: str) -> np.ndarray:
        return np.fmax.reduce(self._days(running_mean(self._means[p], 8)), axis=1)

    day = pm


def _vn_sub_indices(v: _View, t: dict[str, _Table]) -> dict[str, np.ndarray]:
    o3 = t["o3_1h"].index(v.hour("o3"))
    if v.daily:  # 8-hour table is NaN above 400 µg/m³: the 8-hour part is dropped there
        o3 = np.fmax(o3, t["o3_8h"].index(v.eight("o3")))
    subs = {p: t[p].index(v.hour(p)) for p in ("so2", "no2", "co")}
    subs.update({p: t[p].index(v.pm(p)) for p in PARTICLES}, o3=o3)
    return subs


def _us_sub_indices(v: _View, t: dict[str, _Table]) -> dict[str, np.ndarray]:
    so2_hour = v.hour("so2")
    so2 = t["so2_1h"].index(so2_hour)
    above_1h_table = np.isnan(so2) & ~np.isnan(so2_hour)  # > 304 ppb: 24-hour table, at least 200
    so2 = np.where(above_1h_table, np.fmax(t["so2_24h"].index(v.day("so2")), 200.0), so2)
    subs = {p: t[p].index(v.pm(p)) for p in PARTICLES}
    subs.update(
        so2=so2,
        no2=t["no2"].index(v.hour("no2")),
        co=t["co"].index(v.eight("co")),
        o3=np.fmax(t["o3_1h"].index(v.hour("o3")), t["o3_8h"].index(v.eight("o3"))),
    )
    return subs


@dataclass(frozen=True)
class AqiTable:
    """AQI per hour or per day of one station: float arrays, NaN where not computable."""

    standard: str
    first_hour: int  # local clock-hour index of the first row's start
    step_hours: int  # 1 (hourly) or 24 (daily)
    aqi: np.ndarray
    dominant: np.ndarray  # index into DOMINANCE_ORDER, -1 where there is no AQI
    sub_indices: dict[str, np.ndarray]
    missing_reasons: dict[str, str]

    def __len__(self) -> int:
        return len(self.aqi)

    def start(self, row: int) -> datetime:
        """Aware local start of the row's hour or day."""
        return hour_start(self.first_hour + row * self.step_hours)

    def result(self, row: int) -> AqiResult:
        """The row as an AqiResult with band and reasons."""
        subs = {p: None if math.isnan(s[row]) else int(s[row]) for p, s in self.sub_indices.items()}
        reasons = [f"{p}: {self.missing_reasons['pm' if p in PARTICLES else 'other']}"
                   for p, s in subs.items() if s is None]
        if math.isnan(self.aqi[row]):
            needs_pm = _standard(self.standard).needs_pm
            reasons.append("no PM10 or PM2.5 sub-index: VN_AQI requires one (Decision 1459 §2.1)"
                           if needs_pm else "no sub-index available")
            return AqiResult(None, None, subs, None, reasons)
        aqi = int(self.aqi[row])
        dominant = DOMINANCE_ORDER[int(self.dominant[row])]
        return AqiResult(aqi, dominant, subs, band(aqi, self.standard), reasons)


def _table(std: _Standard, view: _View, first_hour: int, step: int) -> AqiTable:
    recipe = _vn_sub_indices if std.name == "vn" else _us_sub_indices
    subs = recipe(view, std.tables)
    stack = np.vstack([subs[p] for p in DOMINANCE_ORDER])
    aqi = np.fmax.reduce(stack, axis=0)
    if std.needs_pm:
        aqi = np.where(np.isnan(subs["pm10"]) & np.isnan(subs["pm25"]), np.nan, aqi)
    dominant = np.where(np.isnan(aqi), -1, np.argmax(np.nan_to_num(stack, nan=-1.0), axis=0))
    ordered = {p: subs[p] for p in POLLUTANTS}
    return AqiTable(std.name, first_hour, step, aqi, dominant, ordered, view.reasons)


def hourly_table(hours: StationHours, standard: str = "vn") -> AqiTable:
    """Hourly AQI (NowCast for PM) at every hour of the station's series."""
    return _table(_standard(standard), _HourlyView(hours.means), hours.first_hour, 1)


def daily_table(hours: StationHours, standard: str = "vn") -> AqiTable:
    """Daily AQI for every local date the station's series touches (day = hours 00..23)."""
    std = _standard(standard)
    before = hours.first_hour % 24
    after = -(hours.first_hour + hours.n_hours) % 24
    padded = {p: np.concatenate([np.full(before, np.nan), x, np.full(after, np.nan)])
              for p, x in hours.means.items()}
    return _table(std, _DailyView(padded), hours.first_hour - before, 24)


def _series(means: Mapping[str, Sequence[float | None]], last_hour: int) -> StationHours:
    """StationHours from chronological per-pollutant lists aligned on their last hour."""
    n = max(len(v) for v in means.values())
    arrays = {p: _as_array(p, [None] * (n - len(v)) + list(v)) for p, v in means.items()}
    arrays = {p: arrays.get(p, np.full(n, np.nan)) for p in POLLUTANTS}
    return StationHours("", last_hour - n + 1, arrays)


def hourly_aqi(means: Mapping[str, Sequence[float | None]], standard: str = "vn") -> AqiResult:
    """Hourly AQI of the last hour, from chronological hourly means per pollutant (None = missing)."""
    table = hourly_table(_series(means, 0), standard)
    return table.result(len(table) - 1)


def daily_aqi(means: Mapping[str, Sequence[float | None]], standard: str = "vn") -> AqiResult:
    """Daily AQI of the day formed by the last 24 hourly means (00:00..23:00); earlier hours only
    feed the 8-hour windows that reach into the day."""
    table = daily_table(_series(means, 24 * 1000 - 1), standard)
    return table.result(len(table) - 1)
