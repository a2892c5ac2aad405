"""Named scenes: saved by the operator, pushed to a terminal's screen, applied there and remembered."""

from __future__ import annotations

import logging
import time

from desktop.config.layouts import ScreenLayout
from feeds.core.records import SceneCommand
from feeds.store import Cache

log = logging.getLogger(__name__)


def scene_target(terminal: str, screen: int) -> str:
    """The address of one screen of a terminal, e.g. wall-1/0."""
    return f"{terminal}/{screen}"


def scene_topic_filter(terminal: str) -> str:
    return f"ioc/v1/scene/{terminal}/#"


def make_push(scene: str, layout: ScreenLayout, target: str, by: str) -> SceneCommand:
    return SceneCommand(target=target, scene=scene, layout=layout.to_dict(), ts=round(time.time(), 3),
                        source="operator", by=by)


def layout_of(command: SceneCommand) -> ScreenLayout | None:
    """The layout a command carries, or None (logged) when it is malformed."""
    try:
        return ScreenLayout.from_dict(command.layout)
    except (KeyError, TypeError, ValueError) as exc:
        log.error("scene %r for %s from %s is malformed and was not applied: %s",
                  command.scene, command.target, command.by or command.source, exc)
        return None


def remembered_layout(cache: Cache, target: str) -> tuple[str, ScreenLayout] | None:
    """The last scene applied to a target (kept across restarts), if any."""
    command = cache.scene_for(target)
    if command is None:
        return None
    layout = layout_of(command)
    return (command.scene, layout) if layout is not None else None
