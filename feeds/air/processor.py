"""Air-quality and discharge processing on the ingest writer thread: live AQI, hourly means, alerts.

Qt-free. Readings arrive as Measurements from any source (simulator, MQTT, REST, drop folder):

* ``air/<station>/<pollutant>`` — a concentration (pollutant in feeds.air.aqi.POLLUTANTS; µg/m³ unless the
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
from typing import Any

from feeds.air.aqi import (
    NOWCAST_HOURS,
    POLLUTANTS,
    ReadingRejected,
    band,
    check_concentration,
    hour_index,
    hourly_aqi,
    to_ugm3,
)
from feeds.air.settings import AirSettings
from feeds.air.stations import DISCHARGE_LABELS_EN, DISCHARGE_PARAMS, POLLUTANT_LABELS
from feeds.core.processing import ProcessorContext
from feeds.core.records import AlertEvent, Measurement, Record, Severity

log = logging.getLogger(__name__)


class Episode:
    """Hysteresis on one series: level 0 (normal), 1 (warning), 2 (critical).

    `severity(value)` says how bad a value is (0/1/2); `clear(value)` whether it is clearly back to
    normal. The level rises at once; it falls to 0 only after `clear_count` consecutive clear values.
    `update` returns the new level when it rose (an alert is due), else None.
    """

    __slots__ = ("clear_count", "clear_run", "level", "started")

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
        self(list[Record](readings))
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
        start = state.closed_upto if state.closed_upto is not None else upto
        for hour in sorted(h for h in state.sums if start <= h < upto):
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
        limit = hi if hi is not None else lo
        width = limit * 0.05 if param != "ph" and limit is not None else 0.2
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


def make_processor(options: dict[str, Any], context: ProcessorContext) -> AirQualityProcessor:
    """The ingest processor factory (see feeds.core.processing.ProcessorSpec): `options["settings"]` is the
    [air] section. The recent readings in the cache are replayed first (nothing emitted), so after a
    restart the AQI continues at once and an episode already alerted is not alerted again."""
    processor = AirQualityProcessor(options.get("settings") or AirSettings(), source=str(options.get("source", "aqi")))
    if context.cache_path:
        try:
            processor.warm_up(cached_readings(context.cache_path))
        except Exception:
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


