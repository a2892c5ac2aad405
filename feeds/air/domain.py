"""The air-quality and discharge domain (3 and 4 of MISSION.md), declared for the domain registry."""

from __future__ import annotations

from feeds.air.settings import AirSettings, parse_air_section
from feeds.core.domain import ConfigSection, Domain, DomainSetup
from feeds.core.processing import ProcessorSpec


def processors(setup: DomainSetup) -> tuple[ProcessorSpec, ...]:
    """Always present: with no [air] section the national defaults apply (AQI 150/200, QCVN 40 column B)."""
    return (ProcessorSpec("feeds.air.processor:make_processor", {"settings": setup.settings or AirSettings()}),)


DOMAIN = Domain(
    name="air",
    title="Môi trường không khí và nước thải",
    title_en="Air quality and discharge",
    file_formats=("feeds.air.agency_csv:parse_agency_file",),
    scenario_modules=("feeds.air.scenario",),
    processors=processors,
    config=ConfigSection("air", parse_air_section, AirSettings),
    tile_modules=("widgets.air.aqi_card", "widgets.air.aqi_chart", "widgets.air.discharge_chart",
                  "widgets.air.station_list"),
    popups={"station": "feeds.air.popups:station_popup"},
    procedures=("sop/khong-khi-o-nhiem.toml", "sop/nuoc-thai-vuot-nguong.toml"),
    moved_tile_options={
        **{(tile, "thresholds"): "air.thresholds" for tile in ("aqi_card", "aqi_chart", "station_list",
                                                                "discharge_chart")},
        ("discharge_chart", "limits"): "air.limits.<station>",
    },
)
