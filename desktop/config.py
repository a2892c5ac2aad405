"""The TOML configuration: feeds, layouts, roles and scenes, validated with errors naming file and key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from desktop.alert_config import AlertsConfig, parse_alerts
from desktop.layout import PRESETS, LayoutError, ScreenLayout, TileSpec, place
from feeds.source import FeedSpec as FeedConfig, source_class

ROLES = ("operator", "wall", "leader")
DEFAULT_CONFIG_NAME = "<built-in demo configuration>"


class ConfigError(ValueError):
    """A configuration mistake: which file, which key, what was expected."""

    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file, self.key, self.message = file, key, message


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
    user: str
    stale_after_s: float
    history_points: int
    feeds: dict[str, FeedConfig]
    layouts: dict[str, ScreenLayout]
    roles: dict[str, RoleConfig]
    scene_feed: str
    scene_targets: tuple[str, ...]
    cameras: dict[str, Any] = field(default_factory=dict)  # id → desktop.camera_config.CameraConfig
    alerts: AlertsConfig = field(default_factory=AlertsConfig)


def default_config_text() -> str:
    return (importlib_resources.files("resources") / "config" / "demo.toml").read_text(encoding="utf-8")


class _Reader:
    """Typed access to one TOML table that reports the full dotted key on any mistake."""

    def __init__(self, file: str, table: dict[str, Any], path: str, allowed: set[str]) -> None:
        self.file, self.table, self.path = file, table, path
        for key in table:
            if key not in allowed:
                raise ConfigError(file, self.key(key), f"unknown key; expected one of: {', '.join(sorted(allowed))}")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ..., what: str = "") -> Any:
        if name not in self.table:
            if default is ...:
                raise ConfigError(self.file, self.key(name), f"missing; expected {what or _kind(kind)}")
            return default
        value = self.table[name]
        if isinstance(value, bool) and kind not in (bool, (bool,)) or not isinstance(value, kind):
            raise ConfigError(self.file, self.key(name),
                              f"expected {what or _kind(kind)}, got {type(value).__name__} {value!r}")
        return value


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
             "list": "an array", "dict": "a table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k.__name__, k.__name__) for k in kinds)


def _feed(file: str, name: str, table: Any) -> FeedConfig:
    if not isinstance(table, dict):
        raise ConfigError(file, f"feeds.{name}", "expected a table with an address")
    reader = _Reader(file, table, f"feeds.{name}", {"address", "options"})
    address = reader.get("address", str, what="an address such as sim://ioc or mqtt://host:1883/ioc/v1/#")
    try:
        cls = source_class(address)
        cls.check_address(address)
    except ValueError as exc:
        raise ConfigError(file, f"feeds.{name}.address", str(exc)) from None
    options = reader.get("options", dict, {})
    opts = _Reader(file, options, f"feeds.{name}.options", set(cls.options))
    for key, option in cls.options.items():
        opts.get(key, option.kind, option.default, what=f"{_kind(option.kind)} ({option.help})")
    return FeedConfig(name, address, options)


def _tile(file: str, path: str, table: Any, feeds: dict[str, FeedConfig], tile_types: set[str]) -> TileSpec:
    if not isinstance(table, dict):
        raise ConfigError(file, path, "expected a table describing a tile")
    reader = _Reader(file, table, path, {"type", "title", "title_en", "feed", "key", "row", "col", "rowspan",
                                          "colspan", "options"})
    kind = reader.get("type", str)
    if kind not in tile_types:
        raise ConfigError(file, f"{path}.type", f"unknown tile type {kind!r}; known: {', '.join(sorted(tile_types))}")
    feed = reader.get("feed", str, "")
    if feed and feed not in feeds:
        raise ConfigError(file, f"{path}.feed", f"unknown feed {feed!r}; feeds: {', '.join(sorted(feeds)) or 'none'}")
    return TileSpec(type=kind, title=reader.get("title", str, ""), title_en=reader.get("title_en", str, ""),
                    feed=feed, key=reader.get("key", str, ""), row=reader.get("row", int, -1),
                    col=reader.get("col", int, -1), rowspan=reader.get("rowspan", int, 1),
                    colspan=reader.get("colspan", int, 1), options=reader.get("options", dict, {}))


def _layout(file: str, name: str, table: Any, feeds: dict[str, FeedConfig], tile_types: set[str]) -> ScreenLayout:
    path = f"layouts.{name}"
    if not isinstance(table, dict):
        raise ConfigError(file, path, "expected a table")
    reader = _Reader(file, table, path, {"title", "title_en", "preset", "rows", "cols", "tiles"})
    preset = reader.get("preset", str, None)
    if preset is not None and preset not in PRESETS:
        raise ConfigError(file, f"{path}.preset", f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}")
    tiles = [_tile(file, f"{path}.tiles[{i}]", t, feeds, tile_types)
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
    reader = _Reader(file, table, path, {"terminal", "screens", "kiosk"})
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
    top = _Reader(file, data, "", {"language", "user", "stale_after_s", "cache", "feeds", "layouts", "roles",
                                   "scenes", "cameras", "alerts"})
    language = top.get("language", str, "vi")
    if language not in ("vi", "en"):
        raise ConfigError(file, "language", f"expected \"vi\" or \"en\", got {language!r}")
    cache = _Reader(file, top.get("cache", dict, {}), "cache", {"history_points"})
    feeds = {name: _feed(file, name, t) for name, t in top.get("feeds", dict, {}).items()}
    layouts = {name: _layout(file, name, t, feeds, tile_types) for name, t in top.get("layouts", dict, {}).items()}
    roles = {role: _role(file, role, t, layouts) for role, t in top.get("roles", dict, {}).items()}
    scenes = _Reader(file, top.get("scenes", dict, {}), "scenes", {"feed", "targets"})
    scene_feed = scenes.get("feed", str, "")
    if scene_feed and scene_feed not in feeds:
        raise ConfigError(file, "scenes.feed", f"unknown feed {scene_feed!r}; feeds: {', '.join(sorted(feeds))}")
    targets = scenes.get("targets", list, [])
    for i, target in enumerate(targets):
        if not isinstance(target, str) or not target:
            raise ConfigError(file, f"scenes.targets[{i}]", "expected a terminal name such as \"wall-1/0\"")
    from desktop.camera_config import parse_cameras

    cameras = parse_cameras(file, top.get("cameras", dict, {}))
    base_dir = Path(file).parent if file != DEFAULT_CONFIG_NAME else None
    alerts = parse_alerts(top.get("alerts", dict, {}), set(feeds), base_dir,
                          lambda key, message: ConfigError(file, key, message))
    return AppConfig(source=file, language=language, user=top.get("user", str, "operator"),
                     stale_after_s=float(top.get("stale_after_s", (int, float), 900)),
                     history_points=cache.get("history_points", int, 2000), feeds=feeds, layouts=layouts,
                     roles=roles, scene_feed=scene_feed, scene_targets=tuple(targets), cameras=cameras,
                     alerts=alerts)


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
