"""The bridge from feed threads to the GUI thread: starts sources, owns the writer, emits coalesced records."""

from __future__ import annotations

import logging
import socket
import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.config import FeedConfig
from feeds.cache import Cache
from feeds.coalesce import LatestByKey
from feeds.ingest import Ingestor
from feeds.records import FeedStatus, LinkState, Record
from feeds.source import Source, source_class

log = logging.getLogger(__name__)


class FeedHub(QObject):
    """Records reach the GUI at most every `min_interval_ms`, only the newest few per key."""

    recordsArrived = Signal(object)  # list[Record], oldest first
    statusChanged = Signal(object)  # FeedStatus
    _wake = Signal()
    _status = Signal(object)

    def __init__(self, feeds: dict[str, FeedConfig], cache: Cache, role: str = "operator",
                 min_interval_ms: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.buffer = LatestByKey()
        self.ingestor = Ingestor(cache, self._deliver, on_status=self._status.emit)
        self.min_interval_ms = min_interval_ms
        self.statuses: dict[str, FeedStatus] = {}
        self.sources: dict[str, Source] = {}
        self.delivered = 0
        self.started = False
        self._last_drain = 0.0
        self._drain_scheduled = False
        self._wake.connect(self._schedule_drain)
        self._status.connect(self._on_status)
        host = socket.gethostname()
        for name, feed in feeds.items():
            options = dict(feed.options)
            if source_class(feed.address).schemes[0] == "mqtt":
                options.setdefault("client_id", f"controlroom-{host}-{role}-{name}")
            self.sources[name] = source_class(feed.address)(name, feed.address, options, self.ingestor)
            self.statuses[name] = FeedStatus(name, LinkState.CONNECTING)

    def start(self) -> None:
        self.started = True
        self.ingestor.start()
        for source in self.sources.values():
            source.start()

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        for source in self.sources.values():
            source.stop()
        self.ingestor.stop()

    def publish(self, feed: str, record: Record, retain: bool = False) -> None:
        self.sources[feed].publish(record, retain=retain)

    def stale_after_s(self, feed: str) -> float:
        source = self.sources.get(feed)
        return float(source.opts.get("stale_after_s") or 0) if source else 0.0

    def _deliver(self, records: list[Record]) -> None:
        # Runs on the writer thread: only touch the thread-safe buffer and emit (queued).
        if self.buffer.put_many(records):
            self._wake.emit()

    @Slot()
    def _schedule_drain(self) -> None:
        if self._drain_scheduled:
            return
        wait_ms = self.min_interval_ms - (time.monotonic() - self._last_drain) * 1000
        if wait_ms <= 0:
            self._drain()
        else:
            self._drain_scheduled = True
            QTimer.singleShot(int(wait_ms) + 1, self._drain)

    @Slot()
    def _drain(self) -> None:
        self._drain_scheduled = False
        self._last_drain = time.monotonic()
        records = self.buffer.drain()
        if records:
            self.delivered += len(records)
            self.recordsArrived.emit(records)

    @Slot(object)
    def _on_status(self, status: FeedStatus) -> None:
        self.statuses[status.feed] = status
        log.info("feed %s: %s %s", status.feed, status.state.value, status.detail)
        self.statusChanged.emit(status)
