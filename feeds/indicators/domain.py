"""The indicator domains (1, 2, 8 and 9 of MISSION.md: socio-economy, citizen feedback, public services,
documents), declared for the domain registry."""

from __future__ import annotations

from feeds.core.domain import Domain

DOMAIN = Domain(
    name="indicators",
    title="Chỉ tiêu kinh tế – xã hội",
    title_en="Socio-economic indicators",
    scenario_modules=("feeds.indicators.scenario",),
    tile_modules=("widgets.indicators.indicator_tile",),
)
