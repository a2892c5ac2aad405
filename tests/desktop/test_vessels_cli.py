"""`controlroom vessels classify`: CSV or NMEA positions in, one JSON line per vessel out."""

from __future__ import annotations

import argparse
import json

from desktop.commands import vessels as command
from tests.support.paths import DATA

DATA = DATA / "vessels"
ZONES = str(DATA / "zones.geojson")
KEYS = ["id", "time", "lat", "lon", "state", "boundary_nm", "zone"]


def run(capsys, *argv: str) -> tuple[int, dict[str, dict], str]:
    parser = argparse.ArgumentParser(prog="controlroom vessels")
    command.configure(parser)
    code = command.run(parser.parse_args(list(argv)))
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(list(row) == KEYS for row in rows)
    return code, {row["id"]: row for row in rows}, err


def test_contract():
    assert command.NAME == "vessels"
    assert command.HELP and "\n" not in command.HELP


def test_csv_latest_report_per_vessel_with_state_distance_and_zone(capsys):
    code, rows, err = run(capsys, "classify", str(DATA / "positions.csv"), "--zones", ZONES)
    assert code == 0
    assert rows["TH-90001-TS"] == {
        "id": "TH-90001-TS",
        "time": "2024-05-01T03:00:00Z",
        "lat": 19.25,
        "lon": 106.25,
        "state": "violating",  # in the hole of the permitted area
        "boundary_nm": 14.192,
        "zone": None,
    }
    states = {key: row["state"] for key, row in rows.items()}
    assert states == {
        "TH-90001-TS": "violating",
        "TH-90002-TS": "inside",  # 1.5 h before the newest report: within the 2 h default
        "TH-90003-TS": "near_boundary",
        "TH-90004-TS": "at_port",
        "TH-90005-TS": "distress",
    }
    assert rows["TH-90004-TS"]["zone"] == "Cảng điểm"
    assert "rejected 3 (bad lat: 1, missing position: 1, position not available: 1)" in err
    assert "positions.csv: line 9: position not available" in err


def test_lost_signal_is_measured_against_now(capsys):
    _, rows, _ = run(capsys, "classify", str(DATA / "positions.csv"), "--zones", ZONES, "--now", "2024-05-01T04:00:00Z")
    assert rows["TH-90002-TS"]["state"] == "lost_signal"  # 2.5 h of silence
    assert rows["TH-90003-TS"]["state"] == "near_boundary"  # 1 h


def test_near_nm_option(capsys):
    _, rows, _ = run(capsys, "classify", str(DATA / "positions.csv"), "--zones", ZONES, "--near-nm", "2")
    assert rows["TH-90003-TS"]["state"] == "inside"  # 2.27 nm from the line


def test_nmea_ids_are_mmsis_and_lengths_from_type_5_set_the_interval(capsys):
    code, rows, err = run(capsys, "classify", str(DATA / "positions.nmea"), "--zones", ZONES)
    assert code == 0
    states = {key: row["state"] for key, row in rows.items()}
    assert states == {
        "574000001": "lost_signal",  # 30 m, silent 3 h: the 2 h rule
        "574000002": "inside",  # 20 m, silent 2.5 h: the 3 h rule
        "574000003": "lost_signal",  # length unknown, silent 2.5 h: the strict 2 h default
        "574000004": "violating",
        "574000005": "distress",
        "574000007": "at_port",
    }
    assert rows["574000004"]["zone"] == "Khu bảo tồn X"
    assert "574000006" not in rows  # lat 91 / lon 181
    assert "bad checksum: 1" in err and "position not available: 1" in err


def test_bundled_zones_by_default(capsys):
    _, rows, _ = run(capsys, "classify", str(DATA / "positions.csv"))
    assert rows["TH-90002-TS"]["zone"] == "Vùng biển Việt Nam trong Vịnh Bắc Bộ (ước lượng)"


def test_unreadable_input_exits_2(capsys, tmp_path):
    parser = argparse.ArgumentParser()
    command.configure(parser)
    assert command.run(parser.parse_args(["classify", str(tmp_path / "missing.csv"), "--zones", ZONES])) == 2
    bad_zones = tmp_path / "zones.geojson"
    bad_zones.write_text('{"type": "Feature", "properties": {"name": "x", "kind": "lake"}}', encoding="utf-8")
    assert command.run(parser.parse_args(["classify", str(DATA / "positions.csv"), "--zones", str(bad_zones)])) == 2
    out, err = capsys.readouterr()
    assert out == "" and "properties.kind" in err
