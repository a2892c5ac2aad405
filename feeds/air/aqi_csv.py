"""Long-format AQI readings (`station,time,pollutant,value[,unit]`) in, hourly or daily AQI rows out."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

import numpy as np

from feeds.air.aqi import (
    DOMINANCE_ORDER,
    POLLUTANTS,
    AqiTable,
    ReadingRejected,
    StationHours,
    check_concentration,
    daily_table,
    datetime_hour_index,
    hourly_table,
    to_ugm3,
)

INPUT_HEADER = ("station", "time", "pollutant", "value")
OUTPUT_HEADER = ("station", "time", "aqi", "dominant", *POLLUTANTS)


class InputError(ValueError):
    """The input as a whole cannot be read (e.g. a wrong header)."""


@dataclass(frozen=True)
class Reading:
    """One accepted reading: local clock-hour index and value in µg/m³."""

    station: str
    hour: int
    pollutant: str
    value: float


@dataclass(frozen=True)
class Refusal:
    """A refused input row and why."""

    line: int
    reason: str


def parse_time(text: str) -> datetime:
    """ISO 8601 date-time; naive means Asia/Ho_Chi_Minh."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReadingRejected(f"unparsable time {text!r} (ISO 8601 expected)") from None


def parse_value(text: str) -> float:
    """The number in a value field."""
    if not text.strip():
        raise ReadingRejected("missing value")
    try:
        return float(text)
    except ValueError:
        raise ReadingRejected(f"value {text!r} is not a number") from None


def parse_row(fields: list[str], width: int) -> Reading:
    """One data row as a Reading; raises ReadingRejected with the reason."""
    if len(fields) != width:
        raise ReadingRejected(f"expected {width} fields, found {len(fields)}")
    station, time_text, pollutant, value_text = (f.strip() for f in fields[:4])
    if not station:
        raise ReadingRejected("empty station")
    pollutant = pollutant.lower()
    hour = datetime_hour_index(parse_time(time_text))
    unit = fields[4] if width == 5 else ""
    value = check_concentration(pollutant, to_ugm3(pollutant, parse_value(value_text), unit))
    return Reading(station, hour, pollutant, value)


def _header_width(header: list[str]) -> int:
    names = tuple(h.strip().lower() for h in header)
    if names not in (INPUT_HEADER, (*INPUT_HEADER, "unit")):
        raise InputError(f"header must be {','.join(INPUT_HEADER)}[,unit], found {','.join(header)!r}")
    return len(names)


def read_readings(lines: Iterable[str]) -> tuple[list[StationHours], list[Refusal]]:
    """Hourly means per station (sorted by name) and the refused rows with their line numbers."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise InputError("empty input: no header")
    width = _header_width(header)
    collected: dict[str, dict[str, tuple[list[int], list[float]]]] = defaultdict(
        lambda: defaultdict(lambda: ([], []))
    )
    refusals = []
    for fields in reader:
        if not fields:
            continue
        try:
            reading = parse_row(fields, width)
        except ReadingRejected as exc:
            refusals.append(Refusal(reader.line_num, exc.reason))
            continue
        hours, values = collected[reading.station][reading.pollutant]
        hours.append(reading.hour)
        values.append(reading.value)
    stations = [
        StationHours.from_readings(name, {p: (np.array(h, np.int64), np.array(v)) for p, (h, v) in by_p.items()})
        for name, by_p in sorted(collected.items())
    ]
    return stations, refusals


def _cell(value: float) -> str:
    return "" if math.isnan(value) else str(int(value))


def _rows(station: str, table: AqiTable, daily: bool) -> Iterator[list[str]]:
    columns = [table.aqi.tolist(), *(table.sub_indices[p].tolist() for p in POLLUTANTS)]
    dominant = table.dominant.tolist()
    for row, (aqi, *subs) in enumerate(zip(*columns)):
        start = table.start(row)
        label = start.date().isoformat() if daily else start.isoformat()
        name = DOMINANCE_ORDER[dominant[row]] if dominant[row] >= 0 else ""
        yield [station, label, _cell(aqi), name, *(_cell(s) for s in subs)]


def aqi_rows(stations: Iterable[StationHours], standard: str = "vn", daily: bool = False) -> Iterator[list[str]]:
    """Output rows (without header), by station then time: AQI, dominant pollutant, sub-indices."""
    compute = daily_table if daily else hourly_table
    for hours in stations:
        yield from _rows(hours.station, compute(hours, standard), daily)


def write_csv(rows: Iterable[list[str]], out: TextIO) -> None:
    """Write OUTPUT_HEADER and `rows` as CSV."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_HEADER)
    writer.writerows(rows)
