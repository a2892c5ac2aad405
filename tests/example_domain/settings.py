"""The domain's configuration section: `[water] flood_m = 3.5` (the alarm level of every gauge)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feeds.core.config import SectionContext


@dataclass(frozen=True)
class WaterSettings:
    flood_m: float = 4.0


def parse_water_section(table: Any, context: SectionContext) -> WaterSettings:
    reader = context.reader(table, "water", {"flood_m"})
    flood = reader.get("flood_m", (int, float), 4.0, what="a water level in metres")
    if not 0 < flood < 30:
        raise context.error("water.flood_m", f"expected a level between 0 and 30 m, got {flood!r}")
    return WaterSettings(float(flood))
