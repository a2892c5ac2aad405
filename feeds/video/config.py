"""The [cameras] section of the configuration: each camera's name, main stream and optional sub-stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feeds.core.config import ConfigError, SectionContext, TableReader
from feeds.video.streams import check_address


@dataclass(frozen=True)
class CameraConfig:
    id: str
    name: str
    main: str
    sub: str = ""
    name_en: str = ""
    sub_size: tuple[int, int] = (640, 360)  # the sub-stream's resolution (a tile larger than this uses main)

    def title(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


def parse_cameras(table: Any, context: SectionContext) -> dict[str, CameraConfig]:
    """`[cameras.ID]` tables: name, name_en, main, sub, sub_size = "640x360"; errors name file and key."""
    file = context.file
    if not isinstance(table, dict):
        raise ConfigError(file, "cameras", "expected tables [cameras.ID] with name and main")
    cameras: dict[str, CameraConfig] = {}
    for ident, entry in table.items():
        path = f"cameras.{ident}"
        if not isinstance(entry, dict):
            raise ConfigError(file, path, "expected a table with name and main")
        reader = TableReader(file, entry, path, {"name", "name_en", "main", "sub", "sub_size"})
        addresses = {}
        for key in ("main", "sub"):
            address = reader.get(key, str, "" if key == "sub" else ...,
                                 what="an address: rtsp://, http(s)://, file://, device://N or sim://camera/N")
            if address:
                try:
                    check_address(address)
                except ValueError as exc:
                    raise ConfigError(file, f"{path}.{key}", str(exc)) from None
            addresses[key] = address
        size_text = reader.get("sub_size", str, "640x360", what='a size such as "640x360"')
        w, _, h = size_text.partition("x")
        if not (w.isdigit() and h.isdigit()):
            raise ConfigError(file, f"{path}.sub_size", f'expected a size such as "640x360", got {size_text!r}')
        cameras[ident] = CameraConfig(ident, reader.get("name", str, ident), addresses["main"], addresses["sub"],
                                      reader.get("name_en", str, ""), (int(w), int(h)))
    return cameras
