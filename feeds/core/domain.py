"""A domain as a plug-in: one declaration per domain, found through one registry.

A domain (air quality, the fishing fleet, cameras…) states here everything the core needs of it: its wire
record kinds, the address schemes and drop-folder file formats it adds, its processors, its configuration
section, its store tables and migrations, its tile types, what its alerts pop up on the wall, its simulator
scenarios and its procedures. Built-in domains and those of installed packages are found the same way:
through the ``controlroom.domains`` entry-point group (each entry names a `Domain` object), plus the
modules listed in ``CONTROLROOM_DOMAINS`` ("module:attribute", comma-separated) for a site trying one out.
Modules are named by dotted strings and imported only when needed, so declaring a domain costs nothing
and this layer never imports Qt.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Protocol

from feeds.core.config import SectionContext
from feeds.core.processing import ProcessorSpec

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "controlroom.domains"
ENV_VAR = "CONTROLROOM_DOMAINS"
# The domains this program ships, also declared as entry points in pyproject.toml; listed here too so a
# source checkout that was never installed still has them.
BUILTIN = ("feeds.indicators.domain:DOMAIN", "feeds.air.domain:DOMAIN", "feeds.fleet.domain:DOMAIN",
           "feeds.video.domain:DOMAIN", "feeds.alerts.domain:DOMAIN", "feeds.identity.domain:DOMAIN",
           "feeds.meetings.domain:DOMAIN", "feeds.conference.domain:DOMAIN")


class TileLike(Protocol):
    """A configured screen tile as the feeds layer sees it (widgets.base.TileSpec fits)."""

    type: str
    key: str
    feed: str
    options: dict[str, Any]


@dataclass(frozen=True)
class PopupChoice:
    """Which configured tile shows what an alert is about, and the options to add to it for the pop-up."""

    tile: Any  # the TileLike found among the layouts' tiles
    options: dict[str, Any] = field(default_factory=dict)


PopupFinder = Callable[[str, Sequence[TileLike]], PopupChoice | None]  # (link id, every configured tile)


@dataclass(frozen=True)
class Migration:
    """One step of a domain's tables: applied once, in order, recorded in the store's `domain_versions`."""

    version: int
    sql: str


@dataclass(frozen=True)
class Permission:
    """An action a domain adds to the one permission table (checked by the identity domain where it is done)."""

    name: str  # "meeting.vote"
    roles: tuple[str, ...]  # role names: administrator, duty_operator, duty_leader, leader, secretary, wall
    scope: str = "none"  # none, target (a screen's unit) or domain (an alert domain's unit)
    title: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class DomainSetup:
    """What a domain's processors are built from: its parsed section, the feeds, where the cache is."""

    settings: Any
    feeds: Sequence[Any]  # feeds.sources.base.FeedSpec
    layouts: Sequence[Any]  # desktop layouts (for domains that show what is configured)
    cache_path: str = ""


@dataclass(frozen=True)
class ConfigSection:
    """A domain's top-level configuration table `[name]`: `parse(table, context)` returns its settings
    (raising ConfigError naming the dotted key); `default()` is used when the table is absent."""

    name: str
    parse: Callable[[Any, SectionContext], Any]
    default: Callable[[], Any] = lambda: None


@dataclass(frozen=True)
class Domain:
    name: str
    title: str = ""
    title_en: str = ""
    kind_modules: dict[str, str] = field(default_factory=dict)  # wire kind → module that registers it
    source_modules: tuple[str, ...] = ()  # modules registering address schemes (@register)
    file_formats: tuple[str, ...] = ()  # "module:function": (text, source) → (records, refused) or None
    scenario_modules: tuple[str, ...] = ()  # modules registering sim:// scenarios
    processors: Callable[[DomainSetup], Sequence[ProcessorSpec]] | None = None
    config: ConfigSection | None = None
    migrations: tuple[Migration, ...] = ()
    retention: dict[str, str] = field(default_factory=dict)  # table → its time column, pruned by age
    tile_modules: tuple[str, ...] = ()  # widget modules registering tile types (@register_tile)
    popups: dict[str, str] = field(default_factory=dict)  # alert link kind → "module:function" (PopupFinder)
    procedures: tuple[str, ...] = ()  # SOP files: paths, relative ones inside the `resources` package
    moved_tile_options: dict[tuple[str, str], str] = field(default_factory=dict)  # (tile type, option) → new key
    permissions: tuple[Permission, ...] = ()  # actions this domain adds to the role table


_domains: dict[str, Domain] = {}
_refs: list[str] = []
_loaded = False


def register_domain(domain: Domain, ref: str = "") -> Domain:
    """Add a domain (idempotent by name); `ref` ("module:attribute") lets the ingest process load it too."""
    if domain.name in _domains and _domains[domain.name] is not domain:
        log.warning("domain %r declared twice; the first one is kept", domain.name)
        return _domains[domain.name]
    _domains[domain.name] = domain
    if ref and ref not in _refs:
        _refs.append(ref)
    return domain


def load_ref(ref: str) -> Domain:
    module, _, attribute = ref.partition(":")
    domain = getattr(importlib.import_module(module), attribute or "DOMAIN")
    if not isinstance(domain, Domain):
        raise TypeError(f"{ref} is not a feeds.core.domain.Domain")
    return domain


def _discover() -> None:
    global _loaded
    _loaded = True
    refs = [entry.value for entry in entry_points(group=ENTRY_POINT_GROUP)]
    refs += [ref for ref in BUILTIN if ref not in refs]
    refs += [ref.strip() for ref in os.environ.get(ENV_VAR, "").split(",") if ref.strip()]
    for ref in refs:
        load_refs([ref])


def load_refs(refs: Iterable[str]) -> None:
    """Register the domains named by `refs` (as the ingest process does with its parent's list)."""
    for ref in refs:
        try:
            register_domain(load_ref(ref), ref)
        except Exception:  # a broken plug-in is logged and left out; the others still run
            log.exception("domain %s could not be loaded", ref)


def domains() -> list[Domain]:
    """Every registered domain, in registration order."""
    if not _loaded:
        _discover()
    return list(_domains.values())


def domain_refs() -> tuple[str, ...]:
    """How to load the registered domains again in another process."""
    domains()
    return tuple(_refs)


def resolve(ref: str) -> Any:
    """The object a "module:attribute" string names."""
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)


def import_all(attribute: str) -> None:
    """Import every module a domain lists under `attribute` (source_modules, scenario_modules…)."""
    for domain in domains():
        for module in getattr(domain, attribute):
            importlib.import_module(module)


def kind_module(kind: str) -> str | None:
    """The module that registers a wire kind, if a domain declares it."""
    return next((d.kind_modules[kind] for d in domains() if kind in d.kind_modules), None)


def popup_finder(link_kind: str) -> PopupFinder | None:
    ref = next((d.popups[link_kind] for d in domains() if link_kind in d.popups), None)
    return resolve(ref) if ref else None


def domain_settings(domain: Domain, settings: Mapping[str, Any]) -> Any:
    """A domain's parsed configuration section, or its defaults when the configuration has none."""
    if domain.config is None:
        return None
    if domain.config.name in settings:
        return settings[domain.config.name]
    return domain.config.default()


def processor_specs(settings: Mapping[str, Any], feeds: Sequence[Any], layouts: Sequence[Any] = (),
                    cache_path: str = "") -> tuple[ProcessorSpec, ...]:
    """Every domain's processors for the ingest process, in their order (`settings`: section name → value)."""
    specs: list[ProcessorSpec] = []
    for domain in domains():
        if domain.processors is not None:
            setup = DomainSetup(domain_settings(domain, settings), tuple(feeds), tuple(layouts), cache_path)
            specs.extend(domain.processors(setup))
    return tuple(sorted(specs, key=lambda spec: spec.order))
