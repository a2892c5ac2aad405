"""sim://air — automatic air-quality stations and factory discharge stations around Thanh Hóa.

Every station reports every 5 minutes (real cadence, divided by `speed`). Concentrations follow a daily
cycle (traffic peaks morning and evening, ozone in the afternoon, night-time inversions holding PM),
with AR(1) noise and pollution episodes (PM multiplied several times for a few hours), deterministic for
a seed. The cycle and the episodes advance one 5-minute step per reading, so a fast demo shows them.
"""

from __future__ import annotations

import math
import random
from typing import Any

from feeds.air.stations import AIR_STATIONS, DISCHARGE_PARAMS, DISCHARGE_STATIONS, POLLUTANT_LABELS, Station
from feeds.core.records import Measurement, Record
from feeds.sim.scenarios import register_scenario

STEP_S = 300.0
LOCAL_OFFSET_S = 7 * 3600
# Typical level (µg/m³) of each pollutant at each kind of site.
LEVELS = {
    "urban": {"so2": 18, "no2": 38, "co": 1400, "o3": 55, "pm10": 62, "pm25": 36},
    "industrial": {"so2": 45, "no2": 42, "co": 1600, "o3": 50, "pm10": 85, "pm25": 48},
    "coastal": {"so2": 8, "no2": 18, "co": 900, "o3": 70, "pm10": 40, "pm25": 22},
    "rural": {"so2": 6, "no2": 12, "co": 800, "o3": 60, "pm10": 45, "pm25": 28},
}
# Discharge: typical value and noise per parameter, by plant.
DISCHARGE_LEVELS = {
    "refinery": {"ph": (7.2, 0.15), "cod": (85, 8), "tss": (42, 5), "nh4": (4.0, 0.6), "temp": (33, 0.8),
                 "flow": (950, 60)},
    "cement": {"ph": (8.1, 0.15), "cod": (48, 6), "tss": (60, 8), "nh4": (2.2, 0.4), "temp": (31, 0.6),
               "flow": (320, 25)},
    "park": {"ph": (7.0, 0.2), "cod": (95, 10), "tss": (55, 6), "nh4": (6.5, 0.8), "temp": (29, 0.5),
             "flow": (1800, 120)},
    "sugar": {"ph": (6.6, 0.2), "cod": (98, 10), "tss": (70, 8), "nh4": (5.0, 0.7), "temp": (34, 0.8),
              "flow": (600, 50)},
}
PARAM_DECIMALS = {"ph": 2, "cod": 1, "tss": 1, "nh4": 2, "temp": 1, "flow": 0}


def diurnal(pollutant: str, hour: float) -> float:
    """Multiplier of the typical level at a local hour of day (0–24)."""
    if pollutant == "o3":
        return 0.45 + 1.1 * math.exp(-((hour - 14.0) ** 2) / 12.0)
    rush = math.exp(-((hour - 7.5) ** 2) / 2.0) + 0.9 * math.exp(-((hour - 18.5) ** 2) / 2.5)
    night = 0.25 * math.exp(-((hour - 1.0) ** 2) / 6.0) if pollutant in ("pm25", "pm10") else 0.0
    return 0.65 + 0.7 * rush + night


class AirScenario:
    def __init__(self, seed: int = 7, speed: float = 1.0, source: str = "sim", scale: int = 0,
                 episode_every_h: float = 48.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self.source = source
        self.air = list(AIR_STATIONS)
        if scale > len(AIR_STATIONS):  # extra synthetic stations for load tests
            self.air += [Station(f"s{n:02d}", f"Trạm {n:02d}", 19.8 + n * 0.005, 105.7, profile="urban")
                         for n in range(len(AIR_STATIONS), scale)]
        self.discharge = list(DISCHARGE_STATIONS)
        self.rng = {s.id: random.Random(f"{seed}:{s.id}") for s in (*self.air, *self.discharge)}
        self.noise: dict[tuple[str, str], float] = {}
        self.episode: dict[str, tuple[int, float]] = {}  # station -> (steps left, strength)
        self.p_episode = 1.0 / (episode_every_h * 12)
        self.upset: dict[str, tuple[int, str, float]] = {}  # discharge station -> (steps left, param, factor)
        self.step = 0
        self.clock0 = 0.0  # simulated local time (s) of step 0
        self._next = math.inf

    def _ar(self, key: tuple[str, str], rng: random.Random, sd: float) -> float:
        value = 0.85 * self.noise.get(key, 0.0) + rng.gauss(0.0, sd)
        self.noise[key] = value
        return value

    def _readings(self, ts: float) -> list[Record]:
        sim_time = self.clock0 + self.step * STEP_S
        hour = (sim_time + LOCAL_OFFSET_S) % 86400 / 3600
        ts = round(ts, 3)
        out: list[Record] = []
        for st in self.air:
            rng = self.rng[st.id]
            left, strength = self.episode.get(st.id, (0, 1.0))
            if left <= 0 and rng.random() < self.p_episode:
                left, strength = rng.randint(36, 96), rng.uniform(2.2, 4.5)  # 3 to 8 hours
            if left > 0:
                left -= 1
            ramp = 1.0 if left > 6 else (left / 6 if left > 0 else 0.0)
            self.episode[st.id] = (left, strength)
            boost = 1.0 + (strength - 1.0) * ramp
            for pollutant, level in LEVELS[st.profile].items():
                factor = diurnal(pollutant, hour) * math.exp(self._ar((st.id, pollutant), rng, 0.08))
                if pollutant in ("pm25", "pm10"):
                    factor *= boost
                elif pollutant in ("so2", "no2", "co"):
                    factor *= 1.0 + (boost - 1.0) * 0.3
                value = round(level * factor, 1)
                out.append(Measurement(key=f"air/{st.id}/{pollutant}", value=value, ts=ts, source=self.source,
                                       unit="µg/m³", label=POLLUTANT_LABELS[pollutant]))
        for st in self.discharge:
            rng = self.rng[st.id]
            left, param, factor = self.upset.get(st.id, (0, "", 1.0))
            if left <= 0 and rng.random() < 1.0 / (48 * 12):
                param = rng.choice(("cod", "tss", "nh4"))
                left, factor = rng.randint(6, 30), rng.uniform(1.3, 2.0)
            if left > 0:
                left -= 1
            self.upset[st.id] = (left, param, factor)
            for name, (mean, sd) in DISCHARGE_LEVELS[st.profile].items():
                value = mean + self._ar((st.id, name), rng, sd * 0.55)
                if left > 0 and name == param:
                    value *= factor
                value = round(max(0.0, value), PARAM_DECIMALS[name])
                label, unit, _ = DISCHARGE_PARAMS[name]
                out.append(Measurement(key=f"discharge/{st.id}/{name}", value=value, ts=ts, source=self.source,
                                       unit=unit, label=label))
        self.step += 1
        return out

    def start(self, now: float, backfill: int = 24) -> list[Record]:
        """`backfill` hours of 5-minute history ending now, then the live schedule."""
        steps = max(0, int(backfill * 3600 / STEP_S))
        self.clock0 = now - steps * STEP_S
        records: list[Record] = []
        for k in range(steps, 0, -1):
            records += self._readings(now - k * STEP_S)
        records += self._readings(now)
        self._next = now + STEP_S / self.speed
        return records

    def due(self, now: float) -> list[Record]:
        records: list[Record] = []
        while self._next <= now:
            records += self._readings(self._next)
            self._next += STEP_S / self.speed
        return records

    def next_time(self) -> float:
        return self._next


@register_scenario("air")
def air_scenario(options: dict[str, Any]) -> AirScenario:
    """Domains 3 and 4: air-quality stations and factory discharge, every 5 minutes."""
    return AirScenario(seed=options.get("seed", 7), speed=float(options.get("speed", 1.0)),
                       source=options.get("source", "sim"), scale=int(options.get("scale", 0) or 0))
