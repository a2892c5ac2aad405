"""The single writer: batches records from every source into the cache, then acknowledges and delivers them."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from feeds.core.records import FeedStatus, Record
from feeds.store import Cache, CacheFull

log = logging.getLogger(__name__)

Ack = Callable[[], None]
Processor = Callable[[list[Record]], list[Record]]


@dataclass
class IngestCounters:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0


class Ingestor:
    """Sources call submit()/reject()/status() from any thread; one thread owns the writes.

    A record's `ack` runs only after the batch holding it is committed, so a message the
    broker sees acknowledged is on disk. When the disk is full the batch is kept and retried,
    still delivered to the screen, and not acknowledged until it is stored.
    """

    def __init__(self, cache: Cache, deliver: Callable[[list[Record]], None],
                 on_status: Callable[[FeedStatus], None] = lambda s: None,
                 batch_max: int = 5000, retry_s: float = 2.0, tick_s: float = 1.0) -> None:
        self.cache = cache
        self.deliver = deliver
        self.on_status = on_status
        self.batch_max = batch_max
        self.retry_s = retry_s
        self.tick_s = tick_s
        self._next_tick = 0.0
        self.counters = IngestCounters()
        self.disk_full = False
        self._queue: deque[tuple[Record, Ack | None]] = deque()
        self._held: list[tuple[Record, Ack | None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cache-writer", daemon=True)
        self._processors: list[Processor] = []

    def add_processor(self, processor: Processor) -> None:
        """Derive records (AQI, geofence states, alerts) on the writer thread: `processor` sees each fresh
        batch, with what earlier processors derived from it, before it is committed and returns extra
        records, stored and delivered with it. A processor with a `tick(now)` method is also called about
        once a second; what that returns goes through the processors like a fresh batch."""
        self._processors.append(processor)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def submit(self, record: Record, ack: Ack | None = None) -> None:
        self._queue.append((record, ack))
        if not self._wake.is_set():  # setting an Event takes a lock: skip it while the writer is awake
            self._wake.set()

    def reject(self, feed: str, origin: str, reason: str, sample: bytes | str = b"") -> None:
        self.counters.rejected += 1
        log.warning("rejected message from feed %s (%s): %s", feed, origin, reason)
        self.cache.reject(feed, origin, reason, sample)

    def status(self, status: FeedStatus) -> None:
        self.on_status(status)

    def file_seen(self, digest: str) -> bool:
        return self.cache.file_seen(digest)

    def mark_file(self, digest: str, name: str, records: int) -> None:
        self.cache.mark_file(digest, name, records)

    def last_seq(self, publisher: str) -> int | None:
        return self.cache.last_seq(publisher)

    def pending(self) -> int:
        return len(self._queue) + len(self._held)

    def _take(self) -> list[tuple[Record, Ack | None]]:
        batch: list[tuple[Record, Ack | None]] = []
        pop = self._queue.popleft
        try:
            while len(batch) < self.batch_max:
                batch.append(pop())
        except IndexError:
            pass
        return batch

    def _tick(self) -> None:
        now = time.time()
        if now < self._next_tick:
            return
        self._next_tick = now + self.tick_s
        for processor in self._processors:
            tick = getattr(processor, "tick", None)
            if tick is None:
                continue
            try:
                for record in tick(now):
                    self._queue.append((record, None))
            except Exception:
                log.exception("processor %r failed on its tick", processor)

    def _run(self) -> None:
        while True:
            self._wake.wait(timeout=self.retry_s if self._held else min(0.5, self.tick_s))
            self._wake.clear()
            self._tick()
            while True:
                fresh = self._take()
                if not fresh and not self._held:
                    break
                if not self._commit(fresh):
                    break
            if self._stop.is_set() and not self._queue:
                return

    def _commit(self, fresh: list[tuple[Record, Ack | None]]) -> bool:
        """Store held + fresh records; False when the disk is full (they stay held)."""
        if fresh:
            derived: list[tuple[Record, Ack | None]] = []
            for processor in self._processors:
                try:
                    derived.extend((record, None) for record in processor([r for r, _ in fresh + derived]))
                except Exception:  # a faulty rule must not stop ingestion
                    log.exception("processor %r failed on a batch of %d records", processor, len(fresh))
            fresh = fresh + derived
            self.deliver([record for record, _ in fresh])
        batch = self._held + fresh
        try:
            result = self.cache.store(record for record, _ in batch)
        except CacheFull as exc:
            if not self.disk_full:
                log.error("cache disk full, %d records held in memory and retried: %s", len(batch), exc)
            self.disk_full = True
            self._held = batch
            time.sleep(0.05)
            return False
        except Exception:  # a bug in one batch must not kill the writer; the broker will redeliver
            log.exception("could not store a batch of %d records", len(batch))
            self._held = []
            return True
        if self.disk_full:
            log.warning("cache writable again: %d held records stored", len(batch))
        self.disk_full = False
        self._held = []
        self.counters.stored += result.new
        self.counters.duplicates += result.duplicates
        self.counters.batches += 1
        for _, ack in batch:
            if ack is not None:
                ack()
        return True
