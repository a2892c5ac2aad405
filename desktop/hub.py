"""The GUI side of ingestion: runs the ingest process, restarts it if it dies, re-emits its batches as signals."""

from __future__ import annotations

import logging
import multiprocessing
import socket
import threading
import time

from PySide6.QtCore import QObject, Signal, Slot

from desktop.config.loader import FeedConfig
from feeds.core.domain import domain_refs, processor_specs
from feeds.core.processing import ProcessorSpec
from feeds.core.records import AlertAction, AlertEvent, FeedStatus, LinkState, Record
from feeds.ingest.process import Counters, FeedSpec, WorkerSpec, run_worker
from feeds.sources.base import source_class
from feeds.store.retention import RetentionPolicy

log = logging.getLogger(__name__)


class FeedHub(QObject):
    """Records reach the GUI at most every `min_interval_ms`, only the newest few per key."""

    recordsArrived = Signal(object)  # list[Record], oldest first
    statusChanged = Signal(object)  # FeedStatus
    _status = Signal(object)

    def __init__(self, feeds: dict[str, FeedConfig], cache_path: str, role: str = "operator",
                 history_points: int = 2000, processors: tuple[ProcessorSpec, ...] | None = None,
                 min_interval_ms: int = 100, retention: RetentionPolicy | None = None,
                 parent: QObject | None = None) -> None:
        """`processors`: the domains' (feeds.core.domain.processor_specs); None = every domain's defaults."""
        super().__init__(parent)
        host = socket.gethostname()
        specs = []
        for name, feed in feeds.items():
            options = dict(feed.options)
            if source_class(feed.address).schemes[0] == "mqtt":
                options.setdefault("client_id", f"controlroom-{host}-{role}-{name}")
            specs.append(FeedSpec(name, feed.address, options))
        if processors is None:
            processors = processor_specs({}, specs, cache_path=str(cache_path))
        self.spec = WorkerSpec(tuple(specs), str(cache_path), history_points, tuple(processors),
                               min_interval_ms / 1000, domain_refs(), retention or RetentionPolicy())
        self.statuses = {name: FeedStatus(name, LinkState.CONNECTING) for name in feeds}
        self.stale_after = {s.name: float(s.options.get("stale_after_s") or 0) for s in specs}
        self.counters = Counters(0, 0, 0, 0, False)
        self.delivered = 0
        self.restarts = 0
        self.started = False
        self._generation = 0  # of the running ingest process; stop() and each spawn move it on
        self._conn = None
        self._process: multiprocessing.Process | None = None
        self._status.connect(self._on_status)

    def start(self) -> None:
        self.started = True
        self._spawn()

    def _spawn(self) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._conn = ours
        self._process = context.Process(target=run_worker, args=(self.spec, theirs, logging.getLogger().level),
                                        name="controlroom-ingest", daemon=True)
        self._process.start()
        theirs.close()
        self._generation += 1
        self._reader = threading.Thread(target=self._read, args=(ours, self._process, self._generation),
                                        name="from-ingest", daemon=True)
        self._reader.start()

    def _read(self, conn, process: multiprocessing.Process, generation: int) -> None:
        while True:
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                break
            if kind == "records":
                self.delivered += len(payload)
                self.recordsArrived.emit(payload)
            elif kind == "status":
                self._status.emit(payload)
            elif kind == "counters":
                self.counters = payload
        process.join(timeout=5)
        # Not a process stopped on purpose (a stop, or a stop and start, has moved the generation on).
        if self.started and generation == self._generation:
            log.error("the ingest process ended unexpectedly (exit code %s); restarting it", process.exitcode)
            for name in self.statuses:
                self._status.emit(FeedStatus(name, LinkState.RECONNECTING, detail="ingest process restarting"))
            self.restarts += 1
            time.sleep(min(10.0, 0.5 * 2 ** min(self.restarts, 5)))
            if self.started and generation == self._generation:
                self._spawn()

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        self._generation += 1
        try:
            self._conn.send(("stop",))
        except (BrokenPipeError, OSError):
            pass
        self._process.join(timeout=10)
        if self._process.is_alive():
            log.error("the ingest process did not stop in time; terminating it")
            self._process.terminate()
            self._process.join(timeout=5)
        # The reader thread holds this hub (a QObject): it must end before the GUI lets go of the hub, or the
        # hub would be destroyed in that thread while the GUI thread still delivers its signals (SIGSEGV).
        if self._reader is not threading.current_thread():
            self._reader.join(timeout=10)

    def publish(self, feed: str, record: Record, retain: bool = False) -> None:
        try:
            self._conn.send(("publish", feed, record, retain))
        except (BrokenPipeError, OSError, AttributeError) as exc:
            log.error("cannot publish on feed %s, the ingest process is not running: %s", feed, exc)

    def submit(self, record: AlertAction | AlertEvent) -> bool:
        """A record made in the GUI (an operator's action on an alert, a camera's lost-signal alert): stored
        by the ingest process, folded into its alert, and (actions) published. False when the ingest process
        is not running: the caller stores it, and it is folded when the process is back."""
        try:
            self._conn.send(("submit", record))
            return True
        except (BrokenPipeError, OSError, AttributeError) as exc:
            log.error("%s made while the ingest process is down: %s", type(record).__name__, exc)
            return False

    def stale_after_s(self, feed: str) -> float:
        return self.stale_after.get(feed, 0.0)

    @Slot(object)
    def _on_status(self, status: FeedStatus) -> None:
        self.statuses[status.feed] = status
        log.info("feed %s: %s %s", status.feed, status.state.value, status.detail)
        self.statusChanged.emit(status)
