"""A burst of alerts from many sources, at a steady rate: for the alert-storm bench and delivery tests."""

from __future__ import annotations

import random
import time

from feeds.core.records import AlertEvent, Record, Severity

# (type, Vietnamese title, English title, severity) of the storm's alerts
STORM_KINDS = (
    ("overload", "Trạm {n} quá tải", "Station {n} overloaded", Severity.WARNING),
    ("offline", "Thiết bị {n} mất kết nối", "Device {n} offline", Severity.CRITICAL),
    ("flood", "Cảm biến {n} báo ngập", "Sensor {n} reports flooding", Severity.EMERGENCY),
)


class AlertStorm:
    """`total` alerts spread evenly over `duration_s` from `sources` sources; each source repeats one kind,
    so the alerts fold into `sources` open alerts. Gapless `seq` numbers, like any alert publisher."""

    def __init__(self, total: int, sources: int, duration_s: float, seed: int = 1, source: str = "storm") -> None:
        self.total, self.sources, self.duration_s = total, sources, duration_s
        self.publisher = f"storm{seed}-{int(time.time())}"
        self.source = source
        self.alert_seq = 0
        self._rng = random.Random(seed)
        self._kinds = [self._rng.randrange(len(STORM_KINDS)) for _ in range(sources)]
        self._t0 = 0.0

    def start(self, now: float, backfill: int = 0) -> list[Record]:
        self._t0 = now
        return []

    def next_time(self) -> float:
        return self._t0 + self.alert_seq * self.duration_s / max(1, self.total)

    def due(self, now: float) -> list[Record]:
        out: list[Record] = []
        while self.alert_seq < self.total and self.next_time() <= now:
            out.append(self.next_alert(now))
        return out

    def next_alert(self, now: float) -> AlertEvent:
        self.alert_seq += 1
        n = (self.alert_seq - 1) % self.sources
        kind, title, title_en, severity = STORM_KINDS[self._kinds[n]]
        return AlertEvent(id=f"{self.publisher}-{self.alert_seq}", key=f"storm/src{n:03d}/{kind}", severity=severity,
                          title=title.format(n=n), title_en=title_en.format(n=n), ts=now, source=self.source,
                          seq=self.alert_seq, publisher=self.publisher, extra={"sent": time.time()})
