"""What an air or discharge chart keeps of a series: finite points in time order, bounded in age."""

from __future__ import annotations

import math
import time

import numpy as np

from feeds.core.records import Measurement, Record

RANGES = {"24h": 86400.0, "7d": 7 * 86400.0, "30d": 30 * 86400.0}


def usable(record: Record) -> bool:
    """A measurement whose value and time can be drawn (never trust a record to be well formed)."""
    try:
        return (isinstance(record, Measurement) and isinstance(record.value, (int, float))
                and math.isfinite(record.value) and isinstance(record.ts, (int, float)) and math.isfinite(record.ts)
                and record.ts > 0)
    except Exception:
        return False


def finite_point(ts: object, value: object) -> bool:
    """A cached (time, value) pair that can be drawn."""
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (ts, value))


class Series:
    """Time-ordered points of one series in growable numpy buffers, kept for `keep_s` seconds;
    late points are inserted in order, a repeated time is ignored."""

    __slots__ = ("_ts", "_values", "keep_s", "n")

    def __init__(self, keep_s: float = RANGES["30d"] + 86400) -> None:
        self._ts = np.empty(256)
        self._values = np.empty(256)
        self.n = 0
        self.keep_s = keep_s

    @property
    def ts(self) -> np.ndarray:
        return self._ts[:self.n]

    @property
    def values(self) -> np.ndarray:
        return self._values[:self.n]

    def add(self, ts: float, value: float) -> bool:
        """Add a point; False when a point with that time is already held."""
        n = self.n
        if n and ts <= self._ts[n - 1]:
            i = int(np.searchsorted(self._ts[:n], ts))
            if i < n and self._ts[i] == ts:
                return False
        else:
            i = n
        if n == len(self._ts):
            self._ts = np.concatenate([self._ts, np.empty(n)])
            self._values = np.concatenate([self._values, np.empty(n)])
        if i < n:
            self._ts[i + 1:n + 1] = self._ts[i:n].copy()
            self._values[i + 1:n + 1] = self._values[i:n].copy()
        self._ts[i] = ts
        self._values[i] = value
        self.n = n + 1
        if self._ts[0] < self._ts[self.n - 1] - self.keep_s * 1.1:  # trim now and then, not every point
            cut = int(np.searchsorted(self._ts[:self.n], self._ts[self.n - 1] - self.keep_s))
            self._ts[:self.n - cut] = self._ts[cut:self.n].copy()
            self._values[:self.n - cut] = self._values[cut:self.n].copy()
            self.n -= cut
        return True

    def window(self, start: float) -> tuple[np.ndarray, np.ndarray]:
        """The points at or after `start` (views: valid until the next add)."""
        i = int(np.searchsorted(self._ts[:self.n], start))
        return self._ts[i:self.n], self._values[i:self.n]

    def last(self) -> tuple[float, float] | None:
        return (float(self._ts[self.n - 1]), float(self._values[self.n - 1])) if self.n else None

    def value_at(self, ts: float) -> tuple[float, float] | None:
        """The point nearest to `ts`."""
        if not self.n:
            return None
        i = int(np.searchsorted(self._ts[:self.n], ts))
        j = min((k for k in (i - 1, i) if 0 <= k < self.n), key=lambda k: abs(self._ts[k] - ts))
        return float(self._ts[j]), float(self._values[j])

    def __len__(self) -> int:
        return self.n


def history_since(range_name: str, now: float | None = None) -> float:
    return (now or time.time()) - RANGES[range_name]
