"""What one screen tile is configured with: its type, title, the feed and key it shows, its cell, options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TileSpec:
    type: str
    title: str = ""
    title_en: str = ""
    feed: str = ""
    key: str = ""
    row: int = -1
    col: int = -1
    rowspan: int = 1
    colspan: int = 1
    options: dict[str, Any] = field(default_factory=dict)

    def placed(self) -> bool:
        return self.row >= 0 and self.col >= 0
