"""Video conferencing, declared for the domain registry: the [conference] section and its permissions."""

from __future__ import annotations

from feeds.conference.settings import ConferenceSettings, parse_conference
from feeds.core.domain import ConfigSection, Domain, Permission

DOMAIN = Domain(
    name="conference",
    title="Truyền hình hội nghị",
    title_en="Video conferencing",
    config=ConfigSection("conference", parse_conference, ConferenceSettings),
    tile_modules=("widgets.conference.conference_tile",),
    permissions=(
        Permission("conference.join", ("administrator", "duty_operator", "duty_leader", "leader", "secretary",
                                       "wall"), "none", "Tham gia hội nghị truyền hình", "Join a video conference"),
        Permission("conference.publish", ("administrator", "duty_operator", "duty_leader", "leader", "secretary"),
                   "none", "Phát hình và tiếng trong hội nghị (camera, micro, chia sẻ màn hình)",
                   "Send camera, sound and a shared screen to a conference (the wall only watches)"),
        Permission("conference.chair", ("administrator", "duty_leader", "leader"), "none",
                   "Điều hành hội nghị (tắt tiếng, mời ra, khóa phòng)",
                   "Chair a conference (mute, remove, lock the room)"),
    ),
)
