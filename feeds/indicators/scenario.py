"""sim://ioc — plausible Thanh Hóa indicators and alerts (domains 1, 2, 8 and 9), deterministic for a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from feeds.core.records import AlertEvent, Measurement, Record, Severity
from feeds.sim.scenarios import register_scenario

HOUR = 3600.0
MONTH = 30 * 24 * HOUR


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    key: str
    label: str
    unit: str
    base: float
    step: float  # standard deviation of one step of the random walk
    lo: float
    hi: float
    period_s: float  # the real reporting cadence of the line system
    decimals: int = 1
    target: float | None = None


# Domains 1, 2, 8 and 9 of MISSION.md, at the cadence each line system reports.
INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("econ/grdp_growth", "Tăng trưởng GRDP", "%", 10.6, 0.25, 6.0, 14.0, MONTH, 1, 11.0),
    IndicatorSpec("econ/budget_revenue", "Thu ngân sách lũy kế", "tỷ đồng", 42800, 600, 30000, 60000, MONTH, 0, 50000),
    IndicatorSpec("econ/public_investment_pct", "Giải ngân vốn đầu tư công", "%", 61.5, 1.5, 20, 100, MONTH, 1, 95),
    IndicatorSpec("econ/land_clearance_pct", "Giải phóng mặt bằng", "%", 78.0, 1.2, 40, 100, MONTH, 1, 100),
    IndicatorSpec("econ/cpi", "Chỉ số giá tiêu dùng (CPI)", "%", 3.4, 0.1, 1.0, 6.0, MONTH, 2, 4.0),
    IndicatorSpec("feedback/received", "Phản ánh tiếp nhận", "phản ánh", 1240, 18, 900, 1800, 3 * HOUR, 0),
    IndicatorSpec("feedback/on_time_pct", "Phản ánh xử lý đúng hạn", "%", 93.5, 0.8, 80, 100, 3 * HOUR, 1, 95),
    IndicatorSpec("feedback/overdue", "Phản ánh quá hạn", "phản ánh", 17, 3, 0, 60, 3 * HOUR, 0),
    IndicatorSpec("services/received", "Hồ sơ TTHC tiếp nhận", "hồ sơ", 18650, 140, 15000, 24000, 1.5 * HOUR, 0),
    IndicatorSpec("services/on_time_pct", "Hồ sơ giải quyết đúng hạn", "%", 98.2, 0.4, 90, 100, 1.5 * HOUR, 1, 98),
    IndicatorSpec("services/overdue", "Hồ sơ TTHC quá hạn", "hồ sơ", 86, 9, 0, 300, 1.5 * HOUR, 0),
    IndicatorSpec("docs/incoming", "Văn bản đến", "văn bản", 5320, 60, 4000, 7000, 2 * HOUR, 0),
    IndicatorSpec("docs/overdue", "Văn bản quá hạn", "văn bản", 42, 5, 0, 150, 2 * HOUR, 0),
    IndicatorSpec("docs/due_24h", "Văn bản sắp đến hạn (24 giờ)", "văn bản", 65, 7, 0, 200, 2 * HOUR, 0),
)

ALERT_SOURCES: tuple[tuple[str, str, str, Severity], ...] = (
    ("feedback/overdue", "Phản ánh của người dân quá hạn xử lý", "Citizen feedback overdue", Severity.WARNING),
    ("docs/due_24h", "Văn bản sắp đến hạn trong 24 giờ", "Documents due within 24 hours", Severity.INFO),
    ("services/overdue", "Hồ sơ TTHC quá hạn tăng", "Overdue administrative dossiers rising", Severity.WARNING),
    ("econ/public_investment_pct", "Giải ngân vốn đầu tư công chậm so với kế hoạch",
     "Public investment disbursement behind plan", Severity.CRITICAL),
)


class Simulator:
    """Emits records whose values depend only on the seed; cadences are divided by `speed`."""

    def __init__(self, seed: int = 7, speed: float = 1.0, alert_period_s: float = 20 * 60,
                 source: str = "sim") -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.seed = seed
        self.speed = speed
        self.source = source
        self.alert_period_s = alert_period_s
        self._values = {spec.key: spec.base for spec in INDICATORS}
        self._rngs = {spec.key: random.Random(f"{seed}:{spec.key}") for spec in INDICATORS}
        self._alert_rng = random.Random(f"{seed}:alerts")
        self._next: dict[str, float] = {}
        self._next_alert = 0.0
        self.alert_seq = 0
        self.publisher = f"sim{seed}"

    def _walk(self, spec: IndicatorSpec) -> float:
        value = self._values[spec.key] + self._rngs[spec.key].gauss(0.0, spec.step)
        value = round(min(spec.hi, max(spec.lo, value)), spec.decimals)
        self._values[spec.key] = value
        return value

    def _measurement(self, spec: IndicatorSpec, ts: float) -> Measurement:
        return Measurement(key=spec.key, value=self._walk(spec), ts=round(ts, 3), source=self.source,
                           unit=spec.unit, label=spec.label, target=spec.target)

    def start(self, now: float, backfill: int = 24) -> list[Record]:
        """History for every indicator (at its real cadence, ending now) and the first schedule."""
        # A run has its own numbering: alert ids and seq restart, so they carry the run's start time.
        self.publisher = f"sim{self.seed}-{int(now)}"
        records: list[Record] = []
        for spec in INDICATORS:
            records.extend(self._measurement(spec, now - k * spec.period_s) for k in range(backfill - 1, -1, -1))
            self._next[spec.key] = now + spec.period_s / self.speed
        self._next_alert = now + self.alert_period_s / self.speed
        return records

    def due(self, now: float) -> list[Record]:
        """Records whose (compressed) time has come by `now`."""
        records: list[Record] = []
        for spec in INDICATORS:
            while self._next[spec.key] <= now:
                records.append(self._measurement(spec, self._next[spec.key]))
                self._next[spec.key] += spec.period_s / self.speed
        while self._next_alert <= now:
            records.append(self.next_alert(self._next_alert))
            self._next_alert += self.alert_period_s / self.speed
        return records

    def next_alert(self, ts: float) -> AlertEvent:
        """The next alert in sequence; `seq` numbers are gapless from 1."""
        self.alert_seq += 1
        key, title, title_en, severity = ALERT_SOURCES[self._alert_rng.randrange(len(ALERT_SOURCES))]
        value = self._values[key]
        return AlertEvent(id=f"{self.publisher}-{self.alert_seq}", key=key, severity=severity, title=title,
                          title_en=title_en,
                          ts=round(ts, 3), source=self.source, seq=self.alert_seq,
                          detail=f"{key} = {value:g}", extra={"value": value}, publisher=self.publisher)

    def next_time(self) -> float:
        return min([*self._next.values(), self._next_alert])


@register_scenario("ioc")
def indicators_scenario(options: dict[str, Any]) -> Simulator:
    """Domains 1, 2, 8 and 9: socio-economic indicators, citizen feedback, public services, documents."""
    return Simulator(seed=options["seed"], speed=float(options["speed"]),
                     alert_period_s=float(options["alert_period_s"]), source=options["source"])
