"""The base tile: a framed title, a body, and a footer saying how fresh the data is."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from feeds.core.records import FeedStatus, Record
from widgets.base.spec import TileSpec


@dataclass(frozen=True)
class TileContext:
    """What the app tells every tile: language, locale, the default stale age, the domains' settings, and the
    services a tile may not build itself (widgets do no file or socket I/O): `basemap(server, cache)` installs
    a raster base-map source and returns the URL template the map page asks (None: no raster base)."""

    language: str = "vi"
    stale_after_s: float = 900.0
    feed_stale_after_s: dict[str, float] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)  # configuration section name → domain settings
    basemap: Callable[[str, str], str | None] | None = None

    def section(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)

    @property
    def locale(self) -> QLocale:
        return QLocale(QLocale.Language.Vietnamese if self.language == "vi" else QLocale.Language.English)


def clock_text(ts: float) -> str:
    return time.strftime("%H:%M", time.localtime(ts))


class Tile(QFrame):
    """Subclasses set `type_name`, build their body in `build()` and show records in `show_records()`."""

    type_name: ClassVar[str] = ""
    last_known_kinds: ClassVar[tuple[str, ...]] = ()  # domain kinds whose newest stored records it starts from

    def __init__(self, spec: TileSpec, context: TileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.context = context
        self.last_ts: float | None = None
        self.setObjectName("tile")
        self.setProperty("state", "nodata")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(4)
        self.title_label = QLabel(self.title())
        self.title_label.setObjectName("tileTitle")
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        self.body = QWidget()
        layout.addWidget(self.body, 1)
        self.freshness = QLabel(self.tr("no data yet"))
        self.freshness.setObjectName("freshness")
        self.freshness.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.freshness)
        self.build(self.body)

    def title(self) -> str:
        if self.context.language == "en" and self.spec.title_en:
            return self.spec.title_en
        return self.spec.title

    def build(self, body: QWidget) -> None:
        """Create the tile's widgets inside `body`."""

    def wants(self, record: Record) -> bool:
        """Whether this tile shows `record`: by key (`prefix/#` takes a whole subtree), and by feed
        when the tile names one."""
        key = self.spec.key
        matches = record.key.startswith(key[:-1]) if key.endswith("/#") else record.key == key
        return matches and (not self.spec.feed or record.source == self.spec.feed)

    def show_records(self, records: list[Record]) -> None:
        """Show new records (already filtered by `wants`, oldest first)."""

    def show_history(self, points: list[tuple[float, float]]) -> None:
        """Show the cached history of the tile's key (time, value), oldest first."""

    def show_status(self, status: FeedStatus) -> None:
        """A feed changed connection state."""

    def stale_after_s(self) -> float:
        if "stale_after_s" in self.spec.options:
            return float(self.spec.options["stale_after_s"])
        return self.context.feed_stale_after_s.get(self.spec.feed) or self.context.stale_after_s

    def mark_fresh(self, ts: float) -> None:
        self.last_ts = ts if self.last_ts is None else max(self.last_ts, ts)

    def refresh_age(self, now: float) -> None:
        """Update the freshness footer; called once a second."""
        if self.last_ts is None:
            return
        stale = now - self.last_ts > self.stale_after_s()
        text = self.tr("as of %1").replace("%1", clock_text(self.last_ts))
        if stale:
            text = self.tr("STALE · as of %1").replace("%1", clock_text(self.last_ts))
        if self.freshness.text() != text:
            self.freshness.setText(text)
        state = "stale" if stale else "live"
        if self.property("state") != state:
            self.setProperty("state", state)
            self.style().unpolish(self)
            self.style().polish(self)

    def is_stale(self) -> bool:
        return self.property("state") == "stale"


class ErrorTile(Tile):
    """Stands in for a tile that could not be built (unknown type in a pushed scene, bad options)."""

    type_name = "error"

    def __init__(self, spec: TileSpec, context: TileContext, reason: str) -> None:
        self.reason = reason
        super().__init__(spec, context)

    def build(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        label = QLabel(self.tr("Cannot show this tile: %1").replace("%1", self.reason))
        label.setObjectName("tileError")
        label.setWordWrap(True)
        layout.addWidget(label)
