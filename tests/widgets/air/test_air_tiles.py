"""Air-quality and discharge tiles: charts with bands/limit lines, ranges, crosshair, the AQI card, the
station list; malformed records never crash a tile. Screenshots go to $AIR_SHOTS (default: tmp_path)."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import pyqtgraph as pg
import pytest

from feeds.air.aqi import band
from feeds.air.processor import AirQualityProcessor
from feeds.air.settings import AirSettings
from feeds.core.records import AlertEvent, Measurement
from feeds.sim.scenarios import make_scenario
from widgets.base.registry import create_tile
from widgets.base.spec import TileSpec
from widgets.base.tile import ErrorTile, TileContext

NOW = time.time()


@pytest.fixture(scope="module")
def air_records():
    """A day of sim://air readings with the processor's derived records, oldest first."""
    sim = make_scenario("air", {"seed": 7, "speed": 1.0, "source": "air"})
    readings = sim.start(NOW, backfill=24)
    return sorted(readings + AirQualityProcessor()(readings), key=lambda r: r.ts)


@pytest.fixture
def shots(tmp_path) -> Path:
    path = Path(os.environ.get("AIR_SHOTS", tmp_path))
    path.mkdir(parents=True, exist_ok=True)
    return path


def make(app, spec: TileSpec, size=(900, 520), language="vi", settings=None):
    tile = create_tile(spec, TileContext(language=language, settings=settings or {}))
    tile.resize(*size)
    tile.show()
    return tile


def feed(tile, records):
    tile.show_records([r for r in records if tile.wants(r)])
    tile.refresh_age(time.time())


def colours(image, step=7) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def grab(app, tile, path: Path):
    app.processEvents()
    image = tile.grab().toImage()
    assert image.save(str(path))
    return image


def test_aqi_chart_bands_curves_ranges_and_crosshair(app, air_records, shots):
    tile = make(app, TileSpec("aqi_chart", "AQI", feed="air", key="air/#"))
    feed(tile, air_records)
    regions = [i for i in tile.plot.items if isinstance(i, pg.LinearRegionItem)]
    assert [tuple(r.getRegion()) for r in regions] == [(0, 50), (50, 100), (100, 150), (150, 200), (200, 300),
                                                       (300, 500)]
    assert regions[0].brush.color().name() == band(10).colour_hex.lower()
    assert len(tile.curves) == 7
    xs, ys = tile.curves["bim-son"].getData()
    assert len(xs) > 250 and all(0 < y <= 500 for y in ys)
    (x0, x1), (y0, y1) = tile.plot.vb.viewRange()
    assert x1 - x0 == pytest.approx(86400, rel=0.05) and y0 == 0 and y1 >= 200
    image = grab(app, tile, shots / "aqi_chart_compare.png")
    assert colours(image) > 40  # bands + 7 curves, not a blank chart
    tile.ranges.buttons["7d"].click()
    (x0, x1), _ = tile.plot.vb.viewRange()
    assert tile.range_name == "7d" and x1 - x0 == pytest.approx(7 * 86400, rel=0.05)
    tile.set_range("30d")
    (x0, x1), _ = tile.plot.vb.viewRange()
    assert x1 - x0 == pytest.approx(30 * 86400, rel=0.05)
    # Crosshair: nearest point to the cursor, with time, value and band.
    ts, value = tile.series["bim-son"].last()
    text = tile.crosshair_at(ts, value)
    assert f"AQI {value:.0f}" in text and band(int(value)).label_vi in text and "Bỉm Sơn" in text
    assert tile.cross_v.isVisible() and tile.cross_v.value() == ts


def test_single_station_and_pollutant_chart_with_national_limit(app, air_records, shots):
    one = make(app, TileSpec("aqi_chart", "AQI Nghi Sơn", key="air/#",
                             options={"stations": ["nghi-son-hai-thuong"], "range": "7d"}))
    feed(one, air_records)
    assert list(one.curves) == ["nghi-son-hai-thuong"] and one.range_name == "7d"
    grab(app, one, shots / "aqi_chart_single.png")
    pm = make(app, TileSpec("aqi_chart", "PM2.5", key="air/#", options={"series": "pm25"}))
    feed(pm, air_records)
    assert pm.limit_line is not None and pm.limit_line.value() == 50 and pm.limit_line in pm.plot.items
    assert not [i for i in pm.plot.items if isinstance(i, pg.LinearRegionItem)]
    xs, ys = pm.curves["tp-dong-tho"].getData()
    assert 20 <= len(xs) <= 25  # hourly means of a day
    _, (_y0, y1) = pm.plot.vb.viewRange()
    assert y1 > 50  # the limit is in view
    assert colours(grab(app, pm, shots / "pm25_chart.png")) > 30
    assert "µg/m³" in pm.crosshair_at(xs[-1], ys[-1])


def test_chart_options_are_validated(app):
    bad = create_tile(TileSpec("aqi_chart", "x", key="air/#", options={"series": "lead"}), TileContext())
    assert isinstance(bad, ErrorTile) and "series" in bad.reason
    bad = create_tile(TileSpec("discharge_chart", "x", key="discharge/#"), TileContext())
    assert isinstance(bad, ErrorTile)


def test_aqi_card_number_colour_pollutant_message_trend(app, shots):
    tile = make(app, TileSpec("aqi_card", "AQI TP Thanh Hóa", key="air/tp/aqi"), size=(420, 300))
    tile.show_history([(NOW - 3600, 120.0), (NOW - 1800, 140.0)])
    tile.show_records([Measurement("air/tp/aqi", 163.0, NOW, "air", "AQI", "pm25")])
    tile.refresh_age(NOW + 1)
    bad = band(163)
    assert tile.value_label.text() == "163" and tile.colour == bad.colour_hex == "#FF0000"
    assert bad.colour_hex in tile.badge.styleSheet()
    assert tile.band_label.text() == bad.label_vi
    assert "PM2.5" in tile.dominant_label.text()
    assert tile.message_label.text() == bad.message_vi
    assert "▲" in tile.trend_label.text() and "43" in tile.trend_label.text()
    image = grab(app, tile, shots / "aqi_card.png")
    assert colours(image) > 5
    # Yellow band: dark text for contrast; English messages in English.
    en = make(app, TileSpec("aqi_card", "AQI", key="air/tp/aqi"), size=(420, 300), language="en")
    en.show_records([Measurement("air/tp/aqi", 75.0, NOW, "air", "AQI", "o3")])
    assert en.band_label.text() == "Moderate" and en.message_label.text() == band(75).message_en
    assert "color: #000000" in en.badge.styleSheet()
    grab(app, en, shots / "aqi_card_en.png")


def test_station_list_coloured_and_sorted(app, air_records, shots):
    tile = make(app, TileSpec("station_list", "Trạm", key="air/#"), size=(700, 360))
    feed(tile, air_records)
    rows = tile.rows()
    assert len(rows) == 7 and [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    for i, (_station, aqi, colour, _) in enumerate(rows):
        assert colour == band(int(aqi)).colour_hex
        assert tile.table.item(i, 0).background().color().name().upper() == colour
        assert tile.table.item(i, 0).text() == f"{aqi:.0f}"
    tile.show_records([Measurement("air/sam-son/aqi", 320.0, NOW + 600, "air", "AQI", "pm10")])
    assert tile.rows()[0][:3] == ("sam-son", 320.0, "#7E0023")
    assert tile.table.item(0, 1).text() == "Sầm Sơn"
    grab(app, tile, shots / "station_list.png")


def test_discharge_chart_limit_lines_and_exceedance(app, air_records, shots):
    spec = TileSpec("discharge_chart", "Nước thải NSRP", key="discharge/nsrp/#")
    air = AirSettings.from_options({"limits": {"nsrp": {"cod": 120, "ph": [6.0, 9.0], "flow": 1200}}})
    tile = make(app, spec, size=(900, 520), settings={"air": air})  # the limits it alerts on, from [air]
    feed(tile, air_records)
    assert [line.value() for line in tile.limit_lines["ph"]] == [6.0, 9.0]
    assert [line.value() for line in tile.limit_lines["cod"]] == [120]
    assert [line.value() for line in tile.limit_lines["tss"]] == [100]  # QCVN 40 column B default
    assert all(len(tile.curves[p].getData()[0]) > 250 for p in tile.params)
    image = grab(app, tile, shots / "discharge_chart.png")
    assert colours(image) > 20
    tile.show_records([Measurement("discharge/nsrp/cod", 180.0, NOW + 300, "air", "mg/L")])
    assert tile.over["cod"] and "COD" in tile.summary.text()
    assert tile.curves["cod"].opts["pen"].color().name() == "#f85149"
    tile.set_range("7d")
    assert tile.plots["cod"].vb.viewRange()[0][1] - tile.plots["cod"].vb.viewRange()[0][0] == pytest.approx(
        7 * 86400, rel=0.05)


def broken(key: str, value: float) -> Measurement:
    m = Measurement(key, 1.0, NOW, "air", "AQI", "pm25")
    object.__setattr__(m, "value", value)  # what a buggy source could hand over
    return m


@pytest.mark.parametrize("spec", [
    TileSpec("aqi_chart", "c", key="air/#"), TileSpec("aqi_chart", "c", key="air/#", options={"series": "pm25"}),
    TileSpec("aqi_card", "c", key="air/x/aqi"), TileSpec("station_list", "s", key="air/#"),
    TileSpec("discharge_chart", "d", key="discharge/x/#")], ids=lambda s: s.type)
def test_malformed_records_never_crash_a_tile(app, spec):
    tile = make(app, spec, size=(500, 300))
    garbage = [broken("air/x/aqi", math.nan), broken("air/x/aqi", math.inf), broken("air/x/pm25/1h", math.nan),
               broken("discharge/x/cod", math.nan), broken("air/x/aqi", "12"),  # type: ignore[arg-type]
               AlertEvent("a", "air/x/aqi", "warning", "t", NOW, "air"), None, "text",  # type: ignore[list-item]
               Measurement("air", 5.0, NOW, "air"), Measurement("air/x/aqi/extra/deep", 5.0, NOW, "air")]
    tile.show_records(garbage)
    tile.show_history([(NOW, math.nan), (NOW, math.inf), (math.inf, 1.0)])
    tile.refresh_age(NOW)
    if hasattr(tile, "show_key_history"):
        tile.show_key_history({"air/x/aqi": [(NOW, math.nan), (NOW, math.inf), (math.nan, 3.0)],
                               "discharge/x/cod": [(NOW, math.inf), (NOW, "x")]})
    app.processEvents()
    tile.grab()
    # Still works afterwards.
    tile.show_records([Measurement(spec.key.replace("#", "cod") if "discharge" in spec.key else "air/x/aqi",
                                   42.0, NOW + 1, "air", "AQI", "pm25"),
                       Measurement("air/x/pm25/1h", 42.0, NOW + 1, "air")])
    assert tile.last_ts is not None


def test_grid_gives_multi_key_charts_their_cached_history(app, cache, qtbot):
    from desktop.config.layouts import place
    from desktop.windows.tile_grid import TileGrid

    cache.store([Measurement("air/a/aqi", float(60 + k), NOW - 3600 + k * 300, "air", "AQI", "pm25")
                 for k in range(12)])
    grid = TileGrid(TileContext(), cache)
    qtbot.addWidget(grid)  # deleted at teardown inside Qt's rules, with the replaced tiles' deferred deletes
    grid.apply(place("t", [TileSpec("aqi_chart", "c", key="air/#")], rows=1, cols=1))
    grid.dispatch([Measurement("air/a/aqi", 80.0, NOW, "air", "AQI", "pm25")])
    chart = grid.tiles[0]
    assert len(chart.series["a"].ts) == 13  # 12 cached + the live one
    grid.apply(place("empty", [], rows=1, cols=1))  # the deferred second answer goes nowhere now
    qtbot.wait(10)  # let the replaced chart's deferred deletion run while its grid is alive


def test_series_keeps_order_ignores_repeats_and_trims():
    from widgets.air.series import Series

    series = Series(keep_s=1000)
    for ts in (10.0, 30.0, 20.0, 30.0, 5.0):
        series.add(ts, ts * 2)
    assert list(series.ts) == [5.0, 10.0, 20.0, 30.0] and list(series.values) == [10.0, 20.0, 40.0, 60.0]
    for k in range(1, 400):
        series.add(30.0 + k * 10, 1.0)
    assert series.ts[0] >= series.ts[-1] - 1100 and len(series) < 120
    assert list(series.window(series.ts[-1] - 20)[0]) == [series.ts[-3], series.ts[-2], series.ts[-1]]
    assert series.value_at(series.ts[-1] + 999)[0] == series.ts[-1]
