"""Vessel map benchmark: one batch of 10,000 position updates on a map holding 10,000 vessels.

batch_update_ms: records → FleetModel → one JSON batch over QWebChannel → parsed and drawn on the
canvas; timed until the page reports the batch drawn. rerender_ms: the naive way in the same run —
regenerate the folium map with 10,000 markers and load it again, until Leaflet has drawn them. The
generated page is over setHtml's 2 MB limit, so it is loaded from a temporary file (the same work).
classify_10k_ms: geofence classification of 10,000 vessels (`classify_many`); processor_10k_ms: the
ingest processor on a batch of 10,000 reports (classification plus state and alert records).

Run: QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox python bench/vessel_map.py
Goals: batch_update_ms < 150, speedup >= 20, classify_10k_ms < 50.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from widgets.fleet.basemap_scheme import prepare_web_engine

prepare_web_engine()

import folium
import numpy as np
from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtWidgets import QApplication

from feeds.fleet.geofence import ZoneSet, classify_many
from feeds.fleet.tracking import FleetTracker
from feeds.sim.scenarios import make_scenario
from widgets.fleet.map_page import build_map, map_dir
from widgets.fleet.map_view import VesselMapWidget

N = 10_000
ROUNDS = 5


def wait_for(predicate, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("timed out")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def js(view, code: str):
    box: list = []
    view.page().runJavaScript(code, 0, box.append)
    wait_for(lambda: bool(box))
    return box[0]


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    sim = make_scenario("fleet", {"seed": 7, "speed": 1.0, "alert_period_s": 1200.0, "source": "bench", "scale": N})
    t0 = time.time()
    first = list(sim.start(t0, backfill=0))
    # Every vessel reports in each batch (the silent ones too): 10,000 updates.
    sim.silent_from[:] = np.inf

    widget = VesselMapWidget(panel=False)
    widget.resize(1600, 900)
    widget.show()
    wait_for(lambda: widget.view.ready)
    drawn: list[tuple[int, float]] = []
    widget.view.bridge.batchDrawn.connect(lambda seq, ms: drawn.append((seq, ms)))

    def apply_batch(records) -> tuple[float, float]:
        start = time.perf_counter()
        widget.show_records(records)
        seq = widget.flush()
        wait_for(lambda: drawn and drawn[-1][0] == seq)
        return (time.perf_counter() - start) * 1000, drawn[-1][1]

    apply_batch(first)
    held = js(widget.view, "fleet.layer.stats.vessels")
    batch_ms, page_ms = [], []
    for k in range(ROUNDS):
        sim.step(600.0)
        records = sim.reports(t0 + 600.0 * (k + 1))
        assert len(records) == N, len(records)
        total, in_page = apply_batch(records)
        batch_ms.append(total)
        page_ms.append(in_page)
    drawn_count = js(widget.view, "fleet.layer.stats.drawn")
    print("page_stats:", js(widget.view, "JSON.stringify(fleet.layer.stats)"))
    QTimer.singleShot(0, lambda: None)

    # The naive way: regenerate the whole folium map with 10,000 markers and load it again.
    asset_base = QUrl.fromLocalFile(str(map_dir()) + "/").toString()
    rerender_ms = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(2):
            start = time.perf_counter()
            m = build_map(asset_base=asset_base)
            for vessel in widget.fleet.vessels.values():
                folium.CircleMarker([vessel.lat, vessel.lon], radius=4, weight=1, fill=True,
                                    fill_opacity=0.9, color="#3fb950").add_to(m)
            page = Path(tmp) / f"naive{k}.html"
            page.write_text(m.get_root().render(), encoding="utf-8")
            loaded: list[bool] = []
            widget.view.loadFinished.connect(loaded.append)
            widget.view.load(QUrl.fromLocalFile(str(page)))
            wait_for(lambda loaded=loaded: bool(loaded))
            widget.view.loadFinished.disconnect()
            # Until the canvas renderer has no redraw pending (Leaflet draws on the next animation frame).
            wait_for(lambda: js(widget.view, "(function () { var r = map_ioc._renderer;"
                                             " return !!r && !r._redrawRequest; })()") is True)
            rerender_ms.append((time.perf_counter() - start) * 1000)

    zones = ZoneSet.bundled()
    lat = np.array([v.lat for v in widget.fleet.vessels.values()])
    lon = np.array([v.lon for v in widget.fleet.vessels.values()])
    classify_ms = []
    for _ in range(7):
        start = time.perf_counter()
        classify_many(zones, lat, lon, silence_s=np.zeros(len(lat)), interval_s=7200.0)
        classify_ms.append((time.perf_counter() - start) * 1000)
    tracker = FleetTracker(zones, clock=lambda: t0 + 10_000)
    tracker(first)
    processor_ms = []
    for k in range(3):
        sim.step(600.0)
        records = sim.reports(t0 + 10_000 + k)
        start = time.perf_counter()
        tracker(records)
        processor_ms.append((time.perf_counter() - start) * 1000)

    batch = statistics.median(batch_ms)
    rerender = statistics.median(rerender_ms)
    print(f"vessels_held: {held}")
    print(f"vessels_drawn_in_view: {drawn_count}")
    print(f"batch_update_ms: {batch:.1f}")
    print(f"batch_in_page_ms: {statistics.median(page_ms):.1f}")
    print(f"rerender_ms: {rerender:.1f}")
    print(f"speedup: {rerender / batch:.1f}")
    print(f"classify_10k_ms: {statistics.median(classify_ms):.1f}")
    print(f"processor_10k_ms: {statistics.median(processor_ms):.1f}")
    widget.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
