"""The [conference] section: the site's Janus, its rooms (one per commune or meeting room), recordings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feeds.conference.address import AddressError, RoomAddress, parse_room
from feeds.core.config import SectionContext


@dataclass(frozen=True)
class RoomSettings:
    name: str
    address: RoomAddress
    description: str = ""
    publishers: int = 16  # video publishers at once
    unit: str = ""  # the unit (commune) the room belongs to: the alarm → commune call opens it
    record: bool = False

    @property
    def secret_name(self) -> str:
        """The room's moderation secret (chair control) in the secrets store."""
        return f"conference/room-{self.address.room}"

    @property
    def pin_name(self) -> str:
        """The PIN participants join with, in the secrets store (optional)."""
        return f"conference/room-{self.address.room}-pin"


@dataclass(frozen=True)
class ConferenceSettings:
    rooms: dict[str, RoomSettings] = field(default_factory=dict)
    recordings: Path | None = None  # where Janus writes recordings (.mjr), on premises
    camera: str = "device://0"  # what a console or tablet sends: a webcam, or any video address cameras accept
    microphone: str = "alsa://default"  # alsa://DEVICE, pulse://DEVICE, tone:// (a test tone) or "" (none)


def parse_conference(table: Any, context: SectionContext) -> ConferenceSettings:
    reader = context.reader(table, "conference", {"rooms", "recordings", "camera", "microphone"})
    rooms: dict[str, RoomSettings] = {}
    for name, spec in reader.get("rooms", dict, {}).items():
        room = context.reader(spec, f"conference.rooms.{name}", {"address", "description", "publishers", "unit",
                                                                 "record", "pin", "secret"})
        for key in ("pin", "secret"):
            if key in spec:
                where = "conference/room-N" + ("-pin" if key == "pin" else "")
                raise context.error(f"conference.rooms.{name}.{key}", "secrets are never kept in the configuration "
                                                                     f"file: `controlroom secrets set {where}`")
        try:
            address = parse_room(room.get("address", str))
        except AddressError as exc:
            raise context.error(f"conference.rooms.{name}.address", str(exc)) from None
        publishers = room.get("publishers", int, 16)
        if not 1 <= publishers <= 100:
            raise context.error(f"conference.rooms.{name}.publishers", f"expected 1 to 100, got {publishers}")
        rooms[name] = RoomSettings(name, address, room.get("description", str, name), publishers,
                                   room.get("unit", str, ""), room.get("record", bool, False))
    numbers = [r.address.room for r in rooms.values()]
    if len(set(numbers)) != len(numbers):
        raise context.error("conference.rooms", "two rooms have the same number")
    recordings = reader.get("recordings", str, "")
    microphone = reader.get("microphone", str, "alsa://default")
    if microphone and microphone.partition("://")[0] not in ("alsa", "pulse", "tone"):
        raise context.error("conference.microphone", f"expected alsa://, pulse://, tone:// or \"\", got {microphone!r}")
    return ConferenceSettings(rooms, context.path(recordings) if recordings else None,
                              reader.get("camera", str, "device://0"), microphone)
