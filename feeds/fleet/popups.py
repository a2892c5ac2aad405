"""What a vessel alert (link "vessel:<registration>") pops up on the wall: the fleet map, following it."""

from __future__ import annotations

from collections.abc import Sequence

from feeds.core.domain import PopupChoice, TileLike


def vessel_popup(registration: str, tiles: Sequence[TileLike]) -> PopupChoice | None:
    found = next((t for t in tiles if t.type == "vessel_map"), None)
    return PopupChoice(found, {"follow": registration, "panel": False}) if found is not None else None
