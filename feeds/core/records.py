"""Typed records produced by every source; each carries its own timestamp and source."""

from __future__ import annotations

import enum
import math
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

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


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2, Severity.EMERGENCY: 3}
SEVERITIES = tuple(SEVERITY_RANK)


def raise_severity(severity: Severity, steps: int = 1) -> Severity:
    """One (or more) levels up, never beyond emergency."""
    return SEVERITIES[min(len(SEVERITIES) - 1, SEVERITY_RANK[severity] + steps)]


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One trigger of an alert as carried on the wire (a source saw something, or it cleared).

    Triggers are folded into `Alert`s by (entity, type): a repeat updates the open alert and its count.
    `entity`, `type` and `domain` default from the key `<domain>/<entity…>/<type>`.
    """

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
    title_en: str = ""
    detail_en: str = ""
    entity: str = ""
    type: str = ""
    domain: str = ""
    location: tuple[float, float] | None = None  # (lat, lon)
    link: str = ""  # what to show with it: "camera:<id>", "vessel:<registration>", "station:<id>"
    rule: str = ""  # the configured rule that raised it, if any
    clear: bool = False  # the condition is over (the alert stays open until an operator resolves it)

    @property
    def alert_entity(self) -> str:
        return self.entity or (self.key.rsplit("/", 1)[0] if "/" in self.key else self.key)

    @property
    def alert_type(self) -> str:
        return self.type or self.key.rsplit("/", 1)[-1]

    @property
    def alert_domain(self) -> str:
        return self.domain or self.key.split("/", 1)[0]

    @property
    def identity(self) -> str:
        """What deduplicates: one open alert per (source entity, type)."""
        return f"{self.alert_entity}|{self.alert_type}"


class AlertState(str, enum.Enum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


ALERT_STATES = tuple(AlertState)
OPEN_STATES = frozenset(ALERT_STATES[:4])


@dataclass(frozen=True, slots=True)
class Alert:
    """The state of one alert (an episode of one entity and type), as the operators work on it."""

    id: str
    identity: str  # "<entity>|<type>"
    domain: str
    type: str
    entity: str
    severity: Severity
    title: str
    title_en: str
    detail: str
    detail_en: str
    first_seen: float
    last_seen: float
    count: int
    state: AlertState
    ts: float  # when this state was reached (the record's own time)
    source: str
    location: tuple[float, float] | None = None
    link: str = ""
    rule: str = ""
    assignee: str = ""
    acked_by: str = ""
    acked_at: float | None = None
    cleared: bool = False
    escalations: int = 0
    procedure: str = ""  # the SOP id once one was started
    raised_at: float = 0.0  # when this console first saw it (escalation timers run from here)

    @property
    def key(self) -> str:
        return f"alertstate/{self.id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


# What an operator (or the system) did to an alert. `ack`…`close` move the state; the others are history.
ALERT_ACTIONS = ("raised", "repeat", "clear", "ack", "assign", "start", "resolve", "close", "note",
                 "escalate", "sop_step", "sop_done", "notified", "notify_failed")


@dataclass(frozen=True, slots=True)
class AlertAction:
    """One entry of an alert's history: who did what, when. Published to the other consoles (QoS 1)."""

    id: str
    alert_id: str
    action: str
    by: str
    ts: float
    source: str = "local"
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"alertaction/{self.id}"


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


class Record(Protocol):
    """What every record is, whatever its domain: a key, its own time, the feed it came from. The core
    kinds are the dataclasses above; a domain adds its own (feeds.core.payloads.register_kind) without
    editing this module."""

    @property
    def key(self) -> str: ...
    @property
    def ts(self) -> float: ...
    @property
    def source(self) -> str: ...


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
