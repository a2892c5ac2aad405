"""sim://traffic — violations and flow per intersection camera (domain 5), as the traffic API reports them.

Keys: traffic/<camera>/violations (count since midnight) and traffic/<camera>/flow (vehicles per hour), for
cameras cam01 … camNN (options.scale, default 9), every `period_s` real seconds divided by the speed.
"""

from __future__ import annotations

import random
import time
from typing import Any

from feeds.core.records import Measurement, Record
from feeds.sim.scenarios import register_scenario

INTERSECTIONS = ("Ngã tư Bà Triệu", "Đại lộ Lê Lợi – Hạc Thành", "Ngã ba Voi", "Cầu Hàm Rồng",
                 "Quảng trường Lam Sơn", "Ngã tư Phú Sơn", "Đường Trần Phú – Phan Chu Trinh",
                 "Nút giao Đông Hương", "Ngã sáu Cầu Bố", "Cảng Nghi Sơn")


class TrafficSimulator:
    def __init__(self, seed: int = 7, speed: float = 1.0, cameras: int = 9, period_s: float = 60.0,
                 source: str = "traffic") -> None:
        self.rng = random.Random(f"{seed}:traffic")
        self.cameras = [f"cam{i:02d}" for i in range(1, cameras + 1)]
        self.period = period_s / max(speed, 1e-6)
        self.source = source
        self.violations = {c: float(self.rng.randrange(0, 25)) for c in self.cameras}
        self.flow = {c: float(self.rng.randrange(300, 1500)) for c in self.cameras}
        self._next = 0.0

    def _records(self, ts: float) -> list[Record]:
        out: list[Record] = []
        for i, camera in enumerate(self.cameras):
            self.violations[camera] += self.rng.random() < 0.3
            self.flow[camera] = max(50.0, min(3000.0, self.flow[camera] + self.rng.gauss(0, 40)))
            name = INTERSECTIONS[i % len(INTERSECTIONS)]
            out.append(Measurement(f"traffic/{camera}/violations", self.violations[camera], round(ts, 3),
                                   self.source, "vi phạm", f"Vi phạm — {name}"))
            out.append(Measurement(f"traffic/{camera}/flow", round(self.flow[camera]), round(ts, 3), self.source,
                                   "xe/giờ", f"Lưu lượng — {name}"))
        return out

    def start(self, now: float, backfill: int = 24) -> list[Record]:
        self._next = now + self.period
        return self._records(now)

    def due(self, now: float) -> list[Record]:
        records: list[Record] = []
        while self._next <= now:
            records += self._records(self._next)
            self._next += self.period
        return records

    def next_time(self) -> float:
        return self._next or time.time()


@register_scenario("traffic")
def traffic_scenario(options: dict[str, Any]) -> TrafficSimulator:
    """Domain 5: violation and flow statistics of the intersection cameras."""
    return TrafficSimulator(seed=options["seed"], speed=float(options["speed"]), cameras=options["scale"] or 9,
                            source=options["source"])
