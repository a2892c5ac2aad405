"""Derives flood alerts from water levels, on the ingest writer thread, once per episode."""

from __future__ import annotations

from typing import Any

from feeds.core.processing import ProcessorContext
from feeds.core.records import AlertEvent, Record, Severity
from tests.example_domain.records import WaterLevel
from tests.example_domain.settings import WaterSettings


class FloodWatch:
    def __init__(self, settings: WaterSettings) -> None:
        self.settings = settings
        self.flooding: set[str] = set()

    def __call__(self, records: list[Record]) -> list[Record]:
        out: list[Record] = []
        for level in (r for r in records if isinstance(r, WaterLevel)):
            over = level.level_m >= self.settings.flood_m
            if over == (level.gauge in self.flooding):
                continue
            (self.flooding.add if over else self.flooding.discard)(level.gauge)
            out.append(AlertEvent(
                id=f"water/{level.gauge}/flood/{level.ts:.0f}", key=f"water/{level.gauge}/flood",
                severity=Severity.CRITICAL, title=f"Mực nước trạm {level.gauge} vượt báo động: {level.level_m:g} m",
                title_en=f"Gauge {level.gauge} above flood level: {level.level_m:g} m", ts=level.ts,
                source=level.source, domain="water", link=f"gauge:{level.gauge}", clear=not over))
        return out


def make_flood_watch(options: dict[str, Any], context: ProcessorContext) -> FloodWatch:
    return FloodWatch(options["settings"])
