"""The domain's wire record: ioc/v1/water_level/<gauge> carries one reading of one gauge."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from feeds.core.payloads import PayloadError, iso_time, parse_timestamp, register_kind, require


@register_kind
@dataclass(frozen=True, slots=True)
class WaterLevel:
    kind: ClassVar[str] = "water_level"
    key: str  # "water/<gauge>"
    ts: float
    source: str
    level_m: float

    @property
    def gauge(self) -> str:
        return self.key.split("/", 1)[1]

    def to_payload(self) -> dict[str, Any]:
        return {"key": self.key, "ts": iso_time(self.ts), "level_m": self.level_m}

    @classmethod
    def from_payload(cls, data: dict[str, Any], source: str) -> WaterLevel:
        key = require(data, "key", str)
        if not key.startswith("water/") or len(key) <= len("water/"):
            raise PayloadError(f"key {key[:60]!r} must be water/<gauge>")
        level = float(require(data, "level_m", (int, float)))
        if not math.isfinite(level) or not -5 <= level <= 30:
            raise PayloadError(f"level_m {level!r} is outside [-5, 30] m")
        return cls(key=key, ts=parse_timestamp(data.get("ts")), source=source, level_m=level)
