"""sim://SCENARIO — a built-in simulator scenario as a feed, and the in-process bus for scene commands."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from feeds.core.records import LinkState, Record
from feeds.sim.scenarios import make_scenario, scenario_names
from feeds.sources.base import Option, ThreadedSource, register


@register
class SimSource(ThreadedSource):
    schemes = ("sim",)
    thread_prefix = "sim"
    join_timeout_s = 2.0
    options: ClassVar[dict[str, Option]] = {
        "seed": Option(int, 7, "the random seed"),
        "speed": Option((int, float), 1.0, "how many times faster than the real cadence"),
        "alert_period_s": Option((int, float), 1200.0, "real seconds between simulated alerts"),
        "backfill": Option(int, 24, "history points emitted at start per indicator"),
        "scale": Option(int, 0, "size of the simulated world, e.g. vessels or stations (0: the scenario's default)"),
        "stale_after_s": Option((int, float), 0, "age after which values are shown stale (0: per tile)"),
    }

    @classmethod
    def check_address(cls, address: str) -> None:
        name = address.split("://", 1)[1].split("/", 1)[0] or "ioc"
        if name not in scenario_names():
            raise ValueError(f"unknown simulator scenario {name!r}; known: {', '.join(scenario_names())}")

    def before_start(self) -> None:
        self.sim = make_scenario(self.url.netloc or "ioc", {**self.opts, "source": self.name})

    def run(self) -> None:
        for record in self.sim.start(time.time(), backfill=self.opts["backfill"]):
            self.sink.submit(record)
        self.set_state(LinkState.CONNECTED, "simulator")
        while not self._stop.is_set():
            for record in self.sim.due(time.time()):
                self.sink.submit(record)
            self._stop.wait(max(0.05, min(1.0, self.sim.next_time() - time.time())))

    def publish(self, record: Record, retain: bool = False, on_sent: Callable[[], None] | None = None) -> None:
        self.sink.submit(record, ack=on_sent)
