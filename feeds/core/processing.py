"""The processor interface: what derives records on the ingest writer thread, and how it is built there."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from feeds.core.records import Record

Processor = Callable[[list[Record]], list[Record]]
"""Sees each fresh batch (with what earlier processors derived from it) and returns extra records.

Optional methods the ingest process calls when present: `tick(now) -> list[Record]` about once a second,
`start()` once its sources run, `stop()` on the way out, and `open_alerts: int` for the console's counter."""


@dataclass
class ProcessorContext:
    """What the ingest process hands a processor factory: the store, a way to submit records, a publisher."""

    store: Any  # feeds.store.Cache (typed loosely: core sits below the store)
    submit: Callable[[Record], None]
    publish: Callable[..., None] = lambda *args, **kwargs: None  # (feed, record, on_sent=None)
    cache_path: str = ""


@dataclass(frozen=True)
class ProcessorSpec:
    """A processor built in the ingest process: `factory` is "module:function", called with `options` and a
    ProcessorContext. `order` sorts processors: domains derive at 0; the alert book folds last."""

    factory: str
    options: dict[str, Any] = field(default_factory=dict)
    order: int = 0

    def build(self, context: ProcessorContext) -> Processor:
        module, _, name = self.factory.partition(":")
        make: Callable[[dict[str, Any], ProcessorContext], Processor] = getattr(importlib.import_module(module), name)
        return make(self.options, context)
