"""Live meeting state on the wire (kind ``meeting``): what walls and tablets follow, one record per change.

Keys are ``meeting/<id>/<part>``: ``state`` (the meeting with its agenda and who is present, and the current
item), ``speaking`` (the speaker with the time granted, and the queue), ``poll`` (the poll under way and its
running tally) and ``result/<poll>`` (the signed result). Published retained with QoS 1 on
``ioc/v1/meeting/<id>/<part>``, so a wall that starts late gets the present state at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from feeds.core.payloads import PayloadError, iso_time, parse_timestamp, register_kind, require

PARTS = ("state", "speaking", "poll", "result")
MAX_BODY = 256 * 1024
KEY_PREFIX = "meeting/"


def live_key(meeting: str, part: str) -> str:
    return f"{KEY_PREFIX}{meeting}/{part}"


@register_kind
@dataclass(frozen=True, slots=True)
class MeetingLive:
    kind: ClassVar[str] = "meeting"
    key: str
    ts: float
    source: str
    part: str
    body: dict[str, Any]

    @property
    def meeting(self) -> str:
        return self.key[len(KEY_PREFIX):].split("/", 1)[0]

    def to_payload(self) -> dict[str, Any]:
        return {"key": self.key, "ts": iso_time(self.ts), "part": self.part, "body": self.body}

    @classmethod
    def from_payload(cls, data: dict[str, Any], source: str) -> MeetingLive:
        key = require(data, "key", str)
        part = require(data, "part", str)
        body = require(data, "body", dict)
        if not key.startswith(KEY_PREFIX) or len(key.split("/")) < 3:
            raise PayloadError(f"key {key!r} is not meeting/<id>/<part>")
        if part not in PARTS or key.split("/")[2] != part:
            raise PayloadError(f"part {part!r} is not one of {', '.join(PARTS)} or does not match the key")
        if len(json.dumps(body)) > MAX_BODY:
            raise PayloadError(f"the body is larger than {MAX_BODY} bytes")
        return cls(key, parse_timestamp(require(data, "ts", (str, int, float))), source, part, body)
