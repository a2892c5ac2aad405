"""What the vessel map and panels know about the fleet (Qt-free): last report, state, a 24 h track per vessel."""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from feeds.fleet.geofence import STATES, VesselState
from feeds.fleet.records import KEY_PREFIX, VesselPosition, VesselStateChange

TRACK_S = 24 * 3600.0
TRACK_POINTS = 400  # per vessel, newest kept
STATE_CODE = {state.value: i for i, state in enumerate(STATES)}
# The six counts shown in the panel and the wall tile, in display order.
COUNTS = ("active", "near_boundary", "violating", "distress", "lost_signal", "at_port")
AT_SEA = {VesselState.INSIDE.value, VesselState.NEAR_BOUNDARY.value, VesselState.VIOLATING.value,
          VesselState.DISTRESS.value}


@dataclass
class Vessel:
    id: str
    lat: float = math.nan
    lon: float = math.nan
    sog: float | None = None
    cog: float | None = None
    ts: float = 0.0
    state: str = VesselState.INSIDE.value
    state_known: bool = False
    state_ts: float = 0.0  # of the state change shown: an older one (read back from the cache) is ignored
    zone: str = ""
    boundary_nm: float | None = None
    name: str = ""
    owner: str = ""
    length_m: float | None = None
    track: deque[tuple[float, float, float]] = field(default_factory=lambda: deque(maxlen=TRACK_POINTS))

    def row(self) -> list:
        """The page's row: [id, lat, lon, cog (-1 unknown), state code]."""
        return [self.id, self.lat, self.lon, -1 if self.cog is None else self.cog, STATE_CODE[self.state]]


def degrees_minutes(lat: float, lon: float) -> str:
    """19°42.123′N 106°24.567′E."""
    def part(value: float, pos: str, neg: str) -> str:
        hemi = pos if value >= 0 else neg
        value = abs(value)
        degrees = int(value)
        minutes = (value - degrees) * 60
        if round(minutes, 3) >= 60:
            degrees, minutes = degrees + 1, 0.0
        return f"{degrees}°{minutes:06.3f}′{hemi}"
    return f"{part(lat, 'N', 'S')} {part(lon, 'E', 'W')}"


class FleetModel:
    def __init__(self) -> None:
        self.vessels: dict[str, Vessel] = {}
        self.dirty: set[str] = set()

    def _vessel(self, key: str) -> Vessel:
        vessel_id = key[len(KEY_PREFIX):]
        vessel = self.vessels.get(vessel_id)
        if vessel is None:
            vessel = self.vessels[vessel_id] = Vessel(vessel_id)
        return vessel

    def apply(self, records: Iterable) -> set[str]:
        """Take positions and state changes (oldest first); the ids whose row changed."""
        changed: set[str] = set()
        for record in records:
            if isinstance(record, VesselPosition):
                vessel = self._vessel(record.key)
                if record.ts < vessel.ts:
                    continue
                if not vessel.track or record.ts > vessel.track[-1][0]:
                    vessel.track.append((record.ts, record.lat, record.lon))
                vessel.lat, vessel.lon, vessel.ts = record.lat, record.lon, record.ts
                vessel.sog, vessel.cog = record.sog, record.cog
                vessel.name = record.name or vessel.name
                vessel.owner = record.owner or vessel.owner
                vessel.length_m = record.length_m or vessel.length_m
                changed.add(vessel.id)
            elif isinstance(record, VesselStateChange):
                vessel = self._vessel(record.key)
                if record.ts < vessel.state_ts:
                    continue
                vessel.state, vessel.state_known, vessel.state_ts = record.state, True, record.ts
                vessel.zone, vessel.boundary_nm = record.zone, record.boundary_nm
                changed.add(vessel.id)
        self.dirty |= changed
        return changed

    def take_dirty_rows(self) -> list[list]:
        rows = [self.vessels[v].row() for v in self.dirty if math.isfinite(self.vessels[v].lat)]
        self.dirty = set()
        return rows

    def merge_track(self, vessel_id: str, points: Iterable[tuple[float, float, float]]) -> None:
        """Add stored (ts, lat, lon) points to a vessel's track (e.g. from the cache after a restart)."""
        vessel = self.vessels.get(vessel_id)
        if vessel is None:
            return
        merged = sorted({p[0]: p for p in [*vessel.track, *points]}.values())
        vessel.track = deque(merged[-TRACK_POINTS:], maxlen=TRACK_POINTS)

    def counts(self) -> dict[str, int]:
        states = Counter(v.state for v in self.vessels.values() if math.isfinite(v.lat))
        result = {name: states.get(name, 0) for name in COUNTS if name != "active"}
        result["active"] = sum(states.get(s, 0) for s in AT_SEA)
        return result

    def track(self, vessel_id: str, now: float) -> list[list[float]]:
        vessel = self.vessels.get(vessel_id)
        if vessel is None:
            return []
        return [[lat, lon] for ts, lat, lon in vessel.track if ts >= now - TRACK_S]

    def search(self, text: str) -> list[Vessel]:
        """Vessels whose registration or name contains `text` (case- and accent-sensitive as typed)."""
        needle = text.strip().casefold()
        return [v for v in self.vessels.values() if needle in v.id.casefold() or needle in v.name.casefold()]
