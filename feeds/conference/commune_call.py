"""The alarm → commune call: which room an alert calls (the commune whose place it is near), and the invitation
its members get (sent by the desktop through the alert channels: SMS, e-mail)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from feeds.conference.settings import ConferenceSettings, RoomSettings
from feeds.core.records import Alert
from feeds.core.text import ascii_text


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), enough for 'which commune is this in'."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def room_for_alert(settings: ConferenceSettings, alert: Alert) -> RoomSettings | None:
    """The room of the nearest commune whose radius holds the alert's place (None: no place, or no room near)."""
    if alert.location is None:
        return None
    near = [(distance_km(alert.location, r.place), r.name, r) for r in settings.rooms.values()
            if r.place is not None and distance_km(alert.location, r.place) <= r.radius_km]
    return min(near)[2] if near else None


@dataclass(frozen=True)
class Invitation:
    room: RoomSettings
    subject: str
    body: str
    short: str  # the SMS text (ASCII: every handset shows it)
    payload: dict[str, Any]


def invitation(alert: Alert, room: RoomSettings, by: str, now: float) -> Invitation:
    when = datetime.datetime.fromtimestamp(now).strftime("%H:%M %d/%m/%Y")
    subject = f"Mời họp trực tuyến khẩn: {alert.title}"
    body = (f"Trung tâm IOC tỉnh mời {room.description} vào phòng họp trực tuyến ngay ({when}).\n"
            f"Sự việc: {alert.title}. {alert.detail}\n"
            f"Phòng: janus://{room.address.host}:{room.address.port}/room/{room.address.room} · Người mời: {by}.")
    short = ascii_text(f"IOC tỉnh mời {room.description} vào phòng họp trực tuyến ngay: {alert.title}. "
                       f"Phòng {room.address.room}.")
    return Invitation(room, subject, body, short, {"alert": alert.id, "room": room.address.room, "by": by, "at": now})
