"""The declaration: everything the core needs of the water domain, in one place."""

from __future__ import annotations

from feeds.core.domain import ConfigSection, Domain, DomainSetup, Migration, Permission
from feeds.core.processing import ProcessorSpec
from tests.example_domain.settings import WaterSettings, parse_water_section


def processors(setup: DomainSetup) -> tuple[ProcessorSpec, ...]:
    return (ProcessorSpec("tests.example_domain.processor:make_flood_watch",
                          {"settings": setup.settings or WaterSettings()}),)


DOMAIN = Domain(
    name="water",
    title="Mực nước sông",
    title_en="River water levels",
    kind_modules={"water_level": "tests.example_domain.records"},
    processors=processors,
    config=ConfigSection("water", parse_water_section, WaterSettings),
    migrations=(Migration(1, "CREATE TABLE IF NOT EXISTS water_gauges (id TEXT PRIMARY KEY, name TEXT NOT NULL);"),),
    tile_modules=("tests.example_domain.tile",),
    popups={"gauge": "tests.example_domain.popups:gauge_popup"},
    permissions=(Permission("water.calibrate", ("administrator", "duty_leader"), "domain",
                            "Hiệu chỉnh trạm đo", "Calibrate a gauge"),),
)
