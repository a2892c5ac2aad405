"""Layouts as data: per screen, a grid of tiles; the grid presets; (de)serialisation for scene pushes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from widgets.base.spec import TileSpec

# Each preset: (rows, cols, cells as (row, col, rowspan, colspan)) in reading order, big cell first.
PRESETS: dict[str, tuple[int, int, tuple[tuple[int, int, int, int], ...]]] = {
    "1": (1, 1, ((0, 0, 1, 1),)),
    "2x2": (2, 2, tuple((r, c, 1, 1) for r in range(2) for c in range(2))),
    "3x3": (3, 3, tuple((r, c, 1, 1) for r in range(3) for c in range(3))),
    "4x4": (4, 4, tuple((r, c, 1, 1) for r in range(4) for c in range(4))),
    "1+5": (3, 3, ((0, 0, 2, 2), (0, 2, 1, 1), (1, 2, 1, 1), (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1))),
    "1+7": (4, 4, ((0, 0, 3, 3), (0, 3, 1, 1), (1, 3, 1, 1), (2, 3, 1, 1),
                   (3, 0, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1))),
}


@dataclass(frozen=True)
class ScreenLayout:
    name: str
    title: str = ""
    title_en: str = ""
    rows: int = 1
    cols: int = 1
    tiles: tuple[TileSpec, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tiles"] = [asdict(t) for t in self.tiles]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScreenLayout:
        tiles = tuple(TileSpec(**tile) for tile in data.get("tiles", []))
        return cls(name=data["name"], title=data.get("title", ""), title_en=data.get("title_en", ""),
                   rows=int(data.get("rows", 1)), cols=int(data.get("cols", 1)), tiles=tiles)


class LayoutError(ValueError):
    pass


def place(name: str, tiles: list[TileSpec], preset: str | None = None, rows: int = 0, cols: int = 0,
          title: str = "", title_en: str = "") -> ScreenLayout:
    """Give every unplaced tile a cell: the preset's cells in order, or row-major in a rows×cols grid."""
    if preset is not None:
        if preset not in PRESETS:
            raise LayoutError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
        rows, cols, cells = PRESETS[preset]
    else:
        if rows < 1 or cols < 1:
            raise LayoutError("a layout without a preset needs rows and cols ≥ 1")
        cells = tuple((r, c, 1, 1) for r in range(rows) for c in range(cols))
    free = iter(cells)
    placed: list[TileSpec] = []
    for given in tiles:
        tile = given
        if not tile.placed():
            try:
                row, col, rowspan, colspan = next(free)
            except StopIteration:
                raise LayoutError(f"layout {name!r} has more tiles than the {len(cells)} cells of its grid") from None
            tile = replace(tile, row=row, col=col, rowspan=rowspan, colspan=colspan)
        if tile.row + tile.rowspan > rows or tile.col + tile.colspan > cols:
            raise LayoutError(f"tile {tile.title or tile.type!r} at row {tile.row}, col {tile.col} "
                              f"does not fit the {rows}×{cols} grid of layout {name!r}")
        placed.append(tile)
    return ScreenLayout(name=name, title=title, title_en=title_en, rows=rows, cols=cols, tiles=tuple(placed))


def with_preset(layout: ScreenLayout, preset: str) -> ScreenLayout:
    """The same tiles re-flowed into another preset (extra tiles beyond its cells are dropped)."""
    cells = len(PRESETS[preset][2]) if preset in PRESETS else 0
    tiles = [replace(t, row=-1, col=-1, rowspan=1, colspan=1) for t in layout.tiles[:cells]]
    return place(layout.name, tiles, preset=preset, title=layout.title, title_en=layout.title_en)


def preset_of(layout: ScreenLayout) -> str:
    """The preset whose cells the layout's tiles occupy exactly, or "" for a custom grid."""
    cells = {(t.row, t.col, t.rowspan, t.colspan) for t in layout.tiles}
    for name, (rows, cols, preset_cells) in PRESETS.items():
        if (rows, cols) == (layout.rows, layout.cols) and cells <= set(preset_cells):
            return name
    return ""
