"""Vessel map tile (key ``vessel/#``): the offline fleet map with counts and the vessel list.

Options: ``panel`` (default true: counts, filter, search and list beside the map); ``tile_server`` (URL
template of an on-premises raster tile server, e.g. ``http://tiles.ioc.local/osm/{z}/{x}/{y}.png``) and
``tile_cache`` (the MBTiles file the tiles are kept in; default ~/.cache/controlroom/tiles.mbtiles). With
neither, the map shows the bundled vector base only. The application installs the tile source
(`TileContext.basemap`); tiles reach the page through ``tiles://``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from feeds.core.records import Record
from feeds.fleet.records import VesselStateChange
from widgets.base.registry import register_tile
from widgets.base.tile import Tile
from widgets.fleet.map_view import VesselMapWidget


@register_tile
class VesselMapTile(Tile):
    type_name = "vessel_map"
    last_known_kinds = ("vessel", "vessel_state")
    eventsWanted = Signal(str, str, float)  # kind, key, since: the grid answers with show_events()

    def build(self, body: QWidget) -> None:
        opts = self.spec.options
        server = opts.get("tile_server", "")
        cache = opts.get("tile_cache", "")
        if not isinstance(server, str) or not isinstance(cache, str):
            raise ValueError("options.tile_server and options.tile_cache must be strings")
        tile_url = None
        if (server or cache) and self.context.basemap is not None:
            tile_url = self.context.basemap(server, cache)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.map = VesselMapWidget(tile_url=tile_url, panel=bool(opts.get("panel", True)))
        self.map.trackWanted.connect(lambda key, since: self.eventsWanted.emit("vessel", key, since))
        layout.addWidget(self.map)
        if opts.get("follow"):  # e.g. an alert's vessel popped up on the wall
            self.map.follow(str(opts["follow"]))

    def show_events(self, kind: str, key: str, records: list) -> None:
        """The stored track of a clicked vessel (answered by the tile grid from the cache)."""
        if kind == "vessel":
            self.map.merge_track(key.split("/", 1)[1], records)

    def wants(self, record: Record) -> bool:
        """The tile's vessels, and the geofence states derived from them (whatever feed they came from)."""
        if isinstance(record, VesselStateChange) and record.key.startswith("vessel/"):
            return True
        return super().wants(record)

    def show_records(self, records: list[Record]) -> None:
        self.map.show_records(records)
        if records:
            self.mark_fresh(max(r.ts for r in records))

    def refresh_age(self, now: float) -> None:
        super().refresh_age(now)
        self.map.refresh(now)
