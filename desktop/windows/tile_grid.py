"""A grid of tiles built from a ScreenLayout, fed with records and statuses, aged once a second."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import defaultdict

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QWidget

from desktop.config.layouts import ScreenLayout
from feeds.core.records import FeedStatus, Record
from feeds.store import Cache
from widgets.base.registry import create_tile
from widgets.base.tile import Tile, TileContext

log = logging.getLogger(__name__)


class TileGrid(QWidget):
    tilesChanged = Signal()  # a layout was applied: new tiles (camera bindings attach to them)
    _lastEventsRead = Signal(object, object)  # tile, its stored records (from a reading thread)

    def __init__(self, context: TileContext, cache: Cache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.cache = cache
        self.layout_spec: ScreenLayout | None = None
        self.tiles: list[Tile] = []
        self.maximised: Tile | None = None
        self._by_key: dict[str, list[Tile]] = defaultdict(list)
        self._by_prefix: list[tuple[str, Tile]] = []
        self._lastEventsRead.connect(self._show_read_events)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(6, 6, 6, 6)
        self._grid.setSpacing(6)

    def apply(self, layout: ScreenLayout, statuses: list[FeedStatus] = ()) -> None:
        """Replace every tile by the layout's; cached history is shown at once."""
        self.maximised = None
        for tile in self.tiles:
            self._grid.removeWidget(tile)
            tile.hide()
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
                self._show_last_events(tile)
            elif spec.key:
                self._by_key[spec.key].append(tile)
                if self.cache is not None:
                    tile.show_history(self.cache.history(spec.key, limit=500))
            for status in statuses:
                tile.show_status(status)
            if self.cache is not None and hasattr(tile, "historyWanted"):
                tile.historyWanted.connect(lambda keys, t=tile: self._send_history(t, keys))
            if self.cache is not None and hasattr(tile, "eventsWanted"):
                tile.eventsWanted.connect(lambda kind, key, since, t=tile: self._send_events(t, kind, key, since))
        for r in range(layout.rows):
            self._grid.setRowStretch(r, 1)
        for c in range(layout.cols):
            self._grid.setColumnStretch(c, 1)
        self.layout_spec = layout
        self.tilesChanged.emit()

    def _show_last_events(self, tile: Tile) -> None:
        """A tile of domain records (the fleet map) starts from each entity's newest stored record, read off
        the GUI thread (thousands of vessels); live records that overtake them are kept (newer wins)."""
        if self.cache is None or not tile.last_known_kinds:
            return
        threading.Thread(target=self._read_last_events, args=(tile, tile.last_known_kinds), name="last-known",
                         daemon=True).start()

    def _read_last_events(self, tile: Tile, kinds: tuple[str, ...]) -> None:
        try:
            records = [r for kind in kinds for r in self.cache.latest_events(kind)]
        except (sqlite3.Error, ValueError) as exc:
            log.warning("no stored records for a new %s tile: %s", tile.type_name, exc)
            return
        records.sort(key=lambda r: (r.ts, r.kind != kinds[0]))  # a position before its state
        self._lastEventsRead.emit(tile, records)

    @Slot(object, object)
    def _show_read_events(self, tile: Tile, records: list[Record]) -> None:
        if tile in self.tiles:
            wanted = [r for r in records if tile.wants(r)]
            if wanted:
                tile.show_records(wanted)

    def maximise(self, tile: Tile | None) -> None:
        """Show one tile over the whole grid (the others are hidden); None or the same tile restores."""
        if self.layout_spec is None:
            return
        current, self.maximised = self.maximised, None if tile is None or tile is self.maximised else tile
        if current is not None:
            self._grid.removeWidget(current)
            spec = current.spec
            self._grid.addWidget(current, spec.row, spec.col, spec.rowspan, spec.colspan)
        for other in self.tiles:
            other.setVisible(self.maximised is None or other is self.maximised)
        if self.maximised is not None:
            self._grid.removeWidget(self.maximised)
            self._grid.addWidget(self.maximised, 0, 0, self.layout_spec.rows, self.layout_spec.cols)

    def _send_events(self, tile: Tile, kind: str, key: str, since: float) -> None:
        """Answer a tile asking for stored domain records of one key (a vessel's track)."""
        try:
            records = self.cache.events(kind, key, since)
        except (sqlite3.Error, ValueError) as exc:
            log.warning("no stored %s events for %s: %s", kind, key, exc)
            return
        tile.show_events(kind, key, records)

    def _send_history(self, tile: Tile, keys: list[str]) -> None:
        """Answer a tile asking for the cached history of keys it has just seen (multi-key charts).
        Asked again after a moment, as the batch that revealed the key may not be committed yet."""
        def send() -> None:
            if tile in self.tiles:
                try:
                    history = {key: self.cache.history(key) for key in keys}
                except sqlite3.Error as exc:  # the cache closed under us (shutting down)
                    log.warning("no cached history for %s: %s", keys[:3], exc)
                    return
                tile.show_key_history(history)

        send()
        QTimer.singleShot(1500, self, send)

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
