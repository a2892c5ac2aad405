"""The [air] configuration section: AQI alert thresholds per station, discharge limits per factory, hysteresis.

Alerting is configured here, never in tile options: the charts draw the same limits they alert on."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from feeds.air.stations import DEFAULT_CRITICAL, DEFAULT_WARNING, DISCHARGE_PARAMS, STATION_NAMES
from feeds.core.config import SectionContext


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


AIR_KEYS = {"thresholds", "limits", "margin", "clear_count", "aqi_every_s", "critical_factor", "names"}


def parse_air_section(table: Any, context: SectionContext) -> AirSettings:
    """`[air]`: thresholds = { default = [150, 200], "<station>" = [w, c] }, [air.limits.<station>] cod = 150…"""
    context.reader(table, "air", AIR_KEYS)
    try:
        return AirSettings.from_options(table)
    except (ValueError, TypeError) as exc:
        where, _, what = str(exc).partition(": ")
        raise context.error(f"air.{where}", what or where) from None
