"""Benchmark: hourly AQI for 50 stations x 1 year of 5-minute readings (goal: under 10 s)."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds.air.aqi import POLLUTANTS, StationHours, hour_index, hourly_table

STATIONS = 50
STEP_S = 300
READINGS_PER_STATION = 365 * 24 * 3600 // STEP_S
GOAL_S = 10.0
SEED = 1459
# Typical level (µg/m³) per pollutant; readings are log-normal around it.
LEVELS = {"so2": 20.0, "no2": 40.0, "co": 1500.0, "o3": 60.0, "pm10": 60.0, "pm25": 35.0}
DROPPED = 0.02  # share of readings lost in transmission


def station_readings(rng: np.random.Generator, start_s: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """One station's year of 5-minute readings: {pollutant: (epoch seconds, values)}."""
    epoch = start_s + STEP_S * np.arange(READINGS_PER_STATION, dtype=np.float64)
    readings = {}
    for pollutant, level in LEVELS.items():
        keep = rng.random(READINGS_PER_STATION) >= DROPPED
        values = level * rng.lognormal(0.0, 0.6, READINGS_PER_STATION)
        readings[pollutant] = (epoch[keep], values[keep])
    return readings


def compute(name: str, readings: dict[str, tuple[np.ndarray, np.ndarray]]) -> int:
    """Hour-average one station's readings and compute its hourly AQI; return the row count."""
    by_hour = {p: (hour_index(t).astype(np.int64), v) for p, (t, v) in readings.items()}
    return len(hourly_table(StationHours.from_readings(name, by_hour), "vn"))


def main() -> None:
    rng = np.random.default_rng(SEED)
    start_s = datetime.fromisoformat("2024-01-01T00:00:00+07:00").timestamp()
    elapsed = 0.0
    rows = readings_total = 0
    for n in range(STATIONS):
        readings = station_readings(rng, start_s)
        readings_total += sum(len(v) for _, v in readings.values())
        t0 = time.perf_counter()
        rows += compute(f"S{n:02d}", readings)
        elapsed += time.perf_counter() - t0
    print(f"stations: {STATIONS}")
    print(f"pollutants: {len(POLLUTANTS)}")
    print(f"readings: {readings_total}")
    print(f"hourly_rows: {rows}")
    print(f"aqi_year_50_stations_s: {elapsed:.3f}")
    print(f"aqi_rows_per_s: {rows / elapsed:.0f}")
    print(f"goal_s: {GOAL_S:g}")
    print(f"goal_met: {'yes' if elapsed < GOAL_S else 'no'}")


if __name__ == "__main__":
    main()
