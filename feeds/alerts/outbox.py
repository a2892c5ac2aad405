"""The outbox of operator actions: published to the other consoles until the broker has them.

Across restarts of the ingest process or of the broker: each action is marked published on its PUBACK;
one published but not acknowledged within RESEND_AFTER_S is sent again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

RESEND_AFTER_S = 30.0


class ActionOutbox:
    def __init__(self, store: Any, feed: str, publish: Callable[..., None], period_s: float = 1.0) -> None:
        self.store = store
        self.feed = feed
        self.publish = publish  # (feed, record, on_sent=callback)
        self.period_s = period_s
        self._in_flight: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alert-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            self.flush(time.monotonic())

    def flush(self, now: float) -> None:
        try:
            pending = self.store.unpublished_actions()
        except Exception:
            log.exception("could not read the alert actions still to publish")
            return
        for action in pending:
            if now - self._in_flight.get(action.id, -RESEND_AFTER_S) < RESEND_AFTER_S:
                continue
            self._in_flight[action.id] = now
            try:
                self.publish(self.feed, action, on_sent=lambda action_id=action.id: self._published(action_id))
            except Exception as exc:
                log.error("could not publish alert action %s on feed %s: %s", action.id, self.feed, exc)

    def _published(self, action_id: str) -> None:
        self.store.mark_published(action_id)
        self._in_flight.pop(action_id, None)
