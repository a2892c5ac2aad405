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
    place: tuple[float, float] | None = None  # the commune's centre (lat, lon): alerts within radius_km call here
    radius_km: float = 10.0
    preset: str = ""  # the wall layout an alarm call puts up (a layout of [layouts])
    wall: str = "wall-1/0"  # …on this screen
    invite: tuple[str, ...] = ()  # [alerts.channels] that invite the commune's members (SMS, e-mail)

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
                                                                 "record", "pin", "secret", "place", "radius_km",
                                                                 "preset", "wall", "invite"})
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
        place = room.get("place", list, [])
        if place and (len(place) != 2 or not all(isinstance(v, (int, float)) for v in place)
                      or not (-90 <= place[0] <= 90 and -180 <= place[1] <= 180)):
            raise context.error(f"conference.rooms.{name}.place", f"expected [latitude, longitude], got {place!r}")
        radius = float(room.get("radius_km", (int, float), 10.0))
        if not 0 < radius <= 200:
            raise context.error(f"conference.rooms.{name}.radius_km", f"expected 0 to 200 km, got {radius}")
        invite = room.get("invite", list, [])
        if not all(isinstance(v, str) for v in invite):
            raise context.error(f"conference.rooms.{name}.invite", "expected a list of [alerts.channels] names")
        rooms[name] = RoomSettings(name, address, room.get("description", str, name), publishers,
                                   room.get("unit", str, ""), room.get("record", bool, False),
                                   (float(place[0]), float(place[1])) if place else None, radius,
                                   room.get("preset", str, ""), room.get("wall", str, "wall-1/0"), tuple(invite))
    numbers = [(r.address.host, r.address.port, r.address.room) for r in rooms.values()]  # numbers are per Janus
    if len(set(numbers)) != len(numbers):
        raise context.error("conference.rooms", "two rooms have the same number on the same Janus")
    recordings = reader.get("recordings", str, "")
    microphone = reader.get("microphone", str, "alsa://default")
    if microphone and microphone.partition("://")[0] not in ("alsa", "pulse", "tone"):
        raise context.error("conference.microphone", f"expected alsa://, pulse://, tone:// or \"\", got {microphone!r}")
    return ConferenceSettings(rooms, context.path(recordings) if recordings else None,
                              reader.get("camera", str, "device://0"), microphone)
