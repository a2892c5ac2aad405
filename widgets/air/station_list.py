"""Air-quality stations as a list coloured by AQI band (stands in for map markers until the map lands).

Key ``air/#``. Each row: colour swatch with the AQI, station name, band, dominant pollutant; worst first.
Options: ``names = { "<station>" = "display name" }``, ``stations = [...]`` to restrict the list.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from feeds.air.stations import POLLUTANT_LABELS
from feeds.core.records import Record
from widgets.air.bands import NO_DATA_COLOUR, aqi_band, band_label, station_name, text_colour
from widgets.air.series import usable
from widgets.base.registry import register_tile
from widgets.base.tile import Tile


@register_tile
class StationListTile(Tile):
    type_name = "station_list"

    def build(self, body: QWidget) -> None:
        opts = self.spec.options
        self.names = dict(opts.get("names", {})) if isinstance(opts.get("names", {}), dict) else {}
        only = opts.get("stations", [])
        if not isinstance(only, list):
            raise ValueError("options.stations must be an array of station ids")
        self.only = set(only)
        self.stations: dict[str, tuple[float, float, str]] = {}  # id -> (ts, aqi, dominant)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            ["AQI", self.tr("Station"), self.tr("Category"), self.tr("Main pollutant")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.table.setColumnHidden(3, self.width() < 520)  # narrow: the station name matters more

    def show_records(self, records: list[Record]) -> None:
        changed = False
        for record in records:
            if not usable(record):
                continue
            parts = record.key.split("/")
            if len(parts) != 3 or parts[0] != "air" or parts[2] != "aqi":
                continue
            if self.only and parts[1] not in self.only:
                continue
            held = self.stations.get(parts[1])
            if held is None or record.ts >= held[0]:
                label = record.label if isinstance(record.label, str) else ""
                self.stations[parts[1]] = (float(record.ts), float(record.value), label)
                self.mark_fresh(float(record.ts))
                changed = True
        if changed:
            self._render()

    def rows(self) -> list[tuple[str, float, str, str]]:
        """(station, aqi, band colour, dominant) worst first."""
        out = []
        for station, (_, aqi, dominant) in self.stations.items():
            b = aqi_band(aqi)
            out.append((station, aqi, b.colour_hex if b else NO_DATA_COLOUR, dominant))
        return sorted(out, key=lambda r: (-r[1], r[0]))

    def _render(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for i, (station, aqi, colour, dominant) in enumerate(rows):
            swatch = QTableWidgetItem(f"{aqi:.0f}")
            swatch.setBackground(QBrush(QColor(colour)))
            swatch.setForeground(QBrush(QColor(text_colour(colour))))
            swatch.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            font = swatch.font()
            font.setBold(True)
            swatch.setFont(font)
            cells = [swatch, QTableWidgetItem(station_name(station, self.names)),
                     QTableWidgetItem(band_label(aqi_band(aqi), self.context.language)),
                     QTableWidgetItem(POLLUTANT_LABELS.get(dominant, dominant))]
            if text_colour(colour) == "#000000":  # bright band colours read well as text on the dark theme
                cells[2].setForeground(QBrush(QColor(colour)))
            for col, item in enumerate(cells):
                self.table.setItem(i, col, item)
