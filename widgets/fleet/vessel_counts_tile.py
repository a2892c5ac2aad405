"""Vessel counts tile (key ``vessel/#``), for the wall: active, near boundary, violating, distress,
lost signal, at port — the numbers the fishing-vessel domain asks for at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from feeds.core.records import Record
from feeds.fleet.records import VesselStateChange
from widgets.base.registry import register_tile
from widgets.base.tile import Tile
from widgets.fleet.fleet_model import COUNTS, FleetModel
from widgets.fleet.map_view import STATE_COLOURS, state_label


@register_tile
class VesselCountsTile(Tile):
    type_name = "vessel_counts"

    def build(self, body: QWidget) -> None:
        self.fleet = FleetModel()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        self.values: dict[str, QLabel] = {}
        for i, name in enumerate(COUNTS):
            value = QLabel("—")
            value.setObjectName("bigValue")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setStyleSheet(f"color: {STATE_COLOURS[name]};")
            label = QLabel(state_label(name))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            grid.addWidget(value, (i // 3) * 2, i % 3)
            grid.addWidget(label, (i // 3) * 2 + 1, i % 3)
            self.values[name] = value
        self._due = False

    def wants(self, record: Record) -> bool:
        """The tile's vessels, and the geofence states derived from them (whatever feed they came from)."""
        if isinstance(record, VesselStateChange) and record.key.startswith("vessel/"):
            return True
        return super().wants(record)

    def show_records(self, records: list[Record]) -> None:
        if self.fleet.apply(records):
            self._due = True
            self.mark_fresh(max(r.ts for r in records))
            self.fleet.dirty.clear()

    def refresh_age(self, now: float) -> None:
        super().refresh_age(now)
        if self._due:
            self._due = False
            for name, count in self.fleet.counts().items():
                self.values[name].setText(str(count))

    def counts(self) -> dict[str, int]:
        return self.fleet.counts()
