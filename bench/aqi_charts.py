"""Benchmark: (a) hourly AQI for 50 stations × 1 year of 5-minute readings (goal: under 10 s), and the
live processor's throughput; (b) an AQI chart tile with 50 stations × 24 h of 1-minute points: ms per
full live refresh (one new point per station, curves redrawn and painted) on the GUI thread (goal: 30 ms).

Prints `name: value` lines.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import aqi_compute

from feeds.air.processor import AirQualityProcessor
from feeds.core.records import Measurement

STATIONS = 50
CHART_POINTS = 24 * 60
REFRESHES = 40
GOAL_YEAR_S = 10.0
GOAL_REFRESH_MS = 30.0


def bench_year() -> None:
    rng = np.random.default_rng(aqi_compute.SEED)
    start_s = datetime.fromisoformat("2024-01-01T00:00:00+07:00").timestamp()
    elapsed, rows, readings_total = 0.0, 0, 0
    for n in range(STATIONS):
        readings = aqi_compute.station_readings(rng, start_s)
        readings_total += sum(len(v) for _, v in readings.values())
        t0 = time.perf_counter()
        rows += aqi_compute.compute(f"S{n:02d}", readings)
        elapsed += time.perf_counter() - t0
    print(f"year_readings: {readings_total}")
    print(f"year_hourly_rows: {rows}")
    print(f"aqi_year_50_stations_s: {elapsed:.3f}")
    print(f"aqi_rows_per_s: {rows / elapsed:.0f}")
    print(f"aqi_readings_per_s: {readings_total / elapsed:.0f}")
    print(f"aqi_year_goal_met: {'yes' if elapsed < GOAL_YEAR_S else 'no'}")


def bench_processor() -> None:
    """The live path: 50 stations × 6 h of 5-minute Measurements through the ingest processor."""
    rng = np.random.default_rng(7)
    t_start = datetime.fromisoformat("2024-06-01T00:00:00+07:00").timestamp()
    records = [Measurement(f"air/s{n:02d}/{p}", float(level * rng.lognormal(0, 0.4)), t_start + k * 300, "bench")
               for k in range(6 * 12) for n in range(STATIONS) for p, level in aqi_compute.LEVELS.items()]
    processor = AirQualityProcessor()
    t0 = time.perf_counter()
    derived = sum(len(processor(records[i:i + 5000])) for i in range(0, len(records), 5000))
    elapsed = time.perf_counter() - t0
    print(f"processor_readings: {len(records)}")
    print(f"processor_derived: {derived}")
    print(f"processor_readings_per_s: {len(records) / elapsed:.0f}")


def bench_chart() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.application import make_application
    from widgets.base.registry import create_tile
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext

    app = make_application([])  # noqa: F841 (the reference keeps the QApplication alive)
    tile = create_tile(TileSpec("aqi_chart", "AQI 50", key="air/#"), TileContext())
    tile.resize(1200, 700)
    tile.show()
    rng = np.random.default_rng(3)
    now = time.time()
    t0 = now - CHART_POINTS * 60
    history = {}
    for n in range(STATIONS):
        walk = np.clip(80 + np.cumsum(rng.normal(0, 2, CHART_POINTS)), 5, 480)
        history[f"air/s{n:02d}/aqi"] = [(t0 + k * 60, float(v)) for k, v in enumerate(walk)]
    start = time.perf_counter()
    tile.show_key_history(history)
    QApplication.processEvents()
    print(f"chart_initial_load_ms: {(time.perf_counter() - start) * 1000:.1f}")
    print(f"chart_points: {sum(len(c.getData()[0]) for c in tile.curves.values())}")
    timings = []
    for step in range(REFRESHES):
        ts = now + (step + 1) * 60
        batch = [Measurement(f"air/s{n:02d}/aqi", float(80 + 40 * np.sin(step / 5 + n)), ts, "bench", "AQI", "pm25")
                 for n in range(STATIONS)]
        start = time.perf_counter()
        tile.show_records(batch)  # what the grid does with a hub batch
        tile.plot_widget.viewport().repaint()  # and the paint it causes, synchronously
        timings.append((time.perf_counter() - start) * 1000)
        QApplication.processEvents()
    median = statistics.median(timings)
    print(f"chart_stations: {STATIONS}")
    print(f"chart_refresh_ms: {median:.1f}")
    print(f"chart_refresh_p95_ms: {sorted(timings)[int(len(timings) * 0.95) - 1]:.1f}")
    print(f"chart_refresh_goal_met: {'yes' if median < GOAL_REFRESH_MS else 'no'}")
    tile.close()


def main() -> None:
    bench_year()
    bench_processor()
    bench_chart()


if __name__ == "__main__":
    main()
