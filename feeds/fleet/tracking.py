"""The geofence processor: classifies the whole fleet on every batch, emits state changes and alerts.

Runs on the ingest writer thread (`Ingestor.add_processor`). It keeps the latest report of every
vessel in numpy arrays and calls `classify_many` once per batch over all of them, so a vessel that
falls silent turns `lost_signal` even though no record of it arrives. Only changes produce records:
a `VesselStateChange` (stored, drawn by the map) and, through `TransitionTracker`, an `AlertEvent`
on the shared alert feed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from feeds.core.processing import ProcessorContext
from feeds.core.records import Record
from feeds.fleet.geofence import (
    DEFAULT_NEAR_NM,
    ESCALATION_STEPS,
    STATES,
    TransitionTracker,
    VesselState,
    VesselStatus,
    ZoneSet,
    classify_many,
    escalation_step,
    reporting_interval_s,
)
from feeds.fleet.records import VesselPosition, VesselStateChange
from feeds.fleet.settings import FleetSettings

_ROUTINE = {VesselState.INSIDE.value, VesselState.AT_PORT.value}
_STEP_AFTER = np.array([step.after_s for step in ESCALATION_STEPS])


class FleetTracker:
    """`time_scale` shrinks the legal reporting intervals (a simulated fleet runs on a compressed clock)."""

    def __init__(self, zones: ZoneSet | None = None, near_nm: float = DEFAULT_NEAR_NM, source: str = "geofence",
                 time_scale: float = 1.0, clock: Callable[[], float] = time.time, capacity: int = 1024) -> None:
        self.zones = zones or ZoneSet.bundled()
        self.near_nm = near_nm
        self.source = source
        self.time_scale = time_scale
        self.clock = clock
        self.tracker = TransitionTracker(source)
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        self.lat = np.zeros(capacity)
        self.lon = np.zeros(capacity)
        self.ts = np.zeros(capacity)
        self.interval = np.zeros(capacity)
        self.distress = np.zeros(capacity, dtype=bool)
        self.state = np.full(capacity, -1, dtype=np.int8)
        self.level = np.zeros(capacity, dtype=np.int8)
        self.idle_check_s = 5.0
        self._checked = 0.0

    def _grow(self, needed: int) -> None:
        size = max(needed, 2 * len(self.lat))
        for name in ("lat", "lon", "ts", "interval", "distress", "state", "level"):
            old = getattr(self, name)
            new = np.full(size, -1 if name == "state" else 0, dtype=old.dtype)
            new[:len(old)] = old
            setattr(self, name, new)

    def _slot(self, vessel_id: str, length_m: float | None) -> int:
        i = self.index.get(vessel_id)
        if i is None:
            i = len(self.ids)
            if i >= len(self.lat):
                self._grow(i + 1)
            self.index[vessel_id] = i
            self.ids.append(vessel_id)
            self.interval[i] = reporting_interval_s(length_m) * self.time_scale
        elif length_m is not None:
            self.interval[i] = reporting_interval_s(length_m) * self.time_scale
        return i

    def __call__(self, records: list[Record]) -> list[Record]:
        fresh = False
        for record in records:
            if isinstance(record, VesselPosition):
                fresh = True
                i = self._slot(record.vessel_id, record.length_m)
                if record.ts >= self.ts[i]:
                    self.lat[i], self.lon[i], self.ts[i] = record.lat, record.lon, record.ts
                    self.distress[i] = record.distress
        now = self.clock()
        # Batches without positions only age the fleet (lost signal): judged at most every few seconds.
        if not self.ids or (not fresh and now - self._checked < self.idle_check_s):
            return []
        self._checked = now
        # Silence is measured against the fleet's newest report, not the wall clock: a batch of history
        # (backfill, a broker's queued messages) or an outage of the feed itself is not every vessel
        # going silent at once (the feed's status shows an outage).
        return self.check(min(now, float(self.ts[:len(self.ids)].max())))

    def check(self, now: float) -> list[Record]:
        """Classify every known vessel at `now`; records for those whose state or escalation changed."""
        n = len(self.ids)
        if not n:
            return []
        silence = np.maximum(0.0, now - self.ts[:n])
        result = classify_many(self.zones, self.lat[:n], self.lon[:n], silence_s=silence,
                               interval_s=self.interval[:n], distress=self.distress[:n], near_nm=self.near_nm)
        level = np.where(result.overdue, np.searchsorted(_STEP_AFTER, silence / self.time_scale, side="right"), 0)
        changed = np.flatnonzero((result.states != self.state[:n]) | (level != self.level[:n]))
        self.state[:n] = result.states
        self.level[:n] = level
        out: list[Record] = []
        for i in changed.tolist():
            state: VesselState = STATES[result.states[i]]
            boundary = float(result.boundary_nm[i])
            zone = int(result.zone_index[i])
            zone_name = self.zones.zones[zone].name if zone >= 0 else ""
            status = VesselStatus(state=state, boundary_nm=None if math.isnan(boundary) else round(boundary, 2),
                                  zone=zone_name or None, silence_s=float(silence[i]),
                                  escalation=escalation_step(silence[i] / self.time_scale)
                                  if result.overdue[i] else None)
            key = f"vessel/{self.ids[i]}"
            ts = max(float(self.ts[i]), now) if state is VesselState.LOST_SIGNAL else float(self.ts[i])
            out.append(VesselStateChange(key=key, ts=round(ts, 3), source=self.source, state=state.value,
                                         zone=zone_name, boundary_nm=status.boundary_nm,
                                         escalation_level=int(level[i])))
            alert = self.tracker.update(self.ids[i], status, round(ts, 3),
                                        (float(self.lat[i]), float(self.lon[i])))
            # Leaving or entering port is routine: no alert when neither state needs attention.
            if alert is not None and not (state.value in _ROUTINE and alert.extra.get("previous") in _ROUTINE):
                out.append(alert)
        return out


def make_processor(options: dict[str, Any], context: ProcessorContext) -> FleetTracker:
    """ProcessorSpec factory: `settings` (the [fleet] section: zones, near_nm) and `time_scale`."""
    settings: FleetSettings = options.get("settings") or FleetSettings()
    zones = ZoneSet.load(settings.zones) if settings.zones else None
    return FleetTracker(zones, near_nm=settings.near_nm, time_scale=float(options.get("time_scale", 1.0)))
