"""The simulator machinery: scenarios registered by name, found through the domains that declare them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from feeds.core.domain import import_all
from feeds.core.records import Record


class Scenario(Protocol):
    """What a sim://NAME feed runs: records due by a time, on a compressed real-time clock."""

    def start(self, now: float, backfill: int = 24) -> list[Record]: ...
    def due(self, now: float) -> list[Record]: ...
    def next_time(self) -> float: ...


ScenarioFactory = Callable[[dict[str, Any]], Scenario]
_SCENARIOS: dict[str, ScenarioFactory] = {}


def register_scenario(name: str) -> Callable[[ScenarioFactory], ScenarioFactory]:
    """Decorator: `sim://name` runs the scenario the factory builds from the feed's options."""
    def decorate(factory: ScenarioFactory) -> ScenarioFactory:
        _SCENARIOS[name] = factory
        return factory
    return decorate


def scenario_names() -> list[str]:
    import_all("scenario_modules")
    return sorted(_SCENARIOS)


def make_scenario(name: str, options: dict[str, Any]) -> Scenario:
    """The scenario for `sim://name`, or ValueError listing the known ones."""
    known = scenario_names()
    if name not in _SCENARIOS:
        raise ValueError(f"unknown simulator scenario {name!r}; known: {', '.join(known)}")
    return _SCENARIOS[name](options)
