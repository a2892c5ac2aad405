"""A flood alert (link "gauge:<id>") pops up the configured tile of that gauge."""

from __future__ import annotations

from collections.abc import Sequence

from feeds.core.domain import PopupChoice, TileLike


def gauge_popup(gauge: str, tiles: Sequence[TileLike]) -> PopupChoice | None:
    found = next((t for t in tiles if t.type == "water_gauge" and t.key == f"water/{gauge}"), None)
    return PopupChoice(found) if found is not None else None
