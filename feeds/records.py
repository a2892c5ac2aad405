"""Typed records produced by every source; each carries its own timestamp and source."""

from __future__ import annotations

import enum
import math
import time
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"
    EMERGENCY = "emergency"


@dataclass(frozen=True, slots=True)
class Measurement:
    """One numeric value of a series, e.g. an indicator or a sensor reading."""

    key: str
    value: float
    ts: float
    source: str
    unit: str = ""
    label: str = ""
    target: float | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"value of {self.key!r} is not a finite number")


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """An alert as carried on the wire; the alert workflow builds on this record."""

    id: str
    key: str
    severity: Severity
    title: str
    ts: float
    source: str
    seq: int | None = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    publisher: str = ""  # whose gapless `seq` this is


@dataclass(frozen=True, slots=True)
class SceneCommand:
    """A layout pushed by an operator to a target terminal (wall or leader)."""

    target: str
    scene: str
    layout: dict[str, Any]
    ts: float
    source: str
    by: str = ""

    @property
    def key(self) -> str:
        return f"scene/{self.target}"


@dataclass(frozen=True, slots=True)
class SeqHeartbeat:
    """A publisher's retained statement of the last alert `seq` it sent, so a lost tail is noticed."""

    publisher: str
    last_seq: int
    ts: float


Record = Measurement | AlertEvent | SceneCommand


class LinkState(str, enum.Enum):
    CONNECTED = "connected"
    CONNECTING = "connecting"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """Connection state of one feed, with the wall-clock time it entered that state."""

    feed: str
    state: LinkState
    since: float = field(default_factory=time.time)
    detail: str = ""
