"""Fishing-vessel records on the wire: positions (kind ``vessel``) and geofence states (kind ``vessel_state``).

Both are keyed ``vessel/<registration>`` (e.g. ``vessel/TH-90123-TS``), so a tile with key ``vessel/#``
receives a vessel's positions and its state changes. Both are stored append-only in the cache ``events``
table: a stored track cannot be edited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from feeds.core.payloads import PayloadError, iso_time, optional, parse_timestamp, register_kind, require

KEY_PREFIX = "vessel/"
# Length classes used on screen: (lower bound in metres, label).
LENGTH_CLASSES: tuple[tuple[float, str], ...] = ((24.0, "≥24 m"), (15.0, "15–24 m"), (12.0, "12–15 m"), (0.0, "<12 m"))


def vessel_key(vessel_id: str) -> str:
    return f"{KEY_PREFIX}{vessel_id}"


def length_class(length_m: float | None) -> str:
    if length_m is None or not math.isfinite(length_m) or length_m <= 0:
        return "?"
    return next(label for bound, label in LENGTH_CLASSES if length_m >= bound)


def _finite(data: dict[str, Any], name: str, lo: float, hi: float) -> float:
    """A number within [lo, hi]."""
    return _in_range(require(data, name, (int, float)), name, lo, hi)


def _finite_or_none(data: dict[str, Any], name: str, lo: float, hi: float) -> float | None:
    """A number within [lo, hi], or None when absent."""
    raw = optional(data, name, (int, float), None)
    return None if raw is None else _in_range(raw, name, lo, hi)


def _in_range(raw: float, name: str, lo: float, hi: float) -> float:
    value = float(raw)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise PayloadError(f"field {name!r} = {raw!r} is outside [{lo}, {hi}]")
    return value


@register_kind
@dataclass(frozen=True, slots=True)
class VesselPosition:
    """One position report of one vessel; static fields (name, owner, length) may be empty."""

    kind: ClassVar[str] = "vessel"
    key: str
    ts: float
    source: str
    lat: float
    lon: float
    sog: float | None = None  # knots
    cog: float | None = None  # degrees true
    distress: bool = False
    name: str = ""
    owner: str = ""
    length_m: float | None = None

    @property
    def vessel_id(self) -> str:
        return self.key[len(KEY_PREFIX):]

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "ts": iso_time(self.ts), "lat": self.lat, "lon": self.lon}
        for name in ("sog", "cog", "length_m"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.distress:
            data["distress"] = True
        for name in ("name", "owner"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any], source: str) -> VesselPosition:
        key = require(data, "key", str)
        if not key.startswith(KEY_PREFIX) or len(key) == len(KEY_PREFIX):
            raise PayloadError(f"vessel key {key[:60]!r} must be {KEY_PREFIX}<registration>")
        lat = _finite(data, "lat", -90.0, 90.0)
        lon = _finite(data, "lon", -180.0, 180.0)
        if lat == 0.0 and lon == 0.0:
            raise PayloadError("position 0,0 is a receiver default, not a fix")
        length = optional(data, "length_m", (int, float), None)
        return cls(key=key, ts=parse_timestamp(data.get("ts")), source=source, lat=lat, lon=lon,
                   sog=_finite_or_none(data, "sog", 0.0, 102.2),
                   cog=_finite_or_none(data, "cog", 0.0, 360.0),
                   distress=bool(optional(data, "distress", bool, False)),
                   name=optional(data, "name", str, ""), owner=optional(data, "owner", str, ""),
                   length_m=float(length) if length is not None and math.isfinite(length) and length > 0 else None)


@register_kind
@dataclass(frozen=True, slots=True)
class VesselStateChange:
    """The geofence verdict on a vessel when it changes (derived by `feeds.fleet.tracking`)."""

    kind: ClassVar[str] = "vessel_state"
    key: str
    ts: float
    source: str
    state: str
    zone: str = ""
    boundary_nm: float | None = None
    escalation_level: int = 0

    @property
    def vessel_id(self) -> str:
        return self.key[len(KEY_PREFIX):]

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "ts": iso_time(self.ts), "state": self.state,
                                "escalation_level": self.escalation_level}
        if self.zone:
            data["zone"] = self.zone
        if self.boundary_nm is not None:
            data["boundary_nm"] = self.boundary_nm
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any], source: str) -> VesselStateChange:
        from feeds.fleet.geofence import VesselState

        state = require(data, "state", str)
        try:
            VesselState(state)
        except ValueError:
            raise PayloadError(f"unknown vessel state {state!r}") from None
        boundary = optional(data, "boundary_nm", (int, float), None)
        return cls(key=require(data, "key", str), ts=parse_timestamp(data.get("ts")), source=source, state=state,
                   zone=optional(data, "zone", str, ""),
                   boundary_nm=None if boundary is None else float(boundary),
                   escalation_level=optional(data, "escalation_level", int, 0))
