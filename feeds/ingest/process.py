"""The ingest process: every source, the processors and the cache writer run here, not in the GUI.

Parsing and storing thousands of messages a second keeps Python threads busy; in the GUI's own
interpreter they would hold its lock and stall painting. Here they have an interpreter of their own,
and the GUI receives coalesced batches over a pipe.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from feeds.core.domain import load_refs
from feeds.core.processing import Processor, ProcessorContext, ProcessorSpec
from feeds.core.records import AlertEvent, FeedStatus, LinkState, Record, Severity
from feeds.ingest.coalesce import LatestByKey
from feeds.ingest.writer import Ingestor
from feeds.sources.base import FeedSpec, Source, source_class
from feeds.store import Cache
from feeds.store.retention import RetentionPolicy

log = logging.getLogger(__name__)

CHUNK = 2000  # records per message to the GUI, so unpickling one never holds the GUI long


@dataclass(frozen=True)
class WorkerSpec:
    feeds: tuple[FeedSpec, ...]
    cache_path: str
    history_points: int = 2000
    processors: tuple[ProcessorSpec, ...] = ()  # from the domains (feeds.core.domain.processor_specs)
    min_interval_s: float = 0.1
    domain_refs: tuple[str, ...] = ()  # the domains of the GUI process, loaded here too
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)


@dataclass(frozen=True)
class Counters:
    stored: int
    duplicates: int
    rejected: int
    pending: int
    disk_full: bool
    alerts: int = 0  # open alerts


class IngestWorker:
    """Runs in the child process; talks to the GUI over `conn`."""

    def __init__(self, spec: WorkerSpec, conn: Connection) -> None:
        self.spec = spec
        self.conn = conn
        self._send_lock = threading.Lock()
        self.buffer = LatestByKey()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.cache = Cache(spec.cache_path, history_points=spec.history_points, synchronous="FULL")
        self.ingestor = Ingestor(self.cache, self._deliver, on_status=self._on_status)
        self._link_down: dict[str, FeedStatus] = {}
        load_refs(spec.domain_refs)
        context = ProcessorContext(store=self.cache, submit=self.ingestor.submit, publish=self._publish_for,
                                   cache_path=spec.cache_path)
        self.processors: list[Processor] = []
        for processor_spec in sorted(spec.processors, key=lambda p: p.order):
            processor = processor_spec.build(context)
            self.processors.append(processor)
            self.ingestor.add_processor(processor)
        self.sources: dict[str, Source] = {
            feed.name: source_class(feed.address)(feed.name, feed.address, feed.options, self.ingestor)
            for feed in spec.feeds}

    def _publish_for(self, feed: str, record: Record, retain: bool = False,
                     on_sent: Callable[[], None] | None = None) -> None:
        """How a processor sends a record out (the alert outbox): through the named feed."""
        if feed not in self.sources:
            raise KeyError(f"no feed {feed!r} to publish on")
        self.sources[feed].publish(record, retain=retain, on_sent=on_sent)

    def open_alerts(self) -> int:
        return sum(int(getattr(p, "open_alerts", 0)) for p in self.processors)

    def _on_status(self, status: FeedStatus) -> None:
        """Tell the GUI; a feed that loses its link (after it had one) raises an alert, cleared on reconnect."""
        self.send(("status", status))
        if status.state is LinkState.RECONNECTING and status.feed not in self._link_down:
            self._link_down[status.feed] = status
            self.ingestor.submit(feed_link_alert(status, clear=False))
        elif status.state is LinkState.CONNECTED and status.feed in self._link_down:
            self._link_down.pop(status.feed)
            self.ingestor.submit(feed_link_alert(status, clear=True))

    def send(self, message: tuple[Any, ...]) -> None:
        with self._send_lock:
            try:
                self.conn.send(message)
            except (BrokenPipeError, EOFError, OSError):
                self._stop.set()  # the GUI is gone

    def _deliver(self, records: list[Record]) -> None:
        if self.buffer.put_many(records):
            self._ready.set()

    def _forward(self) -> None:
        """Send what arrived, at most every min_interval_s, with the counters."""
        while not self._stop.is_set():
            self._ready.wait(0.5)
            self._ready.clear()
            records = self.buffer.drain()
            for start in range(0, len(records), CHUNK):
                self.send(("records", records[start:start + CHUNK]))
            c = self.ingestor.counters
            self.send(("counters", Counters(c.stored, c.duplicates, c.rejected, self.ingestor.pending(),
                                            self.ingestor.disk_full, self.open_alerts())))
            self._stop.wait(self.spec.min_interval_s)

    def _apply_retention(self) -> None:
        """Prune by age at start and then every `retention.every_s` (each prune logged, see store_log)."""
        while not self._stop.is_set():
            try:
                self.cache.apply_retention(self.spec.retention)
            except Exception:  # a failed prune is retried next time; ingestion goes on
                log.exception("retention could not be applied to the cache")
            if self._stop.wait(self.spec.retention.every_s):
                return

    def run(self) -> None:
        self.ingestor.start()
        for source in self.sources.values():
            source.start()
        for processor in self.processors:
            if hasattr(processor, "start"):
                processor.start()
        forwarder = threading.Thread(target=self._forward, name="forward-to-gui", daemon=True)
        forwarder.start()
        threading.Thread(target=self._apply_retention, name="retention", daemon=True).start()
        while not self._stop.is_set():
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "stop":
                break
            if message[0] == "publish":
                _, feed, record, retain = message
                try:
                    self.sources[feed].publish(record, retain=retain)
                except Exception as exc:  # a failed publish is reported, never fatal
                    log.error("could not publish %s on feed %s: %s", type(record).__name__, feed, exc)
            elif message[0] == "submit":  # made in the GUI (an operator's action): stored, folded, published
                self.ingestor.submit(message[1])
        self._stop.set()
        for processor in self.processors:
            if hasattr(processor, "stop"):
                processor.stop()
        for source in self.sources.values():
            source.stop()
            self.send(("status", FeedStatus(source.name, LinkState.OFFLINE, detail="stopped")))
        self.ingestor.stop()
        self.cache.close()
        forwarder.join(timeout=2)


def feed_link_alert(status: FeedStatus, clear: bool) -> AlertEvent:
    return AlertEvent(
        id=f"feed/{status.feed}/link/{status.since:.3f}", key=f"feed/{status.feed}/link", severity=Severity.WARNING,
        title=f"Nguồn dữ liệu {status.feed} {'đã kết nối lại' if clear else 'mất kết nối'}",
        title_en=f"Feed {status.feed} {'reconnected' if clear else 'lost its connection'}",
        detail=status.detail, ts=status.since, source=status.feed, entity=f"feed/{status.feed}", type="link",
        domain="feeds", clear=clear)


def run_worker(spec: WorkerSpec, conn: Connection, log_level: int = logging.INFO) -> None:
    """Entry point of the ingest process."""
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s ingest %(name)s: %(message)s")
    # No GUI in this process: longer time slices mean fewer lock hand-offs between the feed threads and
    # the writer (about 10 % more messages a second here).
    sys.setswitchinterval(0.02)
    try:
        IngestWorker(spec, conn).run()
    except Exception:
        log.exception("the ingest process failed")
        raise
    finally:
        conn.close()
