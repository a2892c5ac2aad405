"""Each domain's configuration section, read by the core loader: mistakes name the file and the dotted key,
absent sections give the domain's defaults, and alerting left in tile options is refused naming its new key."""

from __future__ import annotations

import pytest

from desktop.config.loader import ConfigError, load_config, parse_config
from feeds.core.domain import processor_specs
from feeds.core.processing import ProcessorContext
from tests.support.paths import DATA
from widgets.base.registry import tile_types


def parse(text: str, file: str = "site.toml"):
    return parse_config(text, file, tile_types())


@pytest.mark.parametrize(("text", "key", "expected"), [
    ("[air]\nthresholds = { sam-son = [200, 150] }", "air.thresholds.sam-son", "below the critical one"),
    ("[air.limits]\nf1 = { cdo = 5 }", "air.limits.f1", "unknown parameter(s) cdo"),
    ("[air]\nclear_count = 0", "air.clear_count", "positive integer"),
    ("[air]\nthreshold = 5", "air.threshold", "unknown key"),
    ("[fleet]\nnear_nm = 0", "fleet.near_nm", "between 0 and 50"),
    ('[fleet]\nnear_nm = "5"', "fleet.near_nm", "expected an integer or a number"),
    ('[fleet]\nzones = "missing.geojson"', "fleet.zones", "cannot use"),
    ('[fleet]\nzone = "x"', "fleet.zone", "unknown key"),
    ("[cache.retention]\nevnts = 30", "cache.retention.evnts", "unknown key"),
    ("[cache.retention]\nevents = -1", "cache.retention.events", "≥ 0"),
    ('[cache.retention]\nevents = "a month"', "cache.retention.events", "number of days"),
    ("[water]\nlimit = 3", "water", "unknown key"),
])
def test_a_mistake_in_a_section_names_the_file_and_the_dotted_key(text, key, expected):
    with pytest.raises(ConfigError) as caught:
        parse(text + "\n")
    assert (caught.value.file, caught.value.key) == ("site.toml", key)
    assert expected in caught.value.message


def test_an_unknown_section_lists_the_core_keys_and_every_domain_section():
    with pytest.raises(ConfigError) as caught:
        parse("[water]\nlimit = 3\n")
    for section in ("air", "fleet", "cameras", "alerts", "feeds", "layouts", "cache"):
        assert section in caught.value.message


def test_sections_absent_from_the_file_give_each_domain_its_defaults():
    config = parse("")
    assert config.section("air").station_thresholds("sam-son") == (150.0, 200.0)
    assert config.section("fleet").near_nm == 5.0
    assert config.section("cameras") == {} and config.section("alerts").spec.rules == ()
    assert set(config.retention.days) >= {"events", "alerts", "rejects", "scene_log", "files_seen", "deliveries",
                                          "store_log"}


def test_fleet_zones_are_read_relative_to_the_configuration_file(tmp_path):
    (tmp_path / "zones.geojson").write_bytes((DATA / "vessels" / "zones.geojson").read_bytes())
    config = parse('[fleet]\nzones = "zones.geojson"\nnear_nm = 3\n', str(tmp_path / "site.toml"))
    assert config.section("fleet").zones == str(tmp_path / "zones.geojson")
    assert config.section("fleet").near_nm == 3.0


def test_the_demo_configuration_drives_the_air_processor():
    config = load_config(None, tile_types())
    assert config.feeds["air"].address == "sim://air"
    (spec,) = [s for s in processor_specs(config.domains, list(config.feeds.values())) if "air" in s.factory]
    settings = spec.options["settings"]
    assert settings.station_thresholds("sam-son") == (100.0, 150.0)
    assert settings.station_thresholds("bim-son") == (150.0, 200.0)
    processor = spec.build(ProcessorContext(store=None, submit=lambda record: None))
    assert processor.settings.limit("nsrp", "cod") == (None, 120.0)
    assert processor.settings.limit("xm-bim-son", "cod") == (None, 150.0)  # QCVN 40 column B


@pytest.mark.parametrize(("tile", "option", "new_key"), [
    ("station_list", "thresholds", "air.thresholds"),
    ("aqi_card", "thresholds", "air.thresholds"),
    ("discharge_chart", "limits", "air.limits.<station>"),
])
def test_alerting_in_tile_options_is_refused_naming_the_new_key(tile, option, new_key):
    text = (f'[layouts.x]\nrows = 1\ncols = 1\n[[layouts.x.tiles]]\ntype = "{tile}"\nkey = "discharge/f1/#"\n'
            f'options = {{ {option} = {{ cod = 90 }} }}\n')
    with pytest.raises(ConfigError) as caught:
        parse(text)
    assert caught.value.key == f"layouts.x.tiles[0].options.{option}"
    assert f"[{new_key}]" in str(caught.value)


def test_every_bundled_procedure_is_declared_by_a_domain_and_loads():
    from desktop.session import domain_procedures
    from feeds.alerts.procedures import SopLibrary
    from tests.support.paths import ROOT

    declared = domain_procedures()
    assert sorted(p.name for p in declared) == sorted(p.name for p in (ROOT / "resources" / "sop").glob("*.toml"))
    library = SopLibrary.load_files(declared)
    assert library.errors == [] and len(library.procedures) == len(declared)
