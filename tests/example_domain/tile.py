"""The domain's tile: one gauge's level in metres, red at or above the flood level of [water]."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from feeds.core.records import Record
from tests.example_domain.records import WaterLevel
from tests.example_domain.settings import WaterSettings
from widgets.base.registry import register_tile
from widgets.base.tile import Tile


@register_tile
class WaterGaugeTile(Tile):
    type_name = "water_gauge"

    def build(self, body: QWidget) -> None:
        self.settings: WaterSettings = self.context.section("water") or WaterSettings()
        self.level = QLabel("—")
        self.level.setObjectName("tileValue")
        QVBoxLayout(body).addWidget(self.level)

    def show_records(self, records: list[Record]) -> None:
        levels = [r for r in records if isinstance(r, WaterLevel)]
        if levels:
            newest = max(levels, key=lambda r: r.ts)
            self.level.setText(f"{newest.level_m:.2f} m")
            colour = "#f85149" if newest.level_m >= self.settings.flood_m else "#e6edf3"
            self.level.setStyleSheet(f"color: {colour}; font-size: 28px;")
            self.mark_fresh(newest.ts)
