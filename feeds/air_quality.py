"""Air-quality and discharge processing on the ingest writer thread: live AQI, hourly means, alerts.

Qt-free. Readings arrive as Measurements from any source (simulator, MQTT, REST, drop folder):

* ``air/<station>/<pollutant>`` — a concentration (pollutant in feeds.aqi.POLLUTANTS; µg/m³ unless the
  record's unit says mg/m3, ppb or ppm);
* ``discharge/<station>/<param>`` — a factory discharge parameter (pH, COD, TSS, NH₄⁺, flow, temperature).

The processor derives, for each air station:

* ``air/<station>/aqi`` — the current hourly VN_AQI (Decision 1459, NowCast for PM) over the hourly means
  including the hour in progress, ``label`` = the dominant pollutant, at most one per `aqi_every_s` of
  reading time;
* ``air/<station>/<pollutant>/1h`` — the mean of each completed clock hour (ts = the hour's start);
* AlertEvents on ``air/<station>/aqi`` once per episode: warning when the AQI exceeds the station's
  warning threshold, critical when it exceeds the critical one; the episode ends only after the AQI has
  stayed `margin` below the threshold for `clear_count` updates (no flapping).

and for each discharge parameter with a permitted range, AlertEvents on ``discharge/<station>/<param>``
once per exceedance episode (critical when the value is beyond `critical_factor` × the limit).
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from feeds.aqi import (NOWCAST_HOURS, POLLUTANTS, ReadingRejected, band, check_concentration, hour_index, hourly_aqi,
                       to_ugm3)
from feeds.records import AlertEvent, Measurement, Record, Severity

log = logging.getLogger(__name__)


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


class Episode:
    """Hysteresis on one series: level 0 (normal), 1 (warning), 2 (critical).

    `severity(value)` says how bad a value is (0/1/2); `clear(value)` whether it is clearly back to
    normal. The level rises at once; it falls to 0 only after `clear_count` consecutive clear values.
    `update` returns the new level when it rose (an alert is due), else None.
    """

    __slots__ = ("level", "clear_run", "clear_count", "started")

    def __init__(self, clear_count: int) -> None:
        self.level = 0
        self.clear_run = 0
        self.clear_count = clear_count
        self.started = 0.0

    def update(self, severity: int, clear: bool, ts: float) -> int | None:
        if severity > self.level:
            if self.level == 0:
                self.started = ts
            self.level = severity
            self.clear_run = 0
            return severity
        if self.level and clear:
            self.clear_run += 1
            if self.clear_run >= self.clear_count:
                self.level = 0
                self.clear_run = 0
        elif not clear:
            self.clear_run = 0
        return None


def _pair(value: Any, where: str) -> tuple[float, float]:
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(_is_number(v) for v in value):
        if not 0 < value[0] < value[1]:
            raise ValueError(f"{where}: the warning threshold must be positive and below the critical one, "
                             f"got {list(value)}")
        return float(value[0]), float(value[1])
    raise ValueError(f"{where}: expected [warning, critical] AQI thresholds, got {value!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse_limit(value: Any, where: str) -> tuple[float | None, float | None]:
    """A permitted range: a number (maximum) or [min, max] with either end possibly absent (false)."""
    if _is_number(value):
        return None, float(value)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        lo, hi = (None if v is False or v is None else v for v in value)
        if all(v is None or _is_number(v) for v in (lo, hi)) and (lo is None or hi is None or lo < hi):
            return (None if lo is None else float(lo)), (None if hi is None else float(hi))
    raise ValueError(f"{where}: expected a maximum or [minimum, maximum], got {value!r}")


@dataclass
class AirSettings:
    """What the processor needs from the configuration (plain data, so it pickles to the ingest process)."""

    thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)  # station -> (warning, critical)
    default_thresholds: tuple[float, float] = (DEFAULT_WARNING, DEFAULT_CRITICAL)
    limits: dict[str, dict[str, tuple[float | None, float | None]]] = field(default_factory=dict)
    margin: float = 15.0  # AQI points below a threshold that count as "clearly below"
    clear_count: int = 3  # consecutive clear updates ending an episode
    aqi_every_s: float = 0.0  # at most one live AQI per station per this much reading time
    critical_factor: float = 1.5
    names: dict[str, str] = field(default_factory=lambda: dict(STATION_NAMES))

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> AirSettings:
        """Validate processor options (ValueError naming the key)."""
        settings = cls()
        thresholds = dict(options.get("thresholds", {}))
        if "default" in thresholds:
            settings.default_thresholds = _pair(thresholds.pop("default"), "thresholds.default")
        settings.thresholds = {st: _pair(v, f"thresholds.{st}") for st, v in thresholds.items()}
        for station, params in dict(options.get("limits", {})).items():
            if not isinstance(params, dict):
                raise ValueError(f"limits.{station}: expected a table of parameter limits")
            unknown = sorted(set(params) - set(DISCHARGE_PARAMS))
            if unknown:
                raise ValueError(f"limits.{station}: unknown parameter(s) {', '.join(unknown)}; "
                                 f"known: {', '.join(DISCHARGE_PARAMS)}")
            settings.limits[station] = {p: parse_limit(v, f"limits.{station}.{p}") for p, v in params.items()}
        for name in ("margin", "aqi_every_s", "critical_factor"):
            if name in options:
                if not _is_number(options[name]) or options[name] < 0:
                    raise ValueError(f"{name}: expected a non-negative number, got {options[name]!r}")
                setattr(settings, name, float(options[name]))
        if "clear_count" in options:
            if not isinstance(options["clear_count"], int) or options["clear_count"] < 1:
                raise ValueError(f"clear_count: expected a positive integer, got {options['clear_count']!r}")
            settings.clear_count = options["clear_count"]
        settings.names.update({str(k): str(v) for k, v in dict(options.get("names", {})).items()})
        return settings

    def station_thresholds(self, station: str) -> tuple[float, float]:
        return self.thresholds.get(station, self.default_thresholds)

    def limit(self, station: str, param: str) -> tuple[float | None, float | None]:
        own = self.limits.get(station, {})
        if param in own:
            return own[param]
        return DISCHARGE_PARAMS.get(param, ("", "", (None, None)))[2]


class _AirStation:
    """Hourly sums of one station's readings, and the live AQI state."""

    KEEP_HOURS = 26

    def __init__(self, clear_count: int) -> None:
        self.sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
        self.closed_upto: int | None = None  # hours before this are complete and emitted
        self.last_emit = -math.inf
        self.pending_ts = -math.inf  # time of the newest readings added
        self.episode = Episode(clear_count)
        self.source = ""  # the feed the readings come from: derived records carry it too


class AirQualityProcessor:
    """`processor(records) -> derived records`; keeps per-station state between batches."""

    def __init__(self, settings: AirSettings | None = None, source: str = "aqi") -> None:
        self.settings = settings or AirSettings()
        self.source = source
        self.air: dict[str, _AirStation] = {}
        self.discharge: dict[tuple[str, str], Episode] = {}
        self.refused = 0

    def __call__(self, records: list[Record]) -> list[Record]:
        out: list[Record] = []
        touched: set[str] = set()
        readings = sorted((r for r in records if isinstance(r, Measurement)
                           and r.key.startswith(("air/", "discharge/"))), key=lambda r: r.ts)
        for m in readings:
            parts = m.key.split("/")
            if len(parts) != 3:
                continue  # our own derived keys (aqi is 3 parts but not a pollutant), sub-series
            if parts[0] == "air" and parts[2] in POLLUTANTS:
                if self._add_air(parts[1], parts[2], m, out):
                    touched.add(parts[1])
            elif parts[0] == "discharge":
                self._check_discharge(parts[1], parts[2], m, out)
        for station in touched:
            state = self.air[station]
            self._live_aqi(station, state.pending_ts, out)
        return out

    def warm_up(self, readings: list[Measurement]) -> None:
        """Replay earlier readings to rebuild the hourly sums and episode states; nothing is emitted."""
        self(readings)
        log.info("air quality: %d cached readings replayed for %d stations", len(readings), len(self.air))

    # -- air ---------------------------------------------------------------------------------------
    def _add_air(self, station: str, pollutant: str, m: Measurement, out: list[Record]) -> bool:
        try:
            value = check_concentration(pollutant, to_ugm3(pollutant, m.value, m.unit))
        except ReadingRejected:
            self.refused += 1
            return False
        state = self.air.get(station)
        if state is None:
            state = self.air[station] = _AirStation(self.settings.clear_count)
        hour = int(hour_index(m.ts))
        if state.closed_upto is not None and hour < state.closed_upto:
            return False  # too late: that hour's mean is already out
        if m.ts > state.pending_ts > -math.inf:  # time moved on: the AQI as of the previous readings
            self._live_aqi(station, state.pending_ts, out)
        state.pending_ts = max(state.pending_ts, m.ts)
        state.source = m.source
        if state.closed_upto is None:
            state.closed_upto = hour
        if hour > state.closed_upto:
            self._close_hours(station, state, hour, out)
        cell = state.sums[hour][pollutant]
        cell[0] += value
        cell[1] += 1
        return True

    def _close_hours(self, station: str, state: _AirStation, upto: int, out: list[Record]) -> None:
        """Emit the hourly means of the hours before `upto` and forget hours too old to matter."""
        for hour in sorted(h for h in state.sums if state.closed_upto <= h < upto):
            for pollutant, (total, count) in state.sums[hour].items():
                if count:
                    out.append(Measurement(key=f"air/{station}/{pollutant}/1h", value=round(total / count, 2),
                                           ts=hour * 3600.0 - 7 * 3600, source=state.source or self.source,
                                           unit="µg/m³",
                                           label=POLLUTANT_LABELS[pollutant]))
        state.closed_upto = upto
        for hour in [h for h in state.sums if h <= upto - _AirStation.KEEP_HOURS]:
            del state.sums[hour]

    def _means(self, state: _AirStation, last_hour: int) -> dict[str, list[float | None]]:
        hours = range(last_hour - NOWCAST_HOURS + 1, last_hour + 1)  # VN hourly: 1-h gases, NowCast PM
        means: dict[str, list[float | None]] = {}
        for pollutant in POLLUTANTS:
            series = []
            for h in hours:
                cell = state.sums[h].get(pollutant) if h in state.sums else None
                series.append(cell[0] / cell[1] if cell and cell[1] else None)
            if any(v is not None for v in series):
                means[pollutant] = series
        return means

    def _live_aqi(self, station: str, ts: float, out: list[Record]) -> None:
        state = self.air[station]
        if ts <= state.last_emit or ts - state.last_emit < self.settings.aqi_every_s:
            return
        means = self._means(state, int(hour_index(ts)))
        if not means:
            return
        result = hourly_aqi(means, "vn")
        if result.aqi is None:
            return
        state.last_emit = ts
        out.append(Measurement(key=f"air/{station}/aqi", value=float(result.aqi), ts=ts,
                               source=state.source or self.source, unit="AQI", label=result.dominant or ""))
        out.extend(self.check_aqi(station, result.aqi, result.dominant or "", ts, state.source))

    def check_aqi(self, station: str, aqi: int, dominant: str, ts: float, source: str = "") -> list[AlertEvent]:
        """The alert (if any) due for a station's new AQI value: once per episode, with hysteresis."""
        state = self.air.get(station)
        if state is None:
            state = self.air[station] = _AirStation(self.settings.clear_count)
        out: list[AlertEvent] = []
        warning, critical = self.settings.station_thresholds(station)
        severity = 2 if aqi > critical else 1 if aqi > warning else 0
        clear = aqi < warning - self.settings.margin
        if state.episode.level == 2 and aqi < critical - self.settings.margin:
            state.episode.level = 1  # still an episode, but a new rise above critical alerts again
        raised = state.episode.update(severity, clear, ts)
        if raised is None:
            return out
        name = self.settings.names.get(station, station)
        level = Severity.CRITICAL if raised == 2 else Severity.WARNING
        limit = critical if raised == 2 else warning
        pollutant = POLLUTANT_LABELS.get(dominant, dominant)
        info = band(aqi)
        out.append(AlertEvent(
            id=f"aqi/{station}/{int(state.episode.started)}/{int(ts)}/{level.value}",
            key=f"air/{station}/aqi", severity=level,
            title=f"AQI {name}: {aqi} vượt ngưỡng {limit:g} ({info.label_vi})",
            title_en=f"AQI {name}: {aqi} above {limit:g} ({info.label_en})",
            ts=ts, source=source or state.source or self.source,
            detail=f"AQI {aqi}, chất ô nhiễm chính {pollutant}; {info.message_vi}",
            detail_en=f"AQI {aqi}, main pollutant {pollutant}; {info.message_en}",
            link=f"station:{station}",
            extra={"station": station, "aqi": aqi, "threshold": limit, "dominant": dominant,
                   "band": info.level, "episode_start": state.episode.started}))
        return out

    # -- discharge -----------------------------------------------------------------------------------
    def _check_discharge(self, station: str, param: str, m: Measurement, out: list[Record]) -> None:
        lo, hi = self.settings.limit(station, param)
        if lo is None and hi is None:
            return
        value = m.value
        over = hi is not None and value > hi
        under = lo is not None and value < lo
        factor = self.settings.critical_factor
        severe = (hi is not None and value > hi * factor) or (lo is not None and param != "ph" and value < lo / factor)
        if param == "ph" and lo is not None and hi is not None:  # pH: 1.5 units outside the range is severe
            severe = value > hi + 1.5 or value < lo - 1.5
        severity = 2 if severe else 1 if over or under else 0
        width = (hi if hi is not None else lo) * 0.05 if param != "ph" else 0.2
        clear = ((hi is None or value <= hi - width) and (lo is None or value >= lo + width))
        episode = self.discharge.get((station, param))
        if episode is None:
            episode = self.discharge[(station, param)] = Episode(self.settings.clear_count)
        raised = episode.update(severity, clear, m.ts)
        if raised is None:
            return
        label, unit, _ = DISCHARGE_PARAMS.get(param, (param, m.unit, None))
        unit = m.unit or unit
        name = self.settings.names.get(station, station)
        bound = f"≤ {hi:g}" if lo is None else f"≥ {lo:g}" if hi is None else f"{lo:g}–{hi:g}"
        level = Severity.CRITICAL if raised == 2 else Severity.WARNING
        out.append(AlertEvent(
            id=f"discharge/{station}/{param}/{int(episode.started)}/{int(m.ts)}/{level.value}",
            key=m.key, severity=level,
            title=f"{name}: {label} {value:g} {unit} vượt giới hạn cho phép ({bound})".replace("  ", " "),
            title_en=f"{name}: {DISCHARGE_LABELS_EN.get(param, label)} {value:g} {unit} outside the permitted"
                     f" range ({bound})".replace("  ", " "),
            ts=m.ts, source=m.source or self.source, detail=f"{label} = {value:g} {unit}; giới hạn {bound}".strip(),
            detail_en=f"{DISCHARGE_LABELS_EN.get(param, label)} = {value:g} {unit}; limit {bound}".strip(),
            link=f"station:{station}",
            extra={"station": station, "param": param, "value": value, "min": lo, "max": hi,
                   "episode_start": episode.started}))


def make_processor(options: dict[str, Any]) -> AirQualityProcessor:
    """The ingest processor factory (see feeds.ingest_worker.ProcessorSpec). With `cache_path`, the
    recent readings in the cache are replayed first (nothing emitted), so after a restart the AQI
    continues at once and an episode already alerted is not alerted again."""
    processor = AirQualityProcessor(AirSettings.from_options(options), source=str(options.get("source", "aqi")))
    if options.get("cache_path"):
        try:
            processor.warm_up(cached_readings(str(options["cache_path"])))
        except Exception:  # noqa: BLE001 — a cache we cannot read only costs the warm start
            log.exception("could not replay cached air readings; AQI restarts from live readings")
    return processor


WARM_UP_S = (NOWCAST_HOURS + 1) * 3600.0


def cached_readings(cache_path: str, now: float | None = None) -> list[Measurement]:
    """Raw air and discharge readings of the last NowCast window from the cache (read-only)."""
    import sqlite3
    import time
    from pathlib import Path

    if not Path(cache_path).exists():
        return []
    since = (now or time.time()) - WARM_UP_S
    conn = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True, timeout=10)
    try:
        units = dict(conn.execute("SELECT key, unit FROM latest WHERE key LIKE 'air/%' OR key LIKE 'discharge/%'"))
        raw = [k for k in units
               if len(k.split("/")) == 3 and (k.startswith("discharge/") or k.split("/")[2] in POLLUTANTS)]
        rows = []
        for key in raw:
            rows += [(key, ts, value) for ts, value in conn.execute(
                "SELECT ts, value FROM history WHERE key = ? AND ts >= ? ORDER BY ts", (key, since))]
    finally:
        conn.close()
    return [Measurement(key=k, value=v, ts=ts, source="cache", unit=units[k] or "") for k, ts, v in rows]


AIR_TILE_TYPES = ("aqi_card", "aqi_chart", "station_list", "discharge_chart")


def options_from_tiles(tiles: Iterable[Any]) -> dict[str, Any]:
    """Processor options gathered from the air tiles of every layout (TileSpec-like objects).

    * any air tile: ``options.thresholds = { default = [150, 200], "<station>" = [warning, critical] }``
    * a discharge chart on ``discharge/<station>/#``: ``options.limits = { cod = 150, ph = [5.5, 9] }``
      are that station's permitted limits.
    Later tiles override earlier ones for the same station. A tile whose options are invalid is
    skipped here (logged; the tile itself shows the reason) so one typo never stops the alerts.
    """
    thresholds: dict[str, Any] = {}
    limits: dict[str, dict[str, Any]] = {}
    for tile in tiles:
        if tile.type not in AIR_TILE_TYPES:
            continue
        opts = tile.options or {}
        own: dict[str, Any] = {"thresholds": opts.get("thresholds", {}), "limits": {}}
        if tile.type == "discharge_chart" and "limits" in opts:
            parts = tile.key.split("/")
            own["limits"] = {parts[1] if len(parts) > 1 else "": opts["limits"]}
        try:
            check_tile_options(tile.type, tile.key, opts)
        except (ValueError, TypeError) as exc:
            log.error("air tile %r: %s; its thresholds/limits are not used for alerts", tile.title, exc)
            continue
        thresholds.update(own["thresholds"])
        for station, params in own["limits"].items():
            limits.setdefault(station, {}).update(params)
    return {"thresholds": thresholds, "limits": limits}


def check_tile_options(tile_type: str, key: str, options: dict[str, Any]) -> None:
    """ValueError when an air tile's thresholds/limits are unusable (tiles call it in build())."""
    limits: dict[str, Any] = {}
    if tile_type == "discharge_chart" and "limits" in options:
        parts = key.split("/")
        if len(parts) < 2 or parts[0] != "discharge" or parts[1] in ("", "#"):
            raise ValueError("options.limits need key = \"discharge/<station>/#\"")
        limits = {parts[1]: options["limits"]}
    thresholds = options.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise ValueError("options.thresholds must be a table such as { default = [150, 200] }")
    AirSettings.from_options({"thresholds": thresholds, "limits": limits})


def processor_specs(layouts: Iterable[Any], cache_path: Any = None) -> tuple[Any, ...]:
    """The air-quality processor for the ingest process, configured from every layout's air tiles
    (warm-started from the cache at `cache_path`).

    Always present: with no air tile the national defaults apply (AQI 150/200, QCVN 40 column B)."""
    from feeds.ingest_worker import ProcessorSpec

    tiles = [tile for layout in layouts for tile in layout.tiles]
    options = options_from_tiles(tiles)
    if cache_path:
        options["cache_path"] = str(cache_path)
    return (ProcessorSpec("feeds.air_quality:make_processor", options),)


def agency_csv_records(text: str, source: str) -> tuple[list[Measurement], list[tuple[int, str]]]:
    """The agency's long-format CSV (``station,time,pollutant,value[,unit]``, as dropped on FTP every
    5 minutes) as raw readings ``air/<station>/<pollutant>`` in µg/m³, and the refused rows
    (line number, reason). For the drop-folder source: a file with this header goes through here."""
    import csv
    import io

    from feeds.aqi_csv import INPUT_HEADER, parse_time, parse_value
    from feeds.payloads import LOCAL_TZ

    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) not in (INPUT_HEADER, (*INPUT_HEADER, "unit")):
        return [], [(1, f"header must be {','.join(INPUT_HEADER)}[,unit]")]
    records: list[Measurement] = []
    refused: list[tuple[int, str]] = []
    for fields in reader:
        if not fields:
            continue
        try:
            if len(fields) != len(header):
                raise ReadingRejected(f"expected {len(header)} fields, found {len(fields)}")
            station, when, pollutant = fields[0].strip(), fields[1], fields[2].strip().lower()
            if not station or "/" in station:
                raise ReadingRejected(f"bad station id {station!r}")
            moment = parse_time(when)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=LOCAL_TZ)
            unit = fields[4] if len(fields) == 5 else ""
            value = check_concentration(pollutant, to_ugm3(pollutant, parse_value(fields[3]), unit))
            records.append(Measurement(key=f"air/{station}/{pollutant}", value=value, ts=moment.timestamp(),
                                       source=source, unit="µg/m³", label=POLLUTANT_LABELS[pollutant]))
        except ReadingRejected as exc:
            refused.append((reader.line_num, exc.reason))
    return records, refused
