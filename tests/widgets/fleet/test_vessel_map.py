"""The offline vessel map: no request leaves the machine, the fleet is drawn, clicks show details.

Runs under the offscreen platform (conftest) with QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox; no X server.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from widgets.fleet.basemap_scheme import prepare_web_engine

prepare_web_engine()  # the tiles:// scheme must be registered before the QApplication exists

from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineUrlRequestInterceptor  # noqa: E402

from feeds.sim.scenarios import make_scenario  # noqa: E402

SHOTS = Path(os.environ.get("CONTROLROOM_SHOTS", "/tmp/controlroom-shots"))
LOCAL_SCHEMES = {"file", "qrc", "data", "tiles", "blob", "about"}
T0 = time.time()


class Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info) -> None:
        url = info.requestUrl()
        self.urls.append(url.toString())
        if url.scheme() not in LOCAL_SCHEMES:
            info.block(True)


@pytest.fixture
def recorder(app):
    rec = Recorder()
    QWebEngineProfile.defaultProfile().setUrlRequestInterceptor(rec)
    yield rec
    QWebEngineProfile.defaultProfile().setUrlRequestInterceptor(None)


def js(qtbot, view, code: str, timeout: int = 10000):
    box: list = []
    view.page().runJavaScript(code, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


def fleet_records(scale: int = 0):
    sim = make_scenario("fleet", {"seed": 7, "speed": 60.0, "alert_period_s": 1200.0, "source": "fleet",
                                  "scale": scale})
    from feeds.fleet.tracking import FleetTracker

    records = sim.start(T0, backfill=2)
    derived = FleetTracker(clock=lambda: T0)(records)
    return records + derived


@pytest.fixture
def fleet_map(app, qtbot, recorder):
    from widgets.fleet.map_view import VesselMapWidget

    widget = VesselMapWidget()
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitUntil(lambda: widget.view.ready, timeout=30000)
    return widget


def draw(qtbot, widget, records) -> dict:
    widget.show_records(records)
    with qtbot.waitSignal(widget.view.bridge.batchDrawn, timeout=10000):
        seq = widget.flush()
    assert seq > 0
    widget.refresh(time.time())
    return js(qtbot, widget.view, "JSON.stringify(fleet.layer.stats)")


def test_map_loads_offline_and_draws_the_fleet(fleet_map, qtbot, recorder):
    records = fleet_records()
    stats = json.loads(draw(qtbot, fleet_map, records))
    vessels = {r.key for r in records if getattr(r, "kind", "") == "vessel"}
    assert stats["vessels"] == len(vessels) > 1900
    assert stats["drawn"] > 0.5 * len(vessels)  # the rest is outside the view
    # Zones and land are on the page as GeoJSON layers, Leaflet is the vendored one.
    features = js(qtbot, fleet_map.view, "(function () { var n = 0; fleet.map.eachLayer(function (l) {"
                  " if (l.feature) { n++; } }); return n; })()")
    assert features >= 8  # 4 land polygons, 4 zones (areas and the delimitation line)
    assert js(qtbot, fleet_map.view, "L.version") == "1.9.4"
    external = [u for u in recorder.urls if u.split(":", 1)[0] not in LOCAL_SCHEMES]
    assert recorder.urls and not external, external
    counts = fleet_map.fleet.counts()
    assert counts["active"] > 1000 and counts["at_port"] > 0 and counts["near_boundary"] > 0
    assert fleet_map.panel.count_labels["active"].text() == str(counts["active"])
    qtbot.wait(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert fleet_map.grab().save(str(SHOTS / "vessel_map_fleet.png"))


def test_click_shows_details_and_track_and_list_centres(fleet_map, qtbot):
    records = fleet_records()
    draw(qtbot, fleet_map, records)
    target = next(r for r in reversed(records) if getattr(r, "kind", "") == "vessel" and r.sog and r.sog > 1)
    vid = target.key.split("/", 1)[1]
    # A click on the vessel's pixel, as Leaflet would fire it.
    with qtbot.waitSignal(fleet_map.view.bridge.vesselClicked, timeout=5000) as clicked:
        js(qtbot, fleet_map.view, f"""(function () {{
            var ll = L.latLng({target.lat}, {target.lon});
            fleet.map.setView(ll, 11, {{animate: false}});
            fleet.layer.redrawNow();
            fleet.map.fire('click', {{latlng: ll, layerPoint: fleet.map.latLngToLayerPoint(ll)}});
            return 1; }})()""")
    assert clicked.args == [vid]
    qtbot.waitUntil(lambda: vid in (js(qtbot, fleet_map.view,
                    "(document.querySelector('.leaflet-popup-content')||{}).innerText || ''") or ""), timeout=5000)
    text = js(qtbot, fleet_map.view, "document.querySelector('.leaflet-popup-content').innerText")
    assert target.name in text and target.owner in text and "°" in text and "′N" in text
    assert js(qtbot, fleet_map.view, "fleet.track.getLatLngs().length") == 3  # 2 h backfill + now
    qtbot.wait(200)
    assert fleet_map.grab().save(str(SHOTS / "vessel_map_details.png"))
    # Search, then a row of the list centres the map on that vessel.
    other = next(r for r in records if getattr(r, "kind", "") == "vessel" and r.key != target.key)
    fleet_map.panel.search.setText(other.key.split("/", 1)[1])
    assert fleet_map.panel.proxy.rowCount() == 1
    fleet_map.panel.table.clicked.emit(fleet_map.panel.proxy.index(0, 0))
    now_at = fleet_map.fleet.vessels[other.key.split("/", 1)[1]]
    # Centred, then nudged by the popup's auto-pan: the vessel is in view, near the centre, at zoom ≥ 11.
    near_centre = (f"(function () {{ var c = fleet.map.getCenter(); return fleet.map.getZoom() >= 11 &&"
                   f" Math.abs(c.lat - {now_at.lat}) < 0.05 && Math.abs(c.lng - {now_at.lon}) < 0.08; }})()")
    qtbot.waitUntil(lambda: js(qtbot, fleet_map.view, near_centre) is True, timeout=5000)


def test_filter_by_state_hides_vessels(fleet_map, qtbot):
    draw(qtbot, fleet_map, fleet_records())
    fleet_map.set_filter(["violating"])
    qtbot.waitUntil(lambda: js(qtbot, fleet_map.view, "fleet.layer.show[5]") is False, timeout=5000)
    drawn = js(qtbot, fleet_map.view, "fleet.layer.stats.drawn")
    assert 0 < drawn <= fleet_map.fleet.counts()["violating"]


def test_follow_keeps_the_vessel_centred_as_it_moves(fleet_map, qtbot):
    records = fleet_records()
    draw(qtbot, fleet_map, records)
    target = next(r for r in reversed(records) if getattr(r, "kind", "") == "vessel" and r.sog and r.sog > 1)
    vid = target.key.split("/", 1)[1]
    fleet_map.follow(vid)
    moved = type(target)(key=target.key, ts=target.ts + 600, source=target.source, lat=target.lat + 0.05,
                         lon=target.lon + 0.05, sog=target.sog, cog=45.0)
    draw(qtbot, fleet_map, [moved])
    centre = f"(function () {{ var c = fleet.map.getCenter(); return Math.abs(c.lat - {moved.lat}) < 1e-3 &&" \
             f" Math.abs(c.lng - {moved.lon}) < 1e-3; }})()"
    qtbot.waitUntil(lambda: js(qtbot, fleet_map.view, centre) is True, timeout=5000)
    assert js(qtbot, fleet_map.view, "fleet.layer.selected") == vid  # ringed on the map


def test_tile_in_a_grid_gets_the_24h_track_from_the_cache(app, qtbot, cache, recorder):
    from desktop.config.layouts import ScreenLayout
    from desktop.windows.tile_grid import TileGrid
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext

    records = fleet_records()
    cache.store(records)
    grid = TileGrid(TileContext(language="en"), cache)
    qtbot.addWidget(grid)
    grid.apply(ScreenLayout("fleet", rows=1, cols=1,
                            tiles=(TileSpec("vessel_map", "Fleet", key="vessel/#", row=0, col=0),)))
    grid.resize(1400, 800)
    grid.show()
    tile = grid.tiles[0]
    qtbot.waitUntil(lambda: tile.map.view.ready, timeout=30000)
    # Live, the tile has only seen the newest report; the cache holds the 2 h of backfill.
    newest = {}
    for r in records:
        if getattr(r, "kind", "") in ("vessel", "vessel_state"):
            newest[(r.kind, r.key)] = r
    grid.dispatch(sorted(newest.values(), key=lambda r: r.ts))
    vid = next(k for kind, k in newest if kind == "vessel").split("/", 1)[1]
    assert len(tile.map.fleet.vessels[vid].track) == 1
    tile.map.show_details(vid)
    assert len(tile.map.fleet.vessels[vid].track) == 3
    qtbot.waitUntil(lambda: js(qtbot, tile.map.view, "fleet.track.getLatLngs().length") == 3, timeout=5000)


def test_a_new_fleet_tile_starts_from_the_stored_fleet_and_its_states(app, qtbot, cache):
    """A layout applied later (a pushed scene, an alert pop-up, an offline start) shows every vessel at once:
    records read back from the cache still carry the feed they came from, which the tile filters on."""
    from desktop.config.layouts import ScreenLayout
    from desktop.windows.tile_grid import TileGrid
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext

    records = fleet_records()
    cache.store(records)
    grid = TileGrid(TileContext(language="vi"), cache)
    qtbot.addWidget(grid)
    grid.apply(ScreenLayout("fleet", rows=1, cols=1, tiles=(
        TileSpec("vessel_map", "Fleet", feed="fleet", key="vessel/#", row=0, col=0, options={"panel": False}),)))
    fleet = grid.tiles[0].map.fleet
    stored = {r.key.split("/", 1)[1] for r in records if getattr(r, "kind", "") == "vessel"}
    qtbot.waitUntil(lambda: set(fleet.vessels) == stored, timeout=10_000)  # read off the GUI thread
    states = {r.key.split("/", 1)[1]: r.state for r in sorted(records, key=lambda r: r.ts)
              if getattr(r, "kind", "") == "vessel_state"}
    assert {v: fleet.vessels[v].state for v in states} == states


def test_counts_tile_for_the_wall(app, qtbot):
    from widgets.base.registry import create_tile
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext

    tile = create_tile(TileSpec("vessel_counts", "Vessels", feed="fleet", key="vessel/#"), TileContext())
    qtbot.addWidget(tile)
    records = fleet_records()
    states = [r for r in records if getattr(r, "kind", "") == "vessel_state"]
    assert all(tile.wants(r) for r in states)  # derived by the geofence processor, not by the feed
    tile.show_records([r for r in records if tile.wants(r)])
    tile.refresh_age(time.time())
    counts = tile.counts()
    assert sum(counts[k] for k in ("active", "lost_signal", "at_port")) == len({r.key for r in states})
    assert tile.values["violating"].text() == str(counts["violating"]) != "0"
