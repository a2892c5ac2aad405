"""AQI by Decision 1459/QĐ-TCMT and the US EPA 2024 table: vectors worked by hand from the tables."""

from __future__ import annotations

import math

import numpy as np
import pytest

from feeds.air.aqi import (
    ReadingRejected,
    StationHours,
    band,
    check_concentration,
    daily_aqi,
    daily_table,
    hourly_aqi,
    hourly_table,
    nowcast,
    sub_index,
    to_ugm3,
)

# Bảng 2 of Decision 1459, transcribed by hand: the concentration at each index level 0..500.
VN_LEVELS = (0, 50, 100, 150, 200, 300, 400, 500)
VN_BREAKPOINTS = {
    ("o3", "1h"): (0, 160, 200, 300, 400, 800, 1000, 1200),
    ("o3", "8h"): (0, 100, 120, 170, 210, 400),
    ("co", None): (0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000),
    ("so2", None): (0, 125, 350, 550, 800, 1600, 2100, 2630),
    ("no2", None): (0, 100, 200, 700, 1200, 2350, 3100, 3850),
    ("pm10", None): (0, 50, 150, 250, 350, 420, 500, 600),
    ("pm25", None): (0, 25, 50, 80, 150, 250, 350, 500),
}
VN_EDGES = [
    (pollutant, period, c, level)
    for (pollutant, period), bps in VN_BREAKPOINTS.items()
    for c, level in zip(bps, VN_LEVELS)
]

# EPA-454/B-24-002 Table 6, transcribed by hand: (unit, [(lo, hi) per row 0-50 .. 301-500]).
US_ROWS = ((0, 50), (51, 100), (101, 150), (151, 200), (201, 300), (301, 500))
US_TABLES = {
    ("pm25", None): ("", [(0.0, 9.0), (9.1, 35.4), (35.5, 55.4), (55.5, 125.4), (125.5, 225.4), (225.5, 325.4)]),
    ("pm10", None): ("", [(0, 54), (55, 154), (155, 254), (255, 354), (355, 424), (425, 604)]),
    ("o3", "8h"): ("ppm", [(0.0, 0.054), (0.055, 0.070), (0.071, 0.085), (0.086, 0.105), (0.106, 0.200), None]),
    ("o3", "1h"): ("ppm", [None, None, (0.125, 0.164), (0.165, 0.204), (0.205, 0.404), (0.405, 0.604)]),
    ("co", None): ("ppm", [(0.0, 4.4), (4.5, 9.4), (9.5, 12.4), (12.5, 15.4), (15.5, 30.4), (30.5, 50.4)]),
    ("so2", "1h"): ("ppb", [(0, 35), (36, 75), (76, 185), (186, 304), None, None]),
    ("so2", "24h"): ("ppb", [None, None, None, None, (305, 604), (605, 1004)]),
    ("no2", None): ("ppb", [(0, 53), (54, 100), (101, 360), (361, 649), (650, 1249), (1250, 2049)]),
}
US_EDGES = [
    (pollutant, period, unit, c, level)
    for (pollutant, period), (unit, rows) in US_TABLES.items()
    for concentrations, levels in zip(rows, US_ROWS)
    if concentrations is not None
    for c, level in zip(concentrations, levels)
]


@pytest.mark.parametrize(("pollutant", "period", "c", "expected"), VN_EDGES)
def test_vn_sub_index_at_every_breakpoint(pollutant, period, c, expected):
    assert sub_index(pollutant, c, "vn", period) == expected


@pytest.mark.parametrize(
    ("pollutant", "period", "c", "expected"),
    [
        ("pm25", None, 37.5, 75),  # 50 + 50/25 * 12.5
        ("pm25", None, 65, 125),  # 100 + 50/30 * 15
        ("pm25", None, 10.25, 21),  # 20.5: half-up, not half-even
        ("pm10", None, 10.5, 11),  # 10.5: half-up
        ("pm10", None, 385, 250),  # 200 + 100/70 * 35
        ("so2", None, 237.5, 75),  # 50 + 50/225 * 112.5
        ("no2", None, 450, 125),  # 100 + 50/500 * 250
        ("co", None, 37_500, 125),  # 100 + 50/15000 * 7500
        ("o3", "1h", 600, 250),  # 200 + 100/400 * 200
        ("o3", "8h", 305, 250),  # 200 + 100/190 * 95
        ("pm25", None, 25.2, 50),  # 50.4 rounds down
        ("pm25", None, 25.3, 51),  # 50.6 rounds up
    ],
)
def test_vn_sub_index_inside_segments(pollutant, period, c, expected):
    assert sub_index(pollutant, c, "vn", period) == expected


@pytest.mark.parametrize(("pollutant", "c"), [("pm25", 500.1), ("pm25", 9000), ("pm10", 2000), ("so2", 5000),
                                              ("no2", 10_000), ("co", 400_000)])
def test_vn_at_or_above_top_row_caps_at_500(pollutant, c):
    assert sub_index(pollutant, c) == 500


def test_vn_o3_8h_table_is_undefined_above_400():
    assert sub_index("o3", 400.5, "vn", "8h") is None
    assert sub_index("o3", 1300, "vn", "1h") == 500


@pytest.mark.parametrize(("pollutant", "period", "unit", "c", "expected"), US_EDGES)
def test_us_sub_index_at_every_breakpoint(pollutant, period, unit, c, expected):
    assert sub_index(pollutant, to_ugm3(pollutant, c, unit), "us", period) == expected


@pytest.mark.parametrize(
    ("pollutant", "period", "unit", "c", "expected"),
    [
        ("pm25", None, "", 12.0, 56),  # 51 + 49/26.3 * 2.9 = 56.40
        ("pm25", None, "", 9.09, 50),  # truncated to 9.0
        ("pm25", None, "", 35.49, 100),  # truncated to 35.4
        ("pm10", None, "", 54.9, 50),  # truncated to 54
        ("o3", "8h", "ppm", 0.0709, 100),  # truncated to 0.070
        ("co", None, "ppm", 4.49, 50),  # truncated to 4.4
        ("so2", "1h", "ppb", 35.9, 50),  # truncated to 35
        ("no2", None, "ppb", 200, 120),  # 101 + 49/259 * 99 = 119.73, rounded
        ("pm25", None, "", 400, 500),  # beyond the AQI: capped
        ("o3", "8h", "ppm", 0.201, None),  # above the 8-hour table: use the 1-hour one
        ("o3", "1h", "ppm", 0.124, None),  # below the 1-hour table
        ("so2", "1h", "ppb", 305, None),  # 1-hour SO2 does not define AQI above 200
    ],
)
def test_us_truncation_and_table_limits(pollutant, period, unit, c, expected):
    assert sub_index(pollutant, to_ugm3(pollutant, c, unit), "us", period) == expected


@pytest.mark.parametrize(
    ("pollutant", "value", "unit", "expected"),
    [
        ("co", 1, "mg/m3", 1000.0),
        ("pm25", 0.035, "mg/m³", 35.0),
        ("so2", 1, "ppb", 64.066 / 24.45),
        ("no2", 1, "ppm", 46.0055 / 24.45 * 1000),
        ("o3", 7, "µg/m³", 7.0),
        ("o3", 7, "ug/m3", 7.0),
    ],
)
def test_unit_conversion_at_25_celsius(pollutant, value, unit, expected):
    assert to_ugm3(pollutant, value, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("pollutant", "value", "fragment"),
    [
        ("pm25", math.nan, "NaN"),
        ("pm25", math.inf, "infinite"),
        ("pm10", -0.1, "negative"),
        ("pm25", 1e9, "implausible"),
        ("co", 2e6, "implausible"),
        ("pm1", 5.0, "unknown pollutant"),
    ],
)
def test_bad_values_are_refused_with_a_reason(pollutant, value, fragment):
    with pytest.raises(ReadingRejected) as info:
        check_concentration(pollutant, value)
    assert fragment in info.value.reason
    with pytest.raises(ReadingRejected):
        sub_index(pollutant, value)


@pytest.mark.parametrize(("pollutant", "unit", "fragment"), [("pm25", "ppb", "not valid for pm25"),
                                                            ("so2", "ppt", "unknown unit")])
def test_wrong_units_are_refused(pollutant, unit, fragment):
    with pytest.raises(ReadingRejected, match=fragment):
        to_ugm3(pollutant, 1.0, unit)


def test_unknown_standard_and_ambiguous_table_are_errors():
    with pytest.raises(ValueError, match="standard"):
        sub_index("pm25", 10, "eu")
    with pytest.raises(ValueError, match="o3_1h"):
        sub_index("o3", 10, "vn")


@pytest.mark.parametrize(
    ("aqi", "level", "hex_", "label_vi"),
    [(0, 1, "#00E400", "Tốt"), (50, 1, "#00E400", "Tốt"), (51, 2, "#FFFF00", "Trung bình"),
     (100, 2, "#FFFF00", "Trung bình"), (101, 3, "#FF7E00", "Kém"), (150, 3, "#FF7E00", "Kém"),
     (151, 4, "#FF0000", "Xấu"), (200, 4, "#FF0000", "Xấu"), (201, 5, "#8F3F97", "Rất xấu"),
     (300, 5, "#8F3F97", "Rất xấu"), (301, 6, "#7E0023", "Nguy hại"), (500, 6, "#7E0023", "Nguy hại")],
)
def test_vn_band_edges(aqi, level, hex_, label_vi):
    b = band(aqi)
    assert (b.level, b.colour_hex, b.label_vi) == (level, hex_, label_vi)
    assert b.message_vi and b.message_en


def test_us_bands_carry_epa_names_and_messages():
    assert band(150, "us").label_en == "Unhealthy for Sensitive Groups"
    assert band(151, "us").label_en == "Unhealthy"
    assert band(500, "us").message_en.startswith("Health warning of emergency conditions")
    assert band(40, "vn").message_vi == "Chất lượng không khí tốt, không ảnh hưởng tới sức khỏe"


# --- NowCast (values are chronological; the last is the current hour c1) ---------------

@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ([30.0] * 12, 30.0),
        ([80, 100], 164 / 1.8),  # w* = 0.8: (100 + 0.8·80) / (1 + 0.8)
        ([80, 90, 100], 223.2 / 2.44),  # (100 + 0.8·90 + 0.64·80) / 2.44
        ([100, 10], 40.0),  # w* = 0.1 -> w = ½: (10 + 50) / 1.5
        ([100, 50], 100 / 1.5),  # w* = ½ exactly -> w = ½
        ([40, None, 20], 24.0),  # missing c2 weighs 0: (20 + ¼·40) / 1.25, w* over present hours
        ([None, 20, 20], 20.0),  # c3 missing, c1 and c2 present
        ([20, 20, None], 20.0),  # c1 missing, c2 and c3 present
        ([1000] + [10] * 12, 10.0),  # a 13th hour is outside the window
        ([1000] + [10] * 11, (10 * (2 - 0.5**10) + 1000 * 0.5**11) / (2 - 0.5**11)),
        ([0, 0, 0], 0.0),
    ],
)
def test_nowcast_weighting(hours, expected):
    assert nowcast(hours) == pytest.approx(expected)


@pytest.mark.parametrize("hours", [[10, 10, 10, None, None], [10, 10, 10, 10, None, None],
                                   [10, None, None], [10], []])
def test_nowcast_needs_two_of_the_three_latest_hours(hours):
    assert nowcast(hours) is None


def test_nowcast_refuses_bad_values():
    with pytest.raises(ReadingRejected, match="NaN"):
        nowcast([10, math.nan, 10])


# --- hourly AQI --------------------------------------------------------------------------

def test_vn_hourly_is_the_maximum_with_dominant_pollutant_and_band():
    result = hourly_aqi({"pm25": [80, 100], "so2": [237.5], "co": [20_000], "no2": [None]})
    # pm25 NowCast 91.11 -> 150 + 50/70 * 11.11 = 157.9 -> 158
    assert result.sub_indices == {"so2": 75, "no2": None, "co": 75, "o3": None, "pm10": None, "pm25": 158}
    assert (result.aqi, result.dominant, result.band.level) == (158, "pm25", 4)
    assert any(r.startswith("no2:") for r in result.reasons)


def test_vn_hourly_o3_uses_the_one_hour_table():
    result = hourly_aqi({"o3": [110] * 12, "pm25": [5, 5]})
    assert result.sub_indices["o3"] == 34  # 110 · 50/160 = 34.4 (the 8-hour table would give 75)
    assert (result.aqi, result.dominant) == (34, "o3")


def test_vn_hourly_needs_pm():
    result = hourly_aqi({"so2": [800], "pm25": [None, None, 20]})
    assert result.sub_indices["so2"] == 200
    assert result.aqi is None and result.dominant is None and result.band is None
    assert any("PM10 or PM2.5" in r for r in result.reasons)


def test_vn_hourly_pm10_alone_is_enough_and_ties_go_to_pm():
    result = hourly_aqi({"pm10": [50, 50], "no2": [100]})
    assert (result.aqi, result.dominant) == (50, "pm10")


def test_hourly_refuses_bad_values():
    with pytest.raises(ReadingRejected, match="negative"):
        hourly_aqi({"pm25": [10, -1]})


def test_us_hourly_without_pm_is_still_an_aqi():
    result = hourly_aqi({"no2": [to_ugm3("no2", 100, "ppb")]}, "us")
    assert (result.aqi, result.dominant, result.band.label_en) == (100, "no2", "Moderate")


def test_us_hourly_pm25_nowcast_and_co_eight_hours():
    co = [to_ugm3("co", 9.4, "ppm")] * 8
    result = hourly_aqi({"pm25": [80, 100], "co": co}, "us")
    # NowCast 91.11 -> 91.1 -> 151 + 49/69.9 * 35.6 = 175.96
    assert result.sub_indices == {"so2": None, "no2": None, "co": 100, "o3": None, "pm10": None, "pm25": 176}
    assert hourly_aqi({"co": co[1:]}, "us").sub_indices["co"] is None  # 7 hours: no 8-hour mean


def test_us_hourly_o3_takes_the_larger_of_8h_and_1h():
    o3 = [to_ugm3("o3", 0.070, "ppm")] * 7 + [to_ugm3("o3", 0.164, "ppm")]
    # 8h mean 0.08175 -> 0.081 -> 101 + 49/0.014 * 0.010 = 136; 1h 0.164 -> 150
    assert hourly_aqi({"o3": o3}, "us").sub_indices["o3"] == 150
    # 8h mean 0.07375 -> 0.073 -> 101 + 49/0.014 * 0.002 = 108; 1h 0.100 is below the 1-hour table
    assert hourly_aqi({"o3": [*o3[:-1], to_ugm3("o3", 0.1, "ppm")]}, "us").sub_indices["o3"] == 108


@pytest.mark.parametrize(
    ("so2_ppb", "expected"),
    [
        ([400] * 24, 232),  # 24-h mean 400 -> 201 + 99/299 * 95 = 232.45
        ([100] * 23 + [400], 200),  # 24-h mean 112.5 < 305: 200
        ([400], 200),  # no complete 24-h window: 200
        ([400] * 23 + [300], 198),  # the current hour is in the 1-hour table: 151 + 49/118 * 114
    ],
)
def test_us_hourly_so2_above_the_one_hour_table(so2_ppb, expected):
    result = hourly_aqi({"so2": [to_ugm3("so2", c, "ppb") for c in so2_ppb]}, "us")
    assert result.sub_indices["so2"] == expected


# --- daily AQI ---------------------------------------------------------------------------

def test_vn_daily_pm_is_the_24h_mean_gases_the_max_hour():
    result = daily_aqi({"pm25": [20] * 12 + [40] * 12, "so2": [10] * 23 + [350], "no2": [450] + [0] * 23})
    assert result.sub_indices == {"so2": 100, "no2": 125, "co": None, "o3": None, "pm10": None, "pm25": 60}
    assert (result.aqi, result.dominant) == (125, "no2")


def test_vn_daily_mean_counts_only_hours_with_data():
    assert daily_aqi({"pm25": [20] * 10 + [None] * 14}).sub_indices["pm25"] == 40


def test_vn_daily_o3_takes_the_larger_of_1h_and_8h():
    assert daily_aqi({"o3": [110] * 31, "pm25": [5] * 24}).sub_indices["o3"] == 75  # 8h table: 75 > 34


def test_vn_daily_o3_drops_the_8h_part_above_400():
    # max 8h mean 500 > 400: only the 1-hour value counts, 200 + 100/400 * 100 = 225
    assert daily_aqi({"o3": [500] * 31, "pm25": [5] * 24}).sub_indices["o3"] == 225


def test_vn_daily_o3_8h_windows_reach_into_the_previous_day():
    day = [200] + [0] * 23
    # window ending 00:00 = 200 -> 150 + 50/40 * 30 = 187.5 -> 188
    assert daily_aqi({"o3": [200] * 7 + day, "pm25": [5] * 31}).sub_indices["o3"] == 188
    # without the previous hours only windows ending 07:00.. are complete: max 25 -> 13 < 1h's 100
    assert daily_aqi({"o3": day, "pm25": [5] * 24}).sub_indices["o3"] == 100


def test_vn_daily_o3_8h_skips_windows_with_gaps():
    o3 = ([150] * 7 + [None]) * 4  # no 8 consecutive hours: 1h only, 150 · 50/160 = 46.9
    assert daily_aqi({"o3": o3, "pm25": [5] * 32}).sub_indices["o3"] == 47


def test_vn_daily_needs_pm():
    assert daily_aqi({"so2": [10] * 24}).aqi is None


def test_us_daily():
    result = daily_aqi({"pm25": [9.1] * 24, "so2": [to_ugm3("so2", c, "ppb") for c in [400] + [100] * 23],
                        "co": [to_ugm3("co", 12.4, "ppm")] * 8 + [0] * 16}, "us")
    assert result.sub_indices == {"so2": 200, "no2": None, "co": 150, "o3": None, "pm10": None, "pm25": 51}
    assert (result.aqi, result.dominant, result.band.label_en) == (200, "so2", "Unhealthy")


# --- series ------------------------------------------------------------------------------

def test_five_minute_readings_average_into_clock_hours():
    hours = np.array([10] * 12 + [11] * 3 + [13])
    values = np.array([20.0] * 6 + [40.0] * 6 + [10, 20, 30] + [7])
    series = StationHours.from_readings("S", {"pm25": (hours, values)})
    assert series.first_hour == 10
    np.testing.assert_allclose(series.means["pm25"], [30, 20, np.nan, 7])
    assert np.isnan(series.means["so2"]).all()
    # NowCast in VN: 11:00 c1=20, c2=30, w=2/3 -> 24 -> 48; 12:00 (no data) c2=20, c3=30 -> 24 -> 48;
    # 13:00 c1=7, c3=20, c4=30, w=½ -> (7 + 5 + 3.75)/1.375 = 11.45 -> 23
    pm25 = [hourly_table(series).result(row).sub_indices["pm25"] for row in range(4)]
    assert pm25 == [None, 48, 48, 23]


def test_readings_with_bad_values_are_refused():
    with pytest.raises(ReadingRejected, match="pm10 value is NaN"):
        StationHours.from_readings("S", {"pm10": (np.array([1, 2]), np.array([5.0, np.nan]))})


def test_half_up_rounding_survives_float_noise_in_means():
    # (2.3 + 2.4 + 2.8) / 3 is 2.4999999999999996 in binary floating point; by the book it is 2.5 -> 3
    series = StationHours.from_readings("S", {"pm10": (np.array([0, 0, 0]), np.array([2.3, 2.4, 2.8]))})
    assert daily_table(series).result(0).sub_indices["pm10"] == 3
