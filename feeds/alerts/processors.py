"""The alert domain's processors in the ingest process: configured rules, then the alert book (last)."""

from __future__ import annotations

from typing import Any

from feeds.alerts.book import AlertBook
from feeds.alerts.config import AlertSpec
from feeds.alerts.outbox import ActionOutbox
from feeds.alerts.rules import RuleEngine
from feeds.core.processing import ProcessorContext
from feeds.core.records import Record


def make_rule_engine(options: dict[str, Any], context: ProcessorContext) -> RuleEngine:
    return RuleEngine(options["rules"])


class AlertDesk:
    """The alert book folding every trigger and action, with its notifier and the outbox of actions."""

    def __init__(self, spec: AlertSpec, context: ProcessorContext) -> None:
        self.notifier = None
        if spec.send_notifications and spec.channels:
            from feeds.alerts.notify import Notifier

            self.notifier = Notifier(context.store, spec.channels, on_outcome=context.submit)
        self.book = AlertBook(context.store, spec.policy, self.notifier)
        self.outbox = ActionOutbox(context.store, spec.feed, context.publish) if spec.feed else None

    def __call__(self, records: list[Record]) -> list[Record]:
        return self.book(records)

    def tick(self, now: float) -> list[Record]:
        return self.book.tick(now)

    @property
    def open_alerts(self) -> int:
        return self.book.open_count

    def start(self) -> None:
        for part in (self.notifier, self.outbox):
            if part is not None:
                part.start()

    def stop(self) -> None:
        for part in (self.notifier, self.outbox):
            if part is not None:
                part.stop()


def make_alert_desk(options: dict[str, Any], context: ProcessorContext) -> AlertDesk:
    return AlertDesk(options.get("spec") or AlertSpec(), context)
