"""sim://SCENARIO — a built-in simulator scenario as a feed, and the in-process bus for scene commands."""

from __future__ import annotations

import threading
import time
from typing import Callable

from feeds.records import LinkState, Record
from feeds.sim import make_scenario, scenario_names
from feeds.source import Option, Source, register


@register
class SimSource(Source):
    schemes = ("sim",)
    options = {
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

    def start(self) -> None:
        self.sim = make_scenario(self.url.netloc or "ioc", {**self.opts, "source": self.name})
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for record in self.sim.start(time.time(), backfill=self.opts["backfill"]):
            self.sink.submit(record)
        self.set_state(LinkState.CONNECTED, "simulator")
        while not self._stop.is_set():
            for record in self.sim.due(time.time()):
                self.sink.submit(record)
            self._stop.wait(max(0.05, min(1.0, self.sim.next_time() - time.time())))

    def stop(self) -> None:
        super().stop()
        if hasattr(self, "_thread"):
            self._thread.join(timeout=2)

    def publish(self, record: Record, retain: bool = False, on_sent: Callable[[], None] | None = None) -> None:
        self.sink.submit(record, ack=on_sent)
