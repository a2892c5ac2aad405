"""sim://fleet — a Thanh Hóa fishing fleet: vessels leave real ports, fish, return; some stray near or
across the Gulf of Tonkin delimitation line, some go silent, and one is in distress now and then.

Deterministic for a seed. Every vessel reports each `REPORT_S` of simulated time (divided by `speed` in
real time). `scale` sets the fleet size (default 2,000, up to 10,000 and beyond for benchmarks).
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np

from feeds.core.records import Record
from feeds.fleet.geofence import ZoneKind, ZoneSet
from feeds.fleet.records import VesselPosition, vessel_key
from feeds.sim.scenarios import register_scenario

DEFAULT_FLEET = 2000
REPORT_S = 600.0  # simulated seconds between two reports of one vessel
BACKFILL_STEP_S = 3600.0  # history emitted at start: one report per vessel per hour
KNOT_DEG = 1.0 / 60.0 / 3600.0  # degrees of latitude per second at one knot

FAMILY = ("Nguyễn", "Lê", "Trần", "Hoàng", "Phạm", "Vũ", "Đỗ", "Mai", "Lường", "Hồ", "Đinh", "Cao", "Bùi")
MIDDLE = ("Văn", "Thị", "Đình", "Xuân", "Hữu", "Ngọc", "Bá", "Quang", "Minh")
GIVEN = ("Hùng", "Dũng", "Thắng", "Hải", "Long", "Tuấn", "Lộc", "Phúc", "Sơn", "Hòa", "Nam", "Bình", "Thủy", "Lan")
NAME_WORDS = ("Hoàng Long", "Phước Lộc", "Thành Đạt", "Hải Âu", "Trường Sa", "Minh Khang", "Tiến Đạt", "Quang Vinh",
              "Sông Mã", "Biển Đông", "Thái Bình", "An Phú", "Đại Thắng", "Hưng Thịnh")
# Lengths (m) in four classes, with their shares of a provincial fleet.
LENGTH_BANDS = ((6.0, 12.0, 0.40), (12.0, 15.0, 0.25), (15.0, 24.0, 0.28), (24.0, 32.0, 0.07))
BOUNDARY_LON = 107.2  # about where the delimitation line runs off Thanh Hóa (19.3–20.0 °N)

# Phases of a trip.
AT_PORT, OUTBOUND, FISHING, INBOUND = 0, 1, 2, 3


class FleetScenario:
    def __init__(self, seed: int = 7, speed: float = 1.0, size: int = DEFAULT_FLEET, source: str = "sim",
                 distress_period_s: float = 3 * 3600.0, zones: ZoneSet | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self.source = source
        self.size = size
        self.distress_period_s = distress_period_s
        rng = random.Random(f"{seed}:fleet")
        self.np_rng = np.random.default_rng(seed)
        zones = zones or ZoneSet.bundled()
        ports = [z for z in zones.of_kind(ZoneKind.PORT) if z.center is not None]
        self.port_names = [p.name for p in ports]
        port_pos = np.array([p.center for p in ports])  # (lat, lon)
        numbers = rng.sample(range(90000, 99999), size) if size < 9999 else \
            [90000 + i for i in range(size)]
        self.ids = [f"TH-{n}-TS" for n in numbers]
        self.names = [f"{rng.choice(NAME_WORDS)} {rng.randint(1, 99):02d}" for _ in range(size)]
        self.owners = [f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(size)]
        lengths = []
        for _ in range(size):
            u, acc = rng.random(), 0.0
            for lo, hi, share in LENGTH_BANDS:  # noqa: B007 (the band chosen is used after the loop)
                acc += share
                if u <= acc:
                    break
            lengths.append(round(rng.uniform(lo, hi), 1))
        self.length = np.array(lengths)
        r = self.np_rng
        self.home = r.integers(0, len(ports), size)
        self.port_lat, self.port_lon = port_pos[self.home, 0], port_pos[self.home, 1]
        # Fishing grounds: bigger vessels go further out; about 6 % work right at the line, 1 % beyond it.
        reach = np.clip(self.length / 32.0, 0.15, 1.0)
        self.ground_lon = self.port_lon + 0.15 + reach * (BOUNDARY_LON - 0.1 - self.port_lon - 0.15) * r.random(size)
        self.ground_lat = np.clip(self.port_lat + r.normal(0.0, 0.15, size), 19.32, 19.98)
        strays = r.random(size)
        near = strays < 0.06
        self.ground_lon[near] = BOUNDARY_LON + r.uniform(-0.12, 0.02, near.sum())
        over = strays < 0.01
        self.ground_lon[over] = BOUNDARY_LON + r.uniform(0.05, 0.2, over.sum())
        self.lat = self.port_lat.copy()
        self.lon = self.port_lon.copy()
        self.cog = np.zeros(size)
        self.sog = np.zeros(size)
        self.phase = np.full(size, AT_PORT)
        # Most of the fleet is at sea at the start; the rest leaves over the first hours.
        self.phase_left = r.uniform(0, 6 * 3600.0, size)
        at_sea = r.random(size) < 0.75
        self.phase[at_sea] = FISHING
        self.lat[at_sea] = self.ground_lat[at_sea] + r.normal(0, 0.03, at_sea.sum())
        self.lon[at_sea] = self.ground_lon[at_sea] + r.normal(0, 0.03, at_sea.sum())
        self.phase_left[at_sea] = r.uniform(3600.0, 48 * 3600.0, at_sea.sum())
        # About 1 % of the fleet stops reporting for a while (a broken transponder, or switched off).
        silent = r.random(size) < 0.01
        self.silent_from = np.where(silent, r.uniform(0.5 * 3600.0, 6 * 3600.0, size), np.inf)
        self.silent_until = self.silent_from + r.uniform(3 * 3600.0, 12 * 3600.0, size)
        self.distress_until = np.full(size, -1.0)
        self.sim_t = 0.0  # simulated seconds since start
        self._next_distress = distress_period_s * 0.25
        self._wall0 = 0.0
        self._next_wall = 0.0

    # -- motion ---------------------------------------------------------------------------------------------
    def _steer(self, lat_to: np.ndarray, lon_to: np.ndarray, idx: np.ndarray, knots: float, dt: float) -> np.ndarray:
        """Move vessels `idx` towards targets; True where they arrived."""
        dlat = lat_to - self.lat[idx]
        dlon = (lon_to - self.lon[idx]) * math.cos(math.radians(19.6))
        dist = np.hypot(dlat, dlon)
        step = knots * KNOT_DEG * dt
        frac = np.minimum(1.0, step / np.maximum(dist, 1e-9))
        self.lat[idx] += dlat * frac
        self.lon[idx] += dlon * frac / math.cos(math.radians(19.6))
        self.cog[idx] = np.degrees(np.arctan2(dlon, dlat)) % 360.0
        self.sog[idx] = np.where(dist > 1e-9, knots, 0.0)
        return dist <= step

    def step(self, dt: float) -> None:
        r = self.np_rng
        self.sim_t += dt
        self.phase_left -= dt
        due = self.phase_left <= 0
        # At port → outbound.
        leaving = np.flatnonzero((self.phase == AT_PORT) & due)
        self.phase[leaving] = OUTBOUND
        out = np.flatnonzero(self.phase == OUTBOUND)
        arrived = out[self._steer(self.ground_lat[out], self.ground_lon[out], out, 8.0, dt)]
        self.phase[arrived] = FISHING
        self.phase_left[arrived] = r.uniform(12 * 3600.0, 72 * 3600.0, len(arrived))
        fishing = np.flatnonzero(self.phase == FISHING)
        # Trawling: a slow random walk around the ground.
        heading = (self.cog[fishing] + r.normal(0, 35, len(fishing))) % 360.0
        pull = np.degrees(np.arctan2(self.ground_lon[fishing] - self.lon[fishing],
                                     self.ground_lat[fishing] - self.lat[fishing])) % 360.0
        far = np.hypot(self.ground_lat[fishing] - self.lat[fishing],
                       self.ground_lon[fishing] - self.lon[fishing]) > 0.08
        heading = np.where(far, pull, heading)
        knots = r.uniform(1.5, 4.0, len(fishing))
        self.lat[fishing] += np.cos(np.radians(heading)) * knots * KNOT_DEG * dt
        self.lon[fishing] += np.sin(np.radians(heading)) * knots * KNOT_DEG * dt / math.cos(math.radians(19.6))
        self.cog[fishing], self.sog[fishing] = heading, knots
        done = fishing[due[fishing]]
        self.phase[done] = INBOUND
        inbound = np.flatnonzero(self.phase == INBOUND)
        home = inbound[self._steer(self.port_lat[inbound], self.port_lon[inbound], inbound, 8.0, dt)]
        self.phase[home] = AT_PORT
        self.phase_left[home] = r.uniform(6 * 3600.0, 36 * 3600.0, len(home))
        self.sog[self.phase == AT_PORT] = 0.0
        # Now and then one vessel at sea reports distress for an hour.
        if self.sim_t >= self._next_distress:
            self._next_distress += self.distress_period_s
            at_sea = np.flatnonzero(self.phase == FISHING)
            if len(at_sea):
                self.distress_until[r.choice(at_sea)] = self.sim_t + 3600.0

    def reports(self, wall_ts: float) -> list[Record]:
        """Positions of every vessel that is not silent, stamped `wall_ts`."""
        reporting = np.flatnonzero((self.sim_t < self.silent_from) | (self.sim_t >= self.silent_until))
        distress = self.distress_until > self.sim_t
        ts = round(wall_ts, 3)
        lat, lon, sog, cog = (np.round(a, 5).tolist() for a in (self.lat, self.lon, self.sog, self.cog))
        return [VesselPosition(key=vessel_key(self.ids[i]), ts=ts, source=self.source, lat=lat[i], lon=lon[i],
                               sog=round(sog[i], 1), cog=round(cog[i], 1), distress=bool(distress[i]),
                               name=self.names[i], owner=self.owners[i], length_m=float(self.length[i]))
                for i in reporting.tolist()]

    # -- the Scenario protocol ------------------------------------------------------------------------------
    def start(self, now: float, backfill: int = 24) -> list[Record]:
        """`backfill` hours of hourly history (ending now), then live reports every REPORT_S/speed."""
        records: list[Record] = []
        hours = max(0, min(backfill, 24))
        for k in range(hours, 0, -1):
            records.extend(self.reports(now - k * BACKFILL_STEP_S / self.speed))
            for _ in range(int(BACKFILL_STEP_S / REPORT_S)):
                self.step(REPORT_S)
        records.extend(self.reports(now))
        self._next_wall = now + REPORT_S / self.speed
        return records

    def due(self, now: float) -> list[Record]:
        records: list[Record] = []
        while self._next_wall <= now:
            self.step(REPORT_S)
            records.extend(self.reports(self._next_wall))
            self._next_wall += REPORT_S / self.speed
        return records

    def next_time(self) -> float:
        return self._next_wall


@register_scenario("fleet")
def fleet_scenario(options: dict[str, Any]) -> FleetScenario:
    """Domain 7: the Thanh Hóa fishing fleet (`scale` vessels, 2,000 by default)."""
    return FleetScenario(seed=options["seed"], speed=float(options["speed"]),
                         size=int(options.get("scale") or DEFAULT_FLEET), source=options["source"],
                         distress_period_s=float(options["alert_period_s"]) * 9)
