"""What an air or discharge alert (link "station:<id>") pops up on the wall: the station's chart or card."""

from __future__ import annotations

from collections.abc import Sequence

from feeds.core.domain import PopupChoice, TileLike


def station_popup(station: str, tiles: Sequence[TileLike]) -> PopupChoice | None:
    for kinds in (("aqi_chart", "aqi_card"), ("discharge_chart",)):
        found = next((t for t in tiles if t.type in kinds and f"/{station}/" in f"{t.key}/"), None)
        if found is not None:
            return PopupChoice(found)
    return None
