"""The ingest process: every source, the processors and the cache writer run here, not in the GUI.

Parsing and storing thousands of messages a second keeps Python threads busy; in the GUI's own
interpreter they would hold its lock and stall painting. Here they have an interpreter of their own,
and the GUI receives coalesced batches over a pipe.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Callable

from feeds.cache import Cache
from feeds.coalesce import LatestByKey
from feeds.ingest import Ingestor, Processor
from feeds.records import FeedStatus, LinkState, Record
from feeds.source import FeedSpec, Source, source_class

log = logging.getLogger(__name__)

CHUNK = 2000  # records per message to the GUI, so unpickling one never holds the GUI long


@dataclass(frozen=True)
class ProcessorSpec:
    """A processor built in the ingest process: `factory` is "module:function", called with `options`."""

    factory: str
    options: dict[str, Any] = field(default_factory=dict)

    def build(self) -> Processor:
        module, _, name = self.factory.partition(":")
        make: Callable[[dict[str, Any]], Processor] = getattr(importlib.import_module(module), name)
        return make(self.options)


@dataclass(frozen=True)
class WorkerSpec:
    feeds: tuple[FeedSpec, ...]
    cache_path: str
    history_points: int = 2000
    processors: tuple[ProcessorSpec, ...] = ()
    min_interval_s: float = 0.1


@dataclass(frozen=True)
class Counters:
    stored: int
    duplicates: int
    rejected: int
    pending: int
    disk_full: bool
    alerts: int = 0  # alert records in the cache (the alert panel's own issue builds on them)


class IngestWorker:
    """Runs in the child process; talks to the GUI over `conn`."""

    def __init__(self, spec: WorkerSpec, conn: Connection) -> None:
        self.spec = spec
        self.conn = conn
        self._send_lock = threading.Lock()
        self.buffer = LatestByKey()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.cache = Cache(spec.cache_path, history_points=spec.history_points)
        self.ingestor = Ingestor(self.cache, self._deliver, on_status=lambda s: self.send(("status", s)))
        for processor in spec.processors:
            self.ingestor.add_processor(processor.build())
        self.sources: dict[str, Source] = {
            feed.name: source_class(feed.address)(feed.name, feed.address, feed.options, self.ingestor)
            for feed in spec.feeds}

    def send(self, message: tuple) -> None:
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
                                            self.ingestor.disk_full, self.cache.count("alerts"))))
            self._stop.wait(self.spec.min_interval_s)

    def run(self) -> None:
        self.ingestor.start()
        for source in self.sources.values():
            source.start()
        forwarder = threading.Thread(target=self._forward, name="forward-to-gui", daemon=True)
        forwarder.start()
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
        self._stop.set()
        for source in self.sources.values():
            source.stop()
            self.send(("status", FeedStatus(source.name, LinkState.OFFLINE, detail="stopped")))
        self.ingestor.stop()
        self.cache.close()
        forwarder.join(timeout=2)


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
