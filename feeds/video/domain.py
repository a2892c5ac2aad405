"""The traffic and public-order cameras domain (5 of MISSION.md), declared for the domain registry."""

from __future__ import annotations

from feeds.core.domain import ConfigSection, Domain
from feeds.video.config import parse_cameras

DOMAIN = Domain(
    name="video",
    title="Camera giao thông và trật tự",
    title_en="Traffic and public-order cameras",
    scenario_modules=("feeds.video.traffic_scenario",),
    config=ConfigSection("cameras", parse_cameras, dict),
    tile_modules=("widgets.video.camera_tile",),
    popups={"camera": "feeds.video.popups:camera_popup"},
    procedures=("sop/camera-mat-tin-hieu.toml",),
)
