"""file://folder — a drop folder receiving CSV or JSON files (as the agencies' FTP drops every 5 minutes)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from feeds.core.domain import domains, resolve
from feeds.core.payloads import PayloadError, parse_record_json, parse_timestamp
from feeds.core.records import LinkState, Measurement, Record
from feeds.sources.base import Option, Sink, ThreadedSource, register

log = logging.getLogger(__name__)

PARTIAL_SUFFIXES = (".part", ".tmp", ".filepart", ".partial", ".crdownload")
CSV_COLUMNS = ("key", "time", "value")


def is_candidate(path: Path) -> bool:
    name = path.name
    return (path.is_file() and not name.startswith(".") and not name.endswith(PARTIAL_SUFFIXES)
            and path.suffix.lower() in (".csv", ".json"))


def domain_formats() -> list[Callable[[str, str], tuple[list[Record], list[tuple[int, str]]] | None]]:
    """The CSV formats the domains add (e.g. the environment agency's air readings), told by their header."""
    return [resolve(ref) for domain in domains() for ref in domain.file_formats]


def parse_csv(text: str, source: str, on_bad: Callable[[int, str], None]) -> Iterator[Record]:
    """Rows `key,time,value[,unit]`, or a domain's own format (recognised by its header); a bad row is
    reported with its line number and skipped."""
    for parse in domain_formats():
        parsed = parse(text, source)
        if parsed is not None:
            records, refused = parsed
            for line, reason in refused:
                on_bad(line, reason)
            yield from records
            return
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        on_bad(1, f"header lacks column(s) {', '.join(missing)}")
        return
    for row in reader:
        line = reader.line_num
        if None in row or any(row.get(c) is None for c in CSV_COLUMNS):
            on_bad(line, "wrong number of fields (truncated row?)")
            continue
        try:
            value = float(row["value"])
            yield Measurement(key=row["key"], value=value, ts=parse_timestamp(row["time"]), source=source,
                              unit=row.get("unit") or "")
        except (ValueError, OverflowError) as exc:  # PayloadError is a ValueError
            on_bad(line, str(exc))


def parse_json(text: str, source: str, on_bad: Callable[[int, str], None]) -> Iterator[Record]:
    data = json.loads(text)
    items = data.get("records") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise PayloadError('a JSON drop file holds a list of records or {"records": [...]}')
    for index, item in enumerate(items):
        try:
            yield parse_record_json(item if isinstance(item, dict) else {}, source)
        except (ValueError, OverflowError) as exc:  # PayloadError, or a number too big for a float
            on_bad(index + 1, exc.reason if isinstance(exc, PayloadError) else f"{type(exc).__name__}: {exc}")


@register
class DropFolderSource(ThreadedSource):
    schemes = ("file",)
    thread_prefix = "drop"
    join_timeout_s = 5.0
    options: ClassVar[dict[str, Option]] = {
        "scan_s": Option((int, float), 5.0, "seconds between scans of the folder"),
        "settle_s": Option((int, float), 2.0, "a file must be unchanged this long before it is read"),
        "max_file_bytes": Option(int, 64 * 1024 * 1024, "largest file read"),
        "stale_after_s": Option((int, float), 0, "age after which values are shown stale (0: per tile)"),
    }

    def __init__(self, name: str, address: str, options: dict[str, Any], sink: Sink) -> None:
        super().__init__(name, address, options, sink)
        # Set up here rather than in start(), so scan_once() also works without the scanning thread.
        self.folder = Path(self.url.path)
        self._sizes: dict[Path, tuple[int, int]] = {}
        self._since: dict[Path, float] = {}  # monotonic time its current size/mtime was first seen
        self._refused: dict[Path, tuple[int, int] | None] = {}  # refused without a digest, at this size/mtime
        self._pending: set[str] = set()
        self.files_read = 0

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.scan_once()
            except Exception as exc:  # a bug must not silently kill the feed's thread
                log.exception("feed %s: scan failed", self.name)
                self.set_state(LinkState.RECONNECTING, f"internal error: {type(exc).__name__}: {exc}")
            self._stop.wait(self.opts["scan_s"])

    def scan_once(self) -> None:
        try:
            if not self.folder.is_dir():
                self.set_state(LinkState.OFFLINE, f"folder {self.folder} not found")
                return
            paths = sorted(p for p in self.folder.iterdir() if is_candidate(p))
        except OSError as exc:  # folder removed or unreadable mid-scan
            self.set_state(LinkState.OFFLINE, f"folder {self.folder} unreadable: {exc}")
            return
        self.set_state(LinkState.CONNECTED, str(self.folder))
        for path in paths:
            try:
                if self._settled(path):
                    self._read(path)
            except FileNotFoundError:  # moved or deleted between listing and reading
                self._sizes.pop(path, None)
                self._since.pop(path, None)
            except OSError as exc:  # unreadable (permissions, I/O error): refuse it, carry on with the rest
                self._refuse(path, f"cannot read: {exc}")

    def _settled(self, path: Path) -> bool:
        """True once size and mtime are unchanged between two scans and have stayed so for settle_s.

        The time is our own clock, not the file's mtime: an upload may carry the sender's mtime, which
        can lie in the future (another clock, another time zone) and would hold the file back for hours.
        """
        stat = path.stat()
        seen = (stat.st_size, stat.st_mtime_ns)
        now = time.monotonic()
        if self._sizes.get(path) != seen:
            self._sizes[path] = seen
            self._since[path] = now
            return False
        return now - self._since[path] >= self.opts["settle_s"]

    def _read(self, path: Path) -> None:
        if path in self._refused and self._refused[path] == self._sizes.get(path):
            return  # already refused as it is now; don't log it again on every scan
        data = path.read_bytes() if path.stat().st_size <= self.opts["max_file_bytes"] else None
        if data is None:
            self._refuse(path, f"file larger than {self.opts['max_file_bytes']} bytes")
            return
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._pending or self.sink.file_seen(digest):
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self._refuse(path, f"not UTF-8 (byte {exc.start})", digest)
            return

        def on_bad(line: int, reason: str) -> None:
            self.sink.reject(self.name, f"{path.name}:{line}", reason)

        parse = parse_csv if path.suffix.lower() == ".csv" else parse_json
        records: list[Record] = []
        try:
            for record in parse(text, self.name, on_bad):  # what was read before an error is kept
                records.append(record)  # noqa: PERF402
        except (ValueError, RecursionError, csv.Error) as exc:  # bad JSON/shape, too deep, CSV field too big
            if not records:
                self._refuse(path, f"unreadable: {exc}", digest)
                return
            # Corrupt part-way (a CSV): keep the rows read before the damage, report the rest.
            self.sink.reject(self.name, path.name, f"unreadable after {len(records)} records: {exc}")
        self.files_read += 1
        if not records:
            self.sink.mark_file(digest, path.name, 0)
            return
        # The file counts as read once its last record is committed (records are committed in order).
        self._pending.add(digest)

        def committed() -> None:
            self.sink.mark_file(digest, path.name, len(records))
            self._pending.discard(digest)

        for record in records[:-1]:
            self.sink.submit(record)
        self.sink.submit(records[-1], ack=committed)

    def _refuse(self, path: Path, reason: str, digest: str | None = None) -> None:
        self.sink.reject(self.name, path.name, reason)
        if digest:
            self.sink.mark_file(digest, path.name, 0)
        else:
            self._refused[path] = self._sizes.get(path)
