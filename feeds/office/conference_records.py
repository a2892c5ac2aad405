"""Which conference recordings belong to a meeting: those of the room the meeting is held in (the meeting's place
is the room's description or name in [conference.rooms]) made between its start and its end (an hour's grace
after, for a meeting that ran over)."""

from __future__ import annotations

from collections.abc import Callable

from feeds.conference.recordings import list_recordings
from feeds.conference.settings import ConferenceSettings
from feeds.meetings.records import Meeting

GRACE_S = 3600.0


def meeting_recordings(settings: ConferenceSettings) -> Callable[[Meeting], list[str]]:
    def recorded(meeting: Meeting) -> list[str]:
        if settings.recordings is None or not meeting.place:
            return []
        rooms = [r for r in settings.rooms.values() if meeting.place.strip() in (r.description, r.name)]
        if not rooms:
            return []
        return [r.describe() for room in rooms for r in list_recordings(settings.recordings, room.address.room)
                if meeting.starts - 60 <= r.started <= meeting.ends + GRACE_S]
    return recorded
