"""What a camera alert (link "camera:<id>") pops up on the wall: the configured tile showing that camera."""

from __future__ import annotations

from collections.abc import Sequence

from feeds.core.domain import PopupChoice, TileLike


def camera_popup(camera: str, tiles: Sequence[TileLike]) -> PopupChoice | None:
    found = next((t for t in tiles if t.type == "camera" and t.options.get("camera") == camera), None)
    return PopupChoice(found) if found is not None else None
