"""`controlroom aqi`: long-format CSV in, hourly or daily AQI CSV out, bad rows refused by line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from desktop.commands import aqi as command
from tests.support.paths import DATA

FIXTURE = DATA / "aqi" / "readings.csv"
HEADER = "station,time,aqi,dominant,so2,no2,co,o3,pm10,pm25"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="controlroom aqi")
    command.configure(parser)
    code = command.run(parser.parse_args(list(argv)))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_contract():
    assert command.NAME == "aqi"
    assert command.HELP and "\n" not in command.HELP


# A: 00:05 20 and 00:55 30 -> 25; 01:00 40 and 01:30 60 -> 50; SO2 100 ppb = 262.0 µg/m³; CO 12 mg/m3.
# 01:00 NowCast (50, 25): w = ½ -> 41.67 -> 50 + 2·16.67 = 83; SO2 50 + 50/225·137.0 = 80; CO 55.


def test_hourly_vn_fixture_sorted_by_station_then_time(capsys):
    code, out, _ = run(capsys, str(FIXTURE))
    assert out.splitlines() == [
        HEADER,
        "A,2024-05-01T00:00:00+07:00,,,,,,,,",
        "A,2024-05-01T01:00:00+07:00,83,pm25,80,,55,,,83",
        "B,2024-05-01T00:00:00+07:00,,,,,,,,",
        "B,2024-05-01T01:00:00+07:00,80,pm25,,,,,,80",
    ]
    assert code == 1  # rows were refused


def test_bad_rows_reported_with_line_numbers_and_reasons(capsys):
    _, _, err = run(capsys, str(FIXTURE))
    expected = {
        10: "value 'abc' is not a number",
        11: "negative",
        12: "physically implausible",
        13: "unknown pollutant 'pm1'",
        14: "unparsable time '01/05/2024 01:40'",
        15: "not valid for pm25",
        16: "unknown unit 'ppt'",
        17: "NaN",
        18: "expected 5 fields, found 3",
    }
    lines = err.splitlines()
    for line, reason in expected.items():
        assert any(e.startswith(f"{FIXTURE}:{line}: ") and reason in e for e in lines), (line, err)
    assert f"{len(expected)} row(s) refused" in lines[-1]
    assert len(lines) == len(expected) + 1


def test_daily_vn_fixture(capsys):
    # A: PM2.5 mean (25 + 50)/2 = 37.5 -> 75; SO2 max 80; CO 55 -> AQI 80 from SO2.
    code, out, _ = run(capsys, str(FIXTURE), "--daily")
    assert out.splitlines() == [HEADER, "A,2024-05-01,80,so2,80,,55,,,75", "B,2024-05-01,80,pm25,,,,,,80"]
    assert code == 1


def test_hourly_us_fixture(capsys):
    # NowCast 41.67 -> 41.6 -> 101 + 49/19.9·6.1 = 116; SO2 100 ppb -> 101 + 49/109·24 = 112;
    # CO has no complete 8-hour window.
    _, out, _ = run(capsys, str(FIXTURE), "--standard", "us")
    assert "A,2024-05-01T01:00:00+07:00,116,pm25,112,,,,,116" in out.splitlines()


def test_clean_input_exits_zero_and_labels_hours_by_start(capsys, tmp_path):
    rows = [f"S,2024-05-01T00:{m:02d}:00,pm25,{10 + m // 5}," for m in range(0, 60, 5)]  # 10..21: 15.5
    rows += ["S,2024-05-01T01:00:00,pm25,15.5,", "S,2024-04-30T18:30:00Z,pm10,100,"]  # 18:30Z = 01:30
    code, out, err = run(capsys, write(tmp_path, "station,time,pollutant,value,unit\n" + "\n".join(rows) + "\n"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        HEADER,
        "S,2024-05-01T00:00:00+07:00,,,,,,,,",  # one PM2.5 hour: no NowCast yet
        "S,2024-05-01T01:00:00+07:00,31,pm25,,,,,,31",  # NowCast 15.5 -> 31; PM10 has one hour only
    ]


def test_daily_dates_split_at_local_midnight(capsys, tmp_path):
    text = "station,time,pollutant,value\nS,2024-05-01T23:30,pm25,25\nS,2024-05-02T00:00,pm25,50\n"
    _, out, _ = run(capsys, write(tmp_path, text), "--daily")
    assert out.splitlines()[1:] == ["S,2024-05-01,50,pm25,,,,,,50", "S,2024-05-02,100,pm25,,,,,,100"]


def test_missing_hours_are_not_available_not_numbers(capsys, tmp_path):
    text = "station,time,pollutant,value\nS,2024-05-01T00:10,pm25,30\nS,2024-05-01T03:10,pm25,30\n"
    _, out, _ = run(capsys, write(tmp_path, text))
    assert [line.split(",")[2] for line in out.splitlines()[1:]] == ["", "", "", ""]


@pytest.mark.parametrize("text", ["", "station,time,value\nS,2024-05-01T00:00,1\n"])
def test_bad_header_exits_2(capsys, tmp_path, text):
    code, out, err = run(capsys, write(tmp_path, text))
    assert code == 2 and out == ""
    assert "header" in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "absent.csv"))
    assert code == 2 and "absent.csv" in err


def test_unknown_standard_is_an_argument_error():
    parser = argparse.ArgumentParser()
    command.configure(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["x.csv", "--standard", "eu"])
