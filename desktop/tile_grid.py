"""A grid of tiles built from a ScreenLayout, fed with records and statuses, aged once a second."""

from __future__ import annotations

import logging
from collections import defaultdict

from PySide6.QtWidgets import QGridLayout, QWidget

from desktop.layout import ScreenLayout
from feeds.cache import Cache
from feeds.records import FeedStatus, Record
from widgets.registry import create_tile
from widgets.tile import Tile, TileContext

log = logging.getLogger(__name__)


class TileGrid(QWidget):
    def __init__(self, context: TileContext, cache: Cache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.cache = cache
        self.layout_spec: ScreenLayout | None = None
        self.tiles: list[Tile] = []
        self._by_key: dict[str, list[Tile]] = defaultdict(list)
        self._by_prefix: list[tuple[str, Tile]] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(6, 6, 6, 6)
        self._grid.setSpacing(6)

    def apply(self, layout: ScreenLayout, statuses: list[FeedStatus] = ()) -> None:
        """Replace every tile by the layout's; cached history is shown at once."""
        for tile in self.tiles:
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles, self._by_key, self._by_prefix = [], defaultdict(list), []
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        for spec in layout.tiles:
            tile = create_tile(spec, self.context)
            self._grid.addWidget(tile, spec.row, spec.col, spec.rowspan, spec.colspan)
            self.tiles.append(tile)
            if spec.key.endswith("/#"):
                self._by_prefix.append((spec.key[:-1], tile))
            elif spec.key:
                self._by_key[spec.key].append(tile)
                if self.cache is not None:
                    tile.show_history(self.cache.history(spec.key, limit=500))
            for status in statuses:
                tile.show_status(status)
        for r in range(layout.rows):
            self._grid.setRowStretch(r, 1)
        for c in range(layout.cols):
            self._grid.setColumnStretch(c, 1)
        self.layout_spec = layout

    def dispatch(self, records: list[Record]) -> None:
        by_tile: dict[int, list[Record]] = defaultdict(list)
        tiles: dict[int, Tile] = {}
        for record in records:
            candidates = [*self._by_key.get(record.key, ()),
                          *(tile for prefix, tile in self._by_prefix if record.key.startswith(prefix))]
            for tile in candidates:
                if tile.wants(record):
                    by_tile[id(tile)].append(record)
                    tiles[id(tile)] = tile
        for ident, batch in by_tile.items():
            tiles[ident].show_records(batch)

    def show_status(self, status: FeedStatus) -> None:
        for tile in self.tiles:
            tile.show_status(status)

    def tick(self, now: float) -> None:
        for tile in self.tiles:
            tile.refresh_age(now)
