"""`controlroom aqi`: hourly or daily AQI from long-format readings, as CSV on standard output."""

from __future__ import annotations

import argparse
import sys

from feeds.air.aqi import STANDARDS
from feeds.air.aqi_csv import InputError, aqi_rows, read_readings, write_csv

NAME = "aqi"
HELP = "compute hourly or daily AQI (VN_AQI 1459 or US EPA) from station,time,pollutant,value CSV"

EXIT_REFUSED_ROWS = 1
EXIT_UNREADABLE = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the aqi arguments."""
    parser.add_argument("input", metavar="INPUT.csv", help="readings: station,time,pollutant,value[,unit]; - for stdin")
    parser.add_argument("--standard", choices=STANDARDS, default="vn",
                        help="vn: Decision 1459/QĐ-TCMT (default); us: US EPA AQI, 2024 table")
    parser.add_argument("--daily", action="store_true", help="one row per station and date instead of per hour")


def run(args: argparse.Namespace) -> int:
    """Write the AQI CSV; report refused rows on stderr; non-zero exit if any row was refused."""
    try:
        if args.input == "-":
            stations, refusals = read_readings(sys.stdin)
        else:
            with open(args.input, encoding="utf-8-sig", newline="") as lines:
                stations, refusals = read_readings(lines)
    except (OSError, InputError, UnicodeDecodeError) as exc:
        print(f"{args.input}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    write_csv(aqi_rows(stations, args.standard, args.daily), sys.stdout)
    for refusal in refusals:
        print(f"{args.input}:{refusal.line}: {refusal.reason}", file=sys.stderr)
    if refusals:
        print(f"{args.input}: {len(refusals)} row(s) refused", file=sys.stderr)
        return EXIT_REFUSED_ROWS
    return 0
