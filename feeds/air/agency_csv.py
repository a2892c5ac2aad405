"""The environment agency's drop-folder CSV (``station,time,pollutant,value[,unit]``) as air readings.

Declared by the air domain as a drop-folder file format: the generic ``file://`` source offers each CSV to
the formats of every domain before its own ``key,time,value`` rows."""

from __future__ import annotations

import csv
import io

from feeds.air.aqi import ReadingRejected, check_concentration, to_ugm3
from feeds.air.aqi_csv import INPUT_HEADER, parse_time, parse_value
from feeds.air.stations import POLLUTANT_LABELS
from feeds.core.payloads import LOCAL_TZ
from feeds.core.records import Measurement

AGENCY_HEADER = ",".join(INPUT_HEADER)


def parse_agency_file(text: str, source: str) -> tuple[list[Measurement], list[tuple[int, str]]] | None:
    """The readings and refused rows of an agency file, or None when `text` is not one (told by its header)."""
    if not text.lstrip().lower().startswith(AGENCY_HEADER):
        return None
    return agency_csv_records(text, source)


def agency_csv_records(text: str, source: str) -> tuple[list[Measurement], list[tuple[int, str]]]:
    """The agency's long-format CSV (``station,time,pollutant,value[,unit]``, as dropped on FTP every
    5 minutes) as raw readings ``air/<station>/<pollutant>`` in µg/m³, and the refused rows
    (line number, reason). For the drop-folder source: a file with this header goes through here."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) not in (INPUT_HEADER, (*INPUT_HEADER, "unit")):
        return [], [(1, f"header must be {','.join(INPUT_HEADER)}[,unit]")]
    records: list[Measurement] = []
    refused: list[tuple[int, str]] = []
    for fields in reader:
        if not fields:
            continue
        try:
            if len(fields) != len(header):
                raise ReadingRejected(f"expected {len(header)} fields, found {len(fields)}")
            station, when, pollutant = fields[0].strip(), fields[1], fields[2].strip().lower()
            if not station or "/" in station:
                raise ReadingRejected(f"bad station id {station!r}")
            moment = parse_time(when)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=LOCAL_TZ)
            unit = fields[4] if len(fields) == 5 else ""
            value = check_concentration(pollutant, to_ugm3(pollutant, parse_value(fields[3]), unit))
            records.append(Measurement(key=f"air/{station}/{pollutant}", value=value, ts=moment.timestamp(),
                                       source=source, unit="µg/m³", label=POLLUTANT_LABELS[pollutant]))
        except ReadingRejected as exc:
            refused.append((reader.line_num, exc.reason))
    return records, refused
