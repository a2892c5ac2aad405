"""A thread-safe buffer between the writer and the GUI: per key, only the newest few records survive."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from feeds.core.records import AlertEvent, Record


def coalesce_key(record: Record) -> str:
    # Every alert is kept: two alerts are two events, not two values of one series.
    return f"alert/{record.id}" if isinstance(record, AlertEvent) else record.key


class LatestByKey:
    """Keeps at most `depth` records per key (the newest), so a burst costs the GUI a bounded amount
    of work while a sparkline still sees the recent shape of a series."""

    def __init__(self, depth: int = 32) -> None:
        self.depth = depth
        self._lock = threading.Lock()
        self._items: dict[str, deque[Record]] = {}

    def put_many(self, records: Iterable[Record]) -> bool:
        """Add records; True when the buffer was empty before (the taker needs a wake-up)."""
        with self._lock:
            was_empty = not self._items
            for record in records:
                key = coalesce_key(record)
                held = self._items.get(key)
                if held is None:
                    self._items[key] = deque((record,), maxlen=self.depth)
                else:
                    held.append(record)
            return was_empty and bool(self._items)

    def drain(self) -> list[Record]:
        """Everything held, oldest first."""
        with self._lock:
            items, self._items = self._items, {}
        records = [record for held in items.values() for record in held]
        records.sort(key=lambda r: r.ts)
        return records
