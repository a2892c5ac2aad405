"""Vessel position readers: AIS NMEA 0183 (``!AIVDM``/``!AIVDO``, decoded with pyais) and CSV.

Readers take an iterable of text lines, so a file, a TCP stream or UDP datagrams can
feed them; blank lines and lines starting with ``#`` are skipped. A line that cannot
be used is counted by reason in `ReadStats` and never stops the reader. Positions that are not
available (AIS lat 91 / lon 181), out of range, or exactly 0,0 (a common receiver default) are rejected,
never reported.

Times are epoch seconds (UTC). An NMEA line takes its time from a tag block
``c:`` field (``\\c:1700000000*hh\\!AIVDM...``, seconds or milliseconds) or from a
timestamp before the sentence (``2024-05-01T03:00:00Z !AIVDM...`` or
``1714532400 !AIVDM...``); otherwise from the reader's clock (receive time).
"""

from __future__ import annotations

import csv
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pyais.exceptions import AISBaseException, UnknownMessageException
from pyais.messages import AISSentence, NMEASentenceFactory

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
STATIC_TYPES = frozenset({5, 19, 24})
# Navigational status 14: AIS-SART, MOB-AIS or EPIRB-AIS active.
DISTRESS_NAV_STATUS = 14
# MMSIs of AIS-SART (970), MOB (972) and EPIRB (974) devices.
DISTRESS_MMSI_PREFIXES = ("970", "972", "974")
SOG_NOT_AVAILABLE = 102.3
COG_NOT_AVAILABLE = 360.0
LAT_NOT_AVAILABLE = 91.0
LON_NOT_AVAILABLE = 181.0
MAX_EXAMPLES = 5
_MILLISECONDS_ABOVE = 1e11  # epoch values this large are milliseconds
_CSV_COLUMNS = ("id", "time", "lat", "lon", "sog", "cog", "distress")
_REQUIRED_CSV_COLUMNS = set(_CSV_COLUMNS[:4])
# What pyais may raise on garbage besides its own exceptions.
_PARSE_ERRORS = (AISBaseException, ValueError, IndexError, TypeError, KeyError)
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"", "0", "false", "no", "n", "f"}


@dataclass(frozen=True, slots=True)
class VesselReport:
    """One position report of one vessel (id is the MMSI for AIS)."""

    id: str
    time: float
    lat: float
    lon: float
    sog: float | None
    cog: float | None
    distress: bool
    source: str


@dataclass(frozen=True, slots=True)
class VesselStatic:
    """Static data of one vessel (AIS types 5, 19, 24); fields it did not carry are None."""

    id: str
    time: float
    name: str | None
    length_m: float | None
    source: str


@dataclass
class ReadStats:
    """What a reader did with its lines."""

    lines: int = 0
    reports: int = 0
    static: int = 0
    ignored: int = 0  # valid AIS messages of other types
    rejected: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def reject(self, line_no: int, reason: str, count: int = 1) -> None:
        self.rejected[reason] += count
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"line {line_no}: {reason}")

    def summary(self) -> str:
        """One line for standard error."""
        text = f"{self.lines} lines, {self.reports} position reports, {self.static} static, {self.ignored} other"
        if self.rejected:
            reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.rejected.items()))
            text += f"; rejected {sum(self.rejected.values())} ({reasons})"
        return text


class Rejected(ValueError):
    """A line or message that yields no record; the message is the reason."""


def parse_time(text: str) -> float:
    """Epoch seconds from epoch seconds/milliseconds or ISO 8601 (no zone: UTC)."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise Rejected("bad time") from None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()
    if not math.isfinite(value):
        raise Rejected("bad time")
    return value / 1000 if value > _MILLISECONDS_ABOVE else value


def format_time(ts: float) -> str:
    """ISO 8601 UTC with a Z, whole seconds unless there is a fraction."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    spec = "seconds" if moment.microsecond == 0 else "milliseconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def checked_position(lat: float | None, lon: float | None) -> tuple[float, float]:
    """The position if usable, else Rejected with the reason."""
    if lat is None or lon is None:
        raise Rejected("missing position")
    if lat == LAT_NOT_AVAILABLE or lon == LON_NOT_AVAILABLE:
        raise Rejected("position not available")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Rejected("position out of range")
    if lat == 0 and lon == 0:
        raise Rejected("null position (0,0)")
    return float(lat), float(lon)


class AisDecoder:
    """Line-by-line NMEA decoder: assembles multi-part sentences, counts what it rejects."""

    def __init__(self, source: str = "ais", clock: Callable[[], float] = time.time, stats: ReadStats | None = None):
        self.source = source
        self.clock = clock
        self.stats = stats if stats is not None else ReadStats()
        self._line_no = 0
        # (fragment count, sequence id, channel) -> (time, line numbers, fragments so far)
        self._pending: dict[tuple[int, int | None, str], tuple[float, list[int], list[AISSentence]]] = {}

    def feed(self, line: str | bytes) -> list[VesselReport | VesselStatic]:
        """Decode one line; returns the records it completes (none for a leading fragment)."""
        raw = line.encode("utf-8", "replace") if isinstance(line, str) else line
        self._line_no += 1
        line_no = self._line_no
        if not raw.strip() or raw.lstrip().startswith(b"#"):
            return []
        self.stats.lines += 1
        try:
            ts, sentence = self._sentence(raw)
            assembled = self._assemble(line_no, ts, sentence)
            return [] if assembled is None else self._records(*assembled)
        except Rejected as exc:
            self.stats.reject(line_no, str(exc))
            return []

    def finish(self) -> None:
        """Count multi-part messages still incomplete at the end of the input."""
        for _, line_nos, _ in self._pending.values():
            self.stats.reject(line_nos[0], "incomplete multi-part message", len(line_nos))
        self._pending.clear()

    def _sentence(self, raw: bytes) -> tuple[float, AISSentence]:
        """The time and the checked sentence of one line."""
        raw = raw.strip()
        start = min((i for i in map(raw.find, (b"!", b"$", b"\\")) if i >= 0), default=-1)
        if start < 0:
            raise Rejected("not an NMEA sentence")
        prefix = raw[:start].decode("ascii", "replace").strip(" ,;\t")
        try:
            sentence = NMEASentenceFactory.produce(raw[start:])
        except UnknownMessageException:
            raise Rejected("not an AIS sentence") from None
        except _PARSE_ERRORS:
            raise Rejected("malformed sentence") from None
        if not isinstance(sentence, AISSentence):
            raise Rejected("not an AIS sentence")
        if not sentence.is_valid:
            raise Rejected("bad checksum")
        return self._time(prefix, sentence), sentence

    def _time(self, prefix: str, sentence: AISSentence) -> float:
        tag = sentence.tag_block
        if tag is not None:
            tag.init()
            if not tag.is_valid:
                raise Rejected("bad checksum")
            if tag.receiver_timestamp:
                return parse_time(tag.receiver_timestamp)
        return parse_time(prefix) if prefix else self.clock()

    def _assemble(self, line_no: int, ts: float, sentence: AISSentence) -> tuple[float, AISSentence] | None:
        """The whole message once its last fragment is in, else None."""
        if sentence.frag_cnt == 1:
            return ts, sentence
        key = (sentence.frag_cnt, sentence.seq_id, sentence.channel)
        if sentence.frag_num == 1:
            if key in self._pending:
                _, line_nos, _ = self._pending[key]
                self.stats.reject(line_nos[0], "incomplete multi-part message", len(line_nos))
            self._pending[key] = (ts, [line_no], [sentence])
            return None
        first_ts, line_nos, fragments = self._pending.get(key, (ts, [], []))
        if len(fragments) != sentence.frag_num - 1:
            raise Rejected("out-of-sequence fragment")
        line_nos.append(line_no)
        fragments.append(sentence)
        if len(fragments) < sentence.frag_cnt:
            return None
        del self._pending[key]
        return first_ts, AISSentence.assemble_from_iterable(fragments)

    def _records(self, ts: float, sentence: AISSentence) -> list[VesselReport | VesselStatic]:
        try:
            message = sentence.decode()
        except _PARSE_ERRORS:
            raise Rejected("undecodable payload") from None
        records: list[VesselReport | VesselStatic] = []
        if message.msg_type in POSITION_TYPES:
            records.append(self._report(ts, message))
        static = self._static(ts, message) if message.msg_type in STATIC_TYPES else None
        if static is not None:
            records.append(static)
        self.stats.reports += sum(isinstance(r, VesselReport) for r in records)
        self.stats.static += sum(isinstance(r, VesselStatic) for r in records)
        self.stats.ignored += not records
        return records

    def _report(self, ts: float, message: Any) -> VesselReport:
        lat, lon = checked_position(getattr(message, "lat", None), getattr(message, "lon", None))
        mmsi = str(message.mmsi).zfill(9)
        sog = getattr(message, "speed", None)
        cog = getattr(message, "course", None)
        status = getattr(message, "status", None)
        return VesselReport(
            id=mmsi,
            time=ts,
            lat=lat,
            lon=lon,
            sog=None if sog is None or sog >= SOG_NOT_AVAILABLE else float(sog),
            cog=None if cog is None or cog >= COG_NOT_AVAILABLE else float(cog),
            distress=status == DISTRESS_NAV_STATUS or mmsi.startswith(DISTRESS_MMSI_PREFIXES),
            source=self.source,
        )

    def _static(self, ts: float, message: Any) -> VesselStatic | None:
        """Name and length, None when the message carries neither."""
        name = (getattr(message, "shipname", None) or "").strip(" @") or None
        bow, stern = getattr(message, "to_bow", None), getattr(message, "to_stern", None)
        length = float(bow + stern) if bow is not None and stern is not None and bow + stern > 0 else None
        if name is None and length is None:
            return None
        return VesselStatic(id=str(message.mmsi).zfill(9), time=ts, name=name, length_m=length, source=self.source)


def read_nmea(
    lines: Iterable[str | bytes],
    *,
    source: str = "ais",
    clock: Callable[[], float] = time.time,
    stats: ReadStats | None = None,
) -> Iterator[VesselReport | VesselStatic]:
    """Records from NMEA lines (see `AisDecoder`); counts go to `stats`."""
    decoder = AisDecoder(source, clock, stats)
    for line in lines:
        yield from decoder.feed(line)
    decoder.finish()


def read_positions_csv(
    lines: Iterable[str], *, source: str = "csv", stats: ReadStats | None = None
) -> Iterator[VesselReport]:
    """Reports from CSV lines ``id,time,lat,lon[,sog,cog,distress]``.

    A first row naming at least id, time, lat and lon is a header, and then columns go
    by name (other columns are ignored). Blank lines and lines starting with ``#`` are skipped.
    """
    stats = stats if stats is not None else ReadStats()
    columns: tuple[str, ...] = _CSV_COLUMNS
    first = True
    reader = csv.reader(lines)
    for row in reader:
        if not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        stats.lines += 1
        names: tuple[str, ...] = tuple(c.strip().lower() for c in row)
        if first and set(names) >= _REQUIRED_CSV_COLUMNS:
            columns = names
            first = False
            continue
        first = False
        try:
            report = _csv_report(columns, row, source)
        except Rejected as exc:
            stats.reject(reader.line_num, str(exc))
            continue
        stats.reports += 1
        yield report


def _csv_report(columns: tuple[str, ...], row: list[str], source: str) -> VesselReport:
    if len(row) > len(columns):
        raise Rejected("too many fields")
    values = dict(zip(columns, (v.strip() for v in row)))
    if not values.get("id"):
        raise Rejected("missing id")
    if not values.get("time"):
        raise Rejected("missing time")
    lat, lon = checked_position(_number(values, "lat"), _number(values, "lon"))
    return VesselReport(
        id=values["id"],
        time=parse_time(values["time"]),
        lat=lat,
        lon=lon,
        sog=_number(values, "sog"),
        cog=_number(values, "cog"),
        distress=_flag(values.get("distress", "")),
        source=source,
    )


def _number(values: dict[str, str], key: str) -> float | None:
    text = values.get(key, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise Rejected(f"bad {key}") from None
    if not math.isfinite(value):
        raise Rejected(f"bad {key}")
    return value


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Rejected("bad distress flag")
