"""The TOML configuration: feeds, layouts, roles and scenes, validated with errors naming file and key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from desktop.config.layouts import PRESETS, LayoutError, ScreenLayout, place
from feeds.core.config import ConfigError, SectionContext, TableReader, kind_phrase
from feeds.core.domain import Domain, domain_settings, domains
from feeds.sources.base import FeedSpec as FeedConfig
from feeds.sources.base import source_class
from feeds.store.retention import RetentionPolicy, parse_retention
from widgets.base.spec import TileSpec

ROLES = ("operator", "wall", "leader")
CORE_KEYS = {"language", "stale_after_s", "cache", "feeds", "layouts", "roles", "scenes"}
DEFAULT_CONFIG_NAME = "<built-in demo configuration>"


@dataclass(frozen=True)
class RoleConfig:
    role: str
    terminal: str
    screens: tuple[str, ...]
    kiosk: bool = False


@dataclass(frozen=True)
class AppConfig:
    source: str
    language: str
    stale_after_s: float
    history_points: int
    retention: RetentionPolicy
    feeds: dict[str, FeedConfig]
    layouts: dict[str, ScreenLayout]
    roles: dict[str, RoleConfig]
    scene_feed: str
    scene_targets: tuple[str, ...]
    domains: dict[str, Any] = field(default_factory=dict)  # section name → the domain's parsed settings

    def section(self, name: str) -> Any:
        """A domain's settings (its defaults when the file has no such section)."""
        if name in self.domains:
            return self.domains[name]
        domain = next((d for d in domains() if d.config is not None and d.config.name == name), None)
        return domain_settings(domain, {}) if domain is not None else None


def default_config_text() -> str:
    return (importlib_resources.files("resources") / "config" / "demo.toml").read_text(encoding="utf-8")


def _feed(file: str, name: str, table: Any) -> FeedConfig:
    if not isinstance(table, dict):
        raise ConfigError(file, f"feeds.{name}", "expected a table with an address")
    reader = TableReader(file, table, f"feeds.{name}", {"address", "options"})
    address = reader.get("address", str, what="an address such as sim://ioc or mqtt://host:1883/ioc/v1/#")
    try:
        cls = source_class(address)
        cls.check_address(address)
    except ValueError as exc:
        raise ConfigError(file, f"feeds.{name}.address", str(exc)) from None
    options = reader.get("options", dict, {})
    opts = TableReader(file, options, f"feeds.{name}.options", set(cls.options))
    for key, option in cls.options.items():
        opts.get(key, option.kind, option.default, what=f"{kind_phrase(option.kind)} ({option.help})")
    return FeedConfig(name, address, options)


def _tile(file: str, path: str, table: Any, feeds: dict[str, FeedConfig], tile_types: set[str],
          moved: dict[tuple[str, str], str]) -> TileSpec:
    if not isinstance(table, dict):
        raise ConfigError(file, path, "expected a table describing a tile")
    reader = TableReader(file, table, path, {"type", "title", "title_en", "feed", "key", "row", "col", "rowspan",
                                          "colspan", "options"})
    kind = reader.get("type", str)
    if kind not in tile_types:
        raise ConfigError(file, f"{path}.type", f"unknown tile type {kind!r}; known: {', '.join(sorted(tile_types))}")
    for option in reader.get("options", dict, {}):
        if (kind, option) in moved:
            raise ConfigError(file, f"{path}.options.{option}",
                              f"no longer a tile option: alerting is configured in [{moved[kind, option]}]")
    feed = reader.get("feed", str, "")
    if feed and feed not in feeds:
        raise ConfigError(file, f"{path}.feed", f"unknown feed {feed!r}; feeds: {', '.join(sorted(feeds)) or 'none'}")
    return TileSpec(type=kind, title=reader.get("title", str, ""), title_en=reader.get("title_en", str, ""),
                    feed=feed, key=reader.get("key", str, ""), row=reader.get("row", int, -1),
                    col=reader.get("col", int, -1), rowspan=reader.get("rowspan", int, 1),
                    colspan=reader.get("colspan", int, 1), options=reader.get("options", dict, {}))


def _layout(file: str, name: str, table: Any, feeds: dict[str, FeedConfig], tile_types: set[str],
            moved: dict[tuple[str, str], str]) -> ScreenLayout:
    path = f"layouts.{name}"
    if not isinstance(table, dict):
        raise ConfigError(file, path, "expected a table")
    reader = TableReader(file, table, path, {"title", "title_en", "preset", "rows", "cols", "tiles"})
    preset = reader.get("preset", str, None)
    if preset is not None and preset not in PRESETS:
        raise ConfigError(file, f"{path}.preset", f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}")
    tiles = [_tile(file, f"{path}.tiles[{i}]", t, feeds, tile_types, moved)
             for i, t in enumerate(reader.get("tiles", list, []))]
    try:
        return place(name, tiles, preset=preset, rows=reader.get("rows", int, 0), cols=reader.get("cols", int, 0),
                     title=reader.get("title", str, ""), title_en=reader.get("title_en", str, ""))
    except LayoutError as exc:
        raise ConfigError(file, path, str(exc)) from None


def _role(file: str, role: str, table: Any, layouts: dict[str, ScreenLayout]) -> RoleConfig:
    path = f"roles.{role}"
    if role not in ROLES:
        raise ConfigError(file, path, f"unknown role; expected one of {', '.join(ROLES)}")
    if not isinstance(table, dict):
        raise ConfigError(file, path, "expected a table")
    reader = TableReader(file, table, path, {"terminal", "screens", "kiosk"})
    screens = reader.get("screens", list, what="an array of layout names, one per screen")
    for i, name in enumerate(screens):
        if name not in layouts:
            raise ConfigError(file, f"{path}.screens[{i}]",
                              f"unknown layout {name!r}; layouts: {', '.join(sorted(layouts))}")
    if not screens:
        raise ConfigError(file, f"{path}.screens", "expected at least one layout")
    return RoleConfig(role, reader.get("terminal", str, role), tuple(screens), reader.get("kiosk", bool, False))


def parse_config(text: str, file: str, tile_types: set[str]) -> AppConfig:
    """Validate a TOML text; raises ConfigError naming the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "(syntax)", str(exc)) from None
    sections = {d.config.name: d for d in domains() if d.config is not None}
    if "user" in data:
        raise ConfigError(file, "user", "no longer a setting: people sign in with their own accounts "
                                        "(`controlroom users add`, or the directory in [identity])")
    top = TableReader(file, data, "", {*CORE_KEYS, *sections})
    language = top.get("language", str, "vi")
    if language not in ("vi", "en"):
        raise ConfigError(file, "language", f"expected \"vi\" or \"en\", got {language!r}")
    cache = TableReader(file, top.get("cache", dict, {}), "cache", {"history_points", "retention"})
    feeds = {name: _feed(file, name, t) for name, t in top.get("feeds", dict, {}).items()}
    moved = {key: new for d in domains() for key, new in d.moved_tile_options.items()}
    layouts = {name: _layout(file, name, t, feeds, tile_types, moved)
               for name, t in top.get("layouts", dict, {}).items()}
    roles = {role: _role(file, role, t, layouts) for role, t in top.get("roles", dict, {}).items()}
    scenes = TableReader(file, top.get("scenes", dict, {}), "scenes", {"feed", "targets"})
    scene_feed = scenes.get("feed", str, "")
    if scene_feed and scene_feed not in feeds:
        raise ConfigError(file, "scenes.feed", f"unknown feed {scene_feed!r}; feeds: {', '.join(sorted(feeds))}")
    targets = scenes.get("targets", list, [])
    for i, target in enumerate(targets):
        if not isinstance(target, str) or not target:
            raise ConfigError(file, f"scenes.targets[{i}]", "expected a terminal name such as \"wall-1/0\"")
    base_dir = Path(file).parent if file != DEFAULT_CONFIG_NAME else None
    context = SectionContext(file, base_dir, feeds)
    settings = {name: _section(domain, data[name], context) for name, domain in sections.items() if name in data}
    return AppConfig(source=file, language=language,
                     stale_after_s=float(top.get("stale_after_s", (int, float), 900)),
                     history_points=cache.get("history_points", int, 2000),
                     retention=parse_retention(cache.get("retention", dict, {}), context, domains()),
                     feeds=feeds, layouts=layouts,
                     roles=roles, scene_feed=scene_feed, scene_targets=tuple(targets), domains=settings)


def _section(domain: Domain, table: Any, context: SectionContext) -> Any:
    assert domain.config is not None
    return domain.config.parse(table, context)


def load_config(path: str | Path | None, tile_types: set[str]) -> AppConfig:
    """The configuration at `path`, or the built-in demo configuration."""
    if path is None:
        return parse_config(default_config_text(), DEFAULT_CONFIG_NAME, tile_types)
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, "(file)", f"cannot read: {exc}") from None
    return parse_config(text, file, tile_types)
