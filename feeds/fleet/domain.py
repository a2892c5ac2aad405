"""The fishing-vessel domain (7 of MISSION.md), declared for the domain registry."""

from __future__ import annotations

from feeds.core.domain import ConfigSection, Domain, DomainSetup
from feeds.core.processing import ProcessorSpec
from feeds.fleet.settings import FleetSettings, parse_fleet_section

VESSEL_TILES = {"vessel_map", "vessel_counts"}


def processors(setup: DomainSetup) -> tuple[ProcessorSpec, ...]:
    """The geofence processor, when a feed can carry vessels (sim://fleet, ais+…) or a layout shows them.

    A simulated fleet runs `speed` times faster than real time, so its legal reporting intervals shrink
    by the same factor (lost signal is judged on the compressed clock).
    """
    speeds = [float(f.options.get("speed", 1.0)) for f in setup.feeds if f.address.startswith("sim://fleet")]
    carries = speeds or any(f.address.startswith("ais+") for f in setup.feeds) or any(
        tile.type in VESSEL_TILES for layout in setup.layouts for tile in layout.tiles)
    if not carries:
        return ()
    return (ProcessorSpec("feeds.fleet.tracking:make_processor",
                          {"settings": setup.settings or FleetSettings(),
                           "time_scale": 1.0 / max(speeds) if speeds else 1.0}),)


DOMAIN = Domain(
    name="fleet",
    title="Giám sát tàu cá",
    title_en="Fishing-vessel monitoring",
    kind_modules={"vessel": "feeds.fleet.records", "vessel_state": "feeds.fleet.records"},
    source_modules=("feeds.fleet.ais_source",),
    scenario_modules=("feeds.fleet.scenario",),
    processors=processors,
    config=ConfigSection("fleet", parse_fleet_section, FleetSettings),
    tile_modules=("widgets.fleet.vessel_map_tile", "widgets.fleet.vessel_counts_tile"),
    popups={"vessel": "feeds.fleet.popups:vessel_popup"},
    procedures=("sop/tau-ca-gap-nan.toml", "sop/tau-ca-mat-tin-hieu.toml", "sop/tau-ca-vuot-ranh-gioi.toml"),
)
