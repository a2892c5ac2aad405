"""The offline map page: folium builds the Leaflet page, with every script, style and layer bundled.

folium hard-codes CDN URLs for Leaflet, jQuery, Bootstrap and Font Awesome; the page keeps only Leaflet,
pointed at the copy vendored in resources/map/, so it loads with no network at all. The base map is
vector: Natural Earth land (coastline and islands) and the geofence zones, drawn as GeoJSON layers. A
raster base is added only when a tile URL is configured (served by the ``tiles://`` scheme handler).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import folium

CENTRE = (19.62, 106.35)
ZOOM = 9
FIT_BOUNDS = [[19.25, 105.75], [20.05, 107.35]]
MAP_NAME = "ioc"  # the page's Leaflet map is `map_ioc`
ZONE_STYLE = {
    "permitted": {"color": "#2f81f7", "weight": 1, "fillColor": "#2f81f7", "fillOpacity": 0.04},
    "restricted": {"color": "#f85149", "weight": 1, "fillColor": "#f85149", "fillOpacity": 0.10},
    "boundary": {"color": "#f85149", "weight": 2.5, "dashArray": "8 6"},
    "port": {"color": "#58a6ff", "weight": 1},
}


def map_dir() -> Path:
    return Path(str(resources.files("resources").joinpath("map")))


def _geojson(*parts: str) -> dict[str, Any]:
    return json.loads(resources.files("resources").joinpath(*parts).read_text(encoding="utf-8"))


def _zone_style(feature: dict[str, Any]) -> dict[str, Any]:
    return ZONE_STYLE.get(feature["properties"].get("kind"), {"color": "#8b949e", "weight": 1})


def build_map(tile_url: str | None = None, centre: tuple[float, float] = CENTRE, zoom: int = ZOOM,
              asset_base: str = "") -> folium.Map:
    """The folium map with the bundled base layers and the fleet layer (empty until the first batch).

    Asset links are relative to resources/map/ (the page's base URL) unless `asset_base` is given.
    """
    m = folium.Map(location=list(centre), zoom_start=zoom, tiles=None, prefer_canvas=True, control_scale=True,
                   min_zoom=5, max_zoom=15)
    m._id = MAP_NAME
    m.default_js = [("leaflet", f"{asset_base}leaflet.js")]
    m.default_css = [("leaflet_css", f"{asset_base}leaflet.css")]
    root = m.get_root()
    root.header.add_child(folium.Element(
        "<style>html,body{background:#0b1e33}div.folium-map.leaflet-container{background:#0b1e33;"
        "font-family:'Noto Sans',sans-serif}.leaflet-popup-content{font-size:13px;line-height:1.45}"
        ".vessel-id{font-weight:bold;font-size:15px}</style>"))
    m.fit_bounds(FIT_BOUNDS)  # Thanh Hóa's waters out to the delimitation line, whatever the tile's size
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr="IOC", name="base", max_zoom=15).add_to(m)
    folium.GeoJson(_geojson("map", "land.geojson"), name="land", control=False,
                   style_function=lambda f: {"color": "#5b6b7d", "weight": 1, "fillColor": "#2b3542",
                                             "fillOpacity": 1.0 if not tile_url else 0.0},
                   interactive=False).add_to(m)
    zones = _geojson("geo", "thanhhoa_zones.geojson")
    areas = {"type": "FeatureCollection",
             "features": [f for f in zones["features"] if f["geometry"]["type"] != "Point"]}
    folium.GeoJson(areas, name="zones", control=False, style_function=_zone_style, interactive=False).add_to(m)
    for feature in zones["features"]:
        if feature["geometry"]["type"] == "Point":
            lon, lat = feature["geometry"]["coordinates"]
            folium.Circle([lat, lon], radius=feature["properties"].get("radius_m", 2000),
                          color="#58a6ff", weight=1, fill=True, fill_opacity=0.15, interactive=False,
                          tooltip=feature["properties"]["name"]).add_to(m)
    # In the body: folium puts its own (Leaflet) links after anything added to the header.
    root.html.add_child(folium.Element('<script src="qrc:///qtwebchannel/qwebchannel.js"></script>'))
    root.html.add_child(folium.Element(f'<script src="{asset_base}fleet.js"></script>'))
    # folium renders the map's own script after this one: start the fleet layer once the page has loaded.
    start = f"window.addEventListener('load', function () {{ fleet.init({m.get_name()}); }});"
    root.script.add_child(folium.Element(start))
    return m


def build_map_html(tile_url: str | None = None) -> str:
    """The page, to be loaded with resources/map/ as its base URL (relative script and style links)."""
    return build_map(tile_url).get_root().render()
