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
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Callable

from feeds.alert_book import AlertBook, AlertPolicy
from feeds.cache import Cache
from feeds.coalesce import LatestByKey
from feeds.ingest import Ingestor, Processor
from feeds.records import AlertEvent, FeedStatus, LinkState, Record, Severity
from feeds.source import FeedSpec, Source, source_class

log = logging.getLogger(__name__)

CHUNK = 2000
RESEND_AFTER_S = 30.0  # an action published but not acknowledged by then is sent again  # records per message to the GUI, so unpickling one never holds the GUI long


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
class AlertSpec:
    """How the ingest process handles alerts: rules, escalation/notification policy, where actions go."""

    policy: AlertPolicy = field(default_factory=AlertPolicy)
    rules: tuple[Any, ...] = ()  # feeds.alert_rules.Rule
    channels: dict[str, Any] = field(default_factory=dict)  # feeds.notify channel settings by name
    send_notifications: bool = False  # one console per site sends them
    feed: str = ""  # the feed operator actions are published on (and received from)


@dataclass(frozen=True)
class WorkerSpec:
    feeds: tuple[FeedSpec, ...]
    cache_path: str
    history_points: int = 2000
    processors: tuple[ProcessorSpec, ...] = ()
    min_interval_s: float = 0.1
    alerts: AlertSpec = field(default_factory=AlertSpec)


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
        self.cache = Cache(spec.cache_path, history_points=spec.history_points)
        self.ingestor = Ingestor(self.cache, self._deliver, on_status=self._on_status)
        self._link_down: dict[str, FeedStatus] = {}
        for processor in spec.processors:
            self.ingestor.add_processor(processor.build())
        self.notifier = self._make_notifier(spec.alerts)
        if spec.alerts.rules:
            from feeds.alert_rules import RuleEngine

            self.ingestor.add_processor(RuleEngine(spec.alerts.rules))
        self.book = AlertBook(self.cache, spec.alerts.policy, self.notifier)
        self.ingestor.add_processor(self.book)  # last: it folds the alerts every other processor raised
        self.sources: dict[str, Source] = {
            feed.name: source_class(feed.address)(feed.name, feed.address, feed.options, self.ingestor)
            for feed in spec.feeds}
        self._in_flight: dict[str, float] = {}

    def _make_notifier(self, alerts: AlertSpec) -> Any:
        if not (alerts.send_notifications and alerts.channels):
            return None
        from feeds.notify import Notifier

        return Notifier(self.cache, alerts.channels, on_outcome=self.ingestor.submit)

    def _on_status(self, status: FeedStatus) -> None:
        """Tell the GUI; a feed that loses its link (after it had one) raises an alert, cleared on reconnect."""
        self.send(("status", status))
        if status.state is LinkState.RECONNECTING and status.feed not in self._link_down:
            self._link_down[status.feed] = status
            self.ingestor.submit(feed_link_alert(status, clear=False))
        elif status.state is LinkState.CONNECTED and status.feed in self._link_down:
            self._link_down.pop(status.feed)
            self.ingestor.submit(feed_link_alert(status, clear=True))

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
                                            self.ingestor.disk_full, self.book.open_count)))
            self._stop.wait(self.spec.min_interval_s)

    def _publish_actions(self) -> None:
        """The outbox: alert actions made here go to the other consoles until the broker has them, across
        restarts of this process or of the broker (each is marked published on its PUBACK)."""
        source = self.sources.get(self.spec.alerts.feed)
        if source is None:
            return
        while not self._stop.wait(1.0):
            now = time.monotonic()
            try:
                pending = self.cache.unpublished_actions()
            except Exception:
                log.exception("could not read the alert actions still to publish")
                continue
            for action in pending:
                if now - self._in_flight.get(action.id, -RESEND_AFTER_S) < RESEND_AFTER_S:
                    continue
                self._in_flight[action.id] = now
                try:
                    source.publish(action, on_sent=lambda action_id=action.id: self._published(action_id))
                except Exception as exc:
                    log.error("could not publish alert action %s on feed %s: %s", action.id, source.name, exc)

    def _published(self, action_id: str) -> None:
        self.cache.mark_published(action_id)
        self._in_flight.pop(action_id, None)

    def run(self) -> None:
        self.ingestor.start()
        for source in self.sources.values():
            source.start()
        if self.notifier is not None:
            self.notifier.start()
        forwarder = threading.Thread(target=self._forward, name="forward-to-gui", daemon=True)
        forwarder.start()
        threading.Thread(target=self._publish_actions, name="alert-outbox", daemon=True).start()
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
        if self.notifier is not None:
            self.notifier.stop()
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
