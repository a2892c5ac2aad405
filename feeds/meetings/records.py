"""What a meeting is made of, as the office service keeps it and sends it (JSON-ready dataclasses)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any


class MemberRole(str, Enum):
    CHAIR = "chair"  # opens and closes polls, moves through the agenda, gives the floor
    MEMBER = "member"  # votes
    SECRETARY = "secretary"  # prepares papers and the minutes; does not vote
    GUEST = "guest"  # invited: attends and may speak, does not vote


VOTING_ROLES = frozenset({MemberRole.CHAIR, MemberRole.MEMBER})


class Presence(str, Enum):
    UNKNOWN = "unknown"  # not checked in yet
    IN_ROOM = "in_room"
    ONLINE = "online"
    ABSENT = "absent"  # with a reason


PRESENT = frozenset({Presence.IN_ROOM, Presence.ONLINE})


class MeetingState(str, Enum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


class PollMethod(str, Enum):
    YES_NO_ABSTAIN = "yes_no_abstain"
    CHOICE = "choice"  # one of n (max_choices 1) or up to k of n


class PollState(str, Enum):
    CREATED = "created"
    OPEN = "open"
    CLOSED = "closed"


YES_NO_ABSTAIN = ("Đồng ý", "Không đồng ý", "Không biểu quyết")


@dataclass(frozen=True)
class Member:
    meeting: str
    name: str  # the account name (identity)
    display_name: str
    role: MemberRole
    presence: Presence = Presence.UNKNOWN
    absence_reason: str = ""


@dataclass(frozen=True)
class AgendaItem:
    meeting: str
    position: int  # 1, 2, …
    title: str
    presenter: str = ""
    minutes: int = 0  # time allotted
    papers: tuple[str, ...] = ()  # paper ids


@dataclass(frozen=True)
class Meeting:
    id: str
    title: str
    unit: str
    starts: float  # epoch seconds
    ends: float
    place: str = ""
    state: MeetingState = MeetingState.PLANNED
    current_item: int = 0  # agenda position; 0 before the first
    agenda: tuple[AgendaItem, ...] = ()
    members: tuple[Member, ...] = ()

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    @property
    def chair(self) -> str:
        return next((m.name for m in self.members if m.role is MemberRole.CHAIR), "")


@dataclass(frozen=True)
class Poll:
    id: str
    meeting: str
    title: str
    method: PollMethod
    options: tuple[str, ...]
    max_choices: int = 1
    secret: bool = False
    state: PollState = PollState.CREATED
    agenda_item: int = 0
    opened: float = 0.0
    closed: float = 0.0


@dataclass(frozen=True)
class Tally:
    """The count of a poll: per option, how many ballots, out of how many could vote."""

    poll: str
    counts: tuple[int, ...]
    ballots: int
    eligible: int  # voting members present when counted (at close: when it closed)
    members: int  # voting members of the meeting

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SpeakingTurn:
    meeting: str
    name: str
    display_name: str
    requested: float
    granted: float = 0.0  # 0: waiting in the queue
    ended: float = 0.0
    limit_s: int = 0  # the chair's time limit (0: none)


def to_json(value: Any) -> Any:
    """A record (or a tuple/list of them) as plain JSON values, enums as their strings."""
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_json(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


@dataclass(frozen=True)
class BallotAnswer:
    """The service's answer to a ballot: counted (now or before), or refused with the reason."""

    ballot: str
    counted: bool
    duplicate: bool = False
    reason: str = ""  # a code: poll_closed, not_present, not_member, already_voted, invalid_choice…
    message_vi: str = ""
    message_en: str = ""
