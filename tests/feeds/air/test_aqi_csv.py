"""Reading the agency's long-format rows: units, local time, implausible times."""

from __future__ import annotations

import pytest

from feeds.air.aqi import ReadingRejected
from feeds.air.aqi_csv import parse_row


@pytest.mark.parametrize(("when", "fragment"), [("1970-01-01T00:00", "before 1975-06-13"),
                                              ("2999-01-01T00:00", "in the future")])
def test_times_outside_the_plausible_range_are_refused(when, fragment):
    with pytest.raises(ReadingRejected, match=fragment):
        parse_row(["S", when, "pm25", "10"], 4)


def test_parse_row_converts_units_and_local_time():
    reading = parse_row(["S", "2024-05-01T07:05:00", "CO", "1.5", "mg/m3"], 5)
    assert (reading.pollutant, reading.value) == ("co", 1500.0)
    assert reading.hour == parse_row(["S", "2024-05-01T00:59:59+00:00", "co", "1", ""], 5).hour
