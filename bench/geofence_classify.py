"""Benchmark: geofence classification of 10,000 vessels against the bundled Thanh Hóa zones (goal: under 50 ms)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds.fleet.geofence import HOUR_S, STATES, ZoneSet, classify_many

VESSELS = 10_000
RUNS = 7
GOAL_MS = 50.0
SEED = 2000
# Most of the fleet off Thanh Hóa, the rest anywhere in the Gulf of Tonkin.
LOCAL_SHARE = 0.7
LOCAL_BOX = ((19.0, 20.2), (105.7, 107.9))  # (lat range, lon range)
GULF_BOX = ((17.0, 21.6), (105.5, 109.0))


def fleet(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Positions, time since last report, reporting interval and distress flags of the fleet."""
    local = rng.random(VESSELS) < LOCAL_SHARE
    lat = np.where(local, rng.uniform(*LOCAL_BOX[0], VESSELS), rng.uniform(*GULF_BOX[0], VESSELS))
    lon = np.where(local, rng.uniform(*LOCAL_BOX[1], VESSELS), rng.uniform(*GULF_BOX[1], VESSELS))
    return {
        "lat": lat,
        "lon": lon,
        "silence_s": rng.uniform(0, 4 * HOUR_S, VESSELS),
        "interval_s": rng.choice([2 * HOUR_S, 3 * HOUR_S], VESSELS),
        "distress": rng.random(VESSELS) < 0.001,
    }


def main() -> None:
    zones = ZoneSet.bundled()
    vessels = fleet(np.random.default_rng(SEED))
    classify_many(zones, **vessels)  # warm-up
    timings = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = classify_many(zones, **vessels)
        timings.append((time.perf_counter() - t0) * 1000)
    counts = np.bincount(result.states, minlength=len(STATES))
    print(f"vessels: {VESSELS}")
    print(f"zones: {len(zones.zones)}")
    print(f"boundary_segments: {len(zones.boundary_segments)}")
    for state, count in zip(STATES, counts):
        print(f"state_{state.value}: {count}")
    print(f"classify_10k_ms: {statistics.median(timings):.1f}")
    print(f"classify_10k_best_ms: {min(timings):.1f}")
    print(f"goal_ms: {GOAL_MS:g}")


if __name__ == "__main__":
    main()
