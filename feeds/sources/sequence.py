"""Gap detection on publishers' gapless alert sequence numbers, so a message a broker drops is asked for again."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class _PublisherSeqs:
    highest: int
    missing: dict[int, float] = field(default_factory=dict)  # seq -> when it was first missed
    last_request: float = float("-inf")


class SequenceTracker:
    """Per publisher: the highest `seq` seen and the ones still missing below it.

    The first number seen from a publisher (or the highest already in the cache) is the baseline:
    nothing older is asked for. A heartbeat's `last_seq` reveals a lost tail.
    """

    def __init__(self, grace_s: float = 2.0, retry_s: float = 5.0, batch: int = 500) -> None:
        self.grace_s = grace_s
        self.retry_s = retry_s
        self.batch = batch
        self._lock = threading.Lock()
        self._pubs: dict[str, _PublisherSeqs] = {}

    def baseline(self, publisher: str, highest: int) -> None:
        with self._lock:
            self._pubs.setdefault(publisher, _PublisherSeqs(highest))

    def seen(self, publisher: str, seq: int, now: float) -> None:
        with self._lock:
            state = self._pubs.setdefault(publisher, _PublisherSeqs(seq - 1))
            self._advance(state, seq - 1, now)
            state.highest = max(state.highest, seq)
            state.missing.pop(seq, None)

    def heartbeat(self, publisher: str, last_seq: int, now: float) -> None:
        with self._lock:
            state = self._pubs.setdefault(publisher, _PublisherSeqs(last_seq))
            self._advance(state, last_seq, now)

    @staticmethod
    def _advance(state: _PublisherSeqs, up_to: int, now: float) -> None:
        for seq in range(state.highest + 1, up_to + 1):
            state.missing.setdefault(seq, now)
        state.highest = max(state.highest, up_to)

    def due(self, now: float) -> dict[str, list[int]]:
        """Missing numbers older than the grace period, per publisher, at most every retry_s."""
        requests: dict[str, list[int]] = {}
        with self._lock:
            for publisher, state in self._pubs.items():
                if not state.missing or now - state.last_request < self.retry_s:
                    continue
                old = sorted(seq for seq, since in state.missing.items() if now - since >= self.grace_s)
                if old:
                    requests[publisher] = old[: self.batch]
                    state.last_request = now
        return requests

    def missing(self) -> int:
        with self._lock:
            return sum(len(state.missing) for state in self._pubs.values())
