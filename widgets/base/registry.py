"""The tile registry: the modules each domain declares (and the base tiles) register their tile types here."""

from __future__ import annotations

import importlib
import logging

from feeds.core.domain import domains
from widgets.base.spec import TileSpec
from widgets.base.tile import ErrorTile, Tile, TileContext

log = logging.getLogger(__name__)

BASE_TILE_MODULES = ("widgets.base.clock_tile",)  # tiles of no domain
_TYPES: dict[str, type[Tile]] = {}
_discovered = False


def register_tile(cls: type[Tile]) -> type[Tile]:
    """Class decorator: make a tile type available to layouts by its `type_name`."""
    if not cls.type_name:
        raise ValueError(f"{cls.__name__} has no type_name")
    _TYPES[cls.type_name] = cls
    return cls


def _discover() -> None:
    global _discovered
    _discovered = True
    for module in BASE_TILE_MODULES:
        importlib.import_module(module)
    for domain in domains():
        for module in domain.tile_modules:
            try:
                importlib.import_module(module)
            except Exception:  # a broken plug-in's tiles show as error tiles; the others still work
                log.exception("tile module %s of domain %s could not be loaded", module, domain.name)


def tile_types() -> set[str]:
    if not _discovered:
        _discover()
    return set(_TYPES)


def create_tile(spec: TileSpec, context: TileContext) -> Tile:
    """A tile for `spec`; an error tile (never an exception) when the spec cannot be shown."""
    tile_types()
    cls = _TYPES.get(spec.type)
    if cls is None:
        log.error("unknown tile type %r in layout; showing an error tile", spec.type)
        return ErrorTile(spec, context, f"unknown tile type {spec.type!r}")
    try:
        return cls(spec, context)
    except (KeyError, TypeError, ValueError) as exc:
        log.error("tile %r (%s) could not be built: %s", spec.title, spec.type, exc)
        return ErrorTile(spec, context, str(exc))
