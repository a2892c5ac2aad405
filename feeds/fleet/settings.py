"""The [fleet] configuration section: the zones vessels are classified against and the near-boundary distance."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feeds.core.config import SectionContext
from feeds.fleet.geofence import DEFAULT_NEAR_NM, ZoneSet


@dataclass(frozen=True)
class FleetSettings:
    zones: str = ""  # a GeoJSON file of zones; "" = the bundled Thanh Hóa set
    near_nm: float = DEFAULT_NEAR_NM  # a vessel this close to the boundary is "near" it


def parse_fleet_section(table: Any, context: SectionContext) -> FleetSettings:
    """`[fleet]`: zones = "zones.geojson" (relative to the configuration file), near_nm = 5."""
    reader = context.reader(table, "fleet", {"zones", "near_nm"})
    zones = reader.get("zones", str, "", what="a GeoJSON file of zones")
    if zones and context.base_dir is not None and not Path(zones).is_absolute():
        zones = str(context.base_dir / zones)
    if zones:
        try:
            ZoneSet.load(zones)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise context.error("fleet.zones", f"cannot use {zones}: {exc}") from None
    near_nm = reader.get("near_nm", (int, float), DEFAULT_NEAR_NM)
    if not (math.isfinite(near_nm) and 0 < near_nm <= 50):
        raise context.error("fleet.near_nm", f"expected a distance in nautical miles between 0 and 50, got {near_nm!r}")
    return FleetSettings(zones, float(near_nm))
