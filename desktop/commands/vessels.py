"""`controlroom vessels classify`: geofence state of each vessel's latest report, as JSON lines."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from feeds.fleet.ais import (
    ReadStats,
    Rejected,
    VesselReport,
    VesselStatic,
    format_time,
    parse_time,
    read_nmea,
    read_positions_csv,
)
from feeds.fleet.geofence import DEFAULT_NEAR_NM, ZoneError, ZoneSet, classify_many, reporting_interval_s

NAME = "vessels"
HELP = "fishing vessels: classify positions (CSV or AIS NMEA) against geofence zones"

EXIT_UNREADABLE = 2
_NMEA = re.compile(r"[!$][A-Z]{2}VD[MO],|^\\")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `classify` subcommand and its arguments."""
    sub = parser.add_subparsers(dest="vessels_command", required=True, metavar="COMMAND")
    classify = sub.add_parser(
        "classify",
        help="one JSON line per vessel: its latest report and geofence state",
        description="Read positions (CSV id,time,lat,lon[,sog,cog,distress] or AIS NMEA !AIVDM lines) and "
        "print one JSON line per vessel with its latest report: id, time, lat, lon, state, boundary_nm, zone. "
        "NMEA lines take their time from a tag block (\\c:EPOCH*hh\\) or a leading timestamp, "
        "else the time they are read.",
    )
    classify.add_argument("positions", metavar="POSITIONS", help="CSV or NMEA file; - for standard input")
    classify.add_argument(
        "--zones", metavar="ZONES.geojson", help="zone file (default: the bundled Thanh Hóa zones)"
    )
    classify.add_argument(
        "--near-nm",
        type=_non_negative,
        default=DEFAULT_NEAR_NM,
        metavar="NM",
        help=f"near_boundary within this many nautical miles of a boundary line (default {DEFAULT_NEAR_NM:g})",
    )
    classify.add_argument(
        "--now", type=_time, metavar="TIME", help="time to judge lost_signal at (default: the newest report)"
    )


def run(args: argparse.Namespace) -> int:
    """Print the JSON lines; counts and rejected lines go to standard error."""
    try:
        zones = ZoneSet.load(args.zones) if args.zones else ZoneSet.bundled()
        lines = _read_lines(args.positions)
    except (OSError, ZoneError, UnicodeDecodeError) as exc:
        print(f"vessels classify: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    stats = ReadStats()
    reports, lengths = _latest(_records(lines, stats))
    for row in _classified(zones, reports, lengths, args.now, args.near_nm):
        print(json.dumps(row, ensure_ascii=False))
    print(f"vessels classify: {len(reports)} vessels; {stats.summary()}", file=sys.stderr)
    for example in stats.examples:
        print(f"vessels classify: {args.positions}: {example}", file=sys.stderr)
    return 0


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected nautical miles, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError("expected a distance of 0 nm or more")
    return value


def _time(text: str) -> float:
    try:
        return parse_time(text)
    except Rejected:
        raise argparse.ArgumentTypeError(f"expected ISO 8601 or epoch seconds, got {text!r}") from None


def _read_lines(path: str) -> list[str]:
    if path == "-":
        return sys.stdin.read().splitlines()
    return Path(path).read_text(encoding="utf-8-sig", errors="replace").splitlines()


def _records(lines: Sequence[str], stats: ReadStats) -> Iterable[VesselReport | VesselStatic]:
    """NMEA records if the first meaningful line is an AIS sentence, else CSV reports."""
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if _NMEA.search(first):
        return read_nmea(lines, source="nmea", stats=stats)
    return read_positions_csv(lines, source="csv", stats=stats)


def _latest(records: Iterable[VesselReport | VesselStatic]) -> tuple[dict[str, VesselReport], dict[str, float]]:
    """Each vessel's newest report (the later line wins a tie) and its last known length."""
    reports: dict[str, VesselReport] = {}
    lengths: dict[str, float] = {}
    for record in records:
        if isinstance(record, VesselStatic):
            if record.length_m is not None:
                lengths[record.id] = record.length_m
        elif record.id not in reports or record.time >= reports[record.id].time:
            reports[record.id] = record
    return reports, lengths


def _classified(
    zones: ZoneSet, reports: dict[str, VesselReport], lengths: dict[str, float], now: float | None, near_nm: float
) -> list[dict[str, object]]:
    """One output row per vessel, sorted by id."""
    latest = [reports[key] for key in sorted(reports)]
    if not latest:
        return []
    times = np.array([r.time for r in latest])
    result = classify_many(
        zones,
        [r.lat for r in latest],
        [r.lon for r in latest],
        silence_s=(times.max() if now is None else now) - times,
        interval_s=[reporting_interval_s(lengths.get(r.id)) for r in latest],
        distress=[r.distress for r in latest],
        near_nm=near_nm,
    )
    return [
        {
            "id": report.id,
            "time": format_time(report.time),
            "lat": report.lat,
            "lon": report.lon,
            "state": result.state(i).value,
            "boundary_nm": None if np.isnan(result.boundary_nm[i]) else round(float(result.boundary_nm[i]), 3),
            "zone": zones.zones[result.zone_index[i]].name if result.zone_index[i] >= 0 else None,
        }
        for i, report in enumerate(latest)
    ]
