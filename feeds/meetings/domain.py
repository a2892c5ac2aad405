"""Paperless meetings, declared for the domain registry: the [office] section and the meeting permissions."""

from __future__ import annotations

from feeds.core.domain import ConfigSection, Domain, Permission
from feeds.meetings.settings import OfficeSettings, parse_office

_PEOPLE = ("administrator", "duty_operator", "duty_leader", "leader", "secretary")

DOMAIN = Domain(
    name="meetings",
    title="Họp không giấy (e-Cabinet)",
    title_en="Paperless meetings (e-Cabinet)",
    config=ConfigSection("office", parse_office, OfficeSettings),
    kind_modules={"meeting": "feeds.meetings.live_records"},
    tile_modules=("widgets.meetings.tiles",),
    permissions=(
        Permission("meeting.view", (*_PEOPLE, "wall"), "none", "Xem cuộc họp", "View meetings"),
        Permission("meeting.manage", ("administrator", "secretary"), "none",
                   "Chuẩn bị cuộc họp (chương trình, thành phần, tài liệu)",
                   "Prepare meetings (agenda, members, papers)"),
        Permission("meeting.attend", _PEOPLE, "none", "Dự họp (điểm danh, xin phát biểu)",
                   "Attend meetings (check in, ask for the floor)"),
        Permission("meeting.vote", ("duty_leader", "leader"), "none", "Biểu quyết", "Vote"),
        Permission("meeting.chair", ("duty_leader", "leader"), "none", "Chủ trì cuộc họp",
                   "Chair a meeting (agenda, polls, floor)"),
    ),
)
