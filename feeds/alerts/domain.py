"""The alert domain (IOC Alert and SOP): one alert model for every domain, declared for the domain registry.

Its processors run after every other domain's (`order`), so the book folds what they all raised."""

from __future__ import annotations

from feeds.alerts.config import AlertsConfig, parse_alerts_section
from feeds.alerts.tables import MIGRATIONS
from feeds.core.domain import ConfigSection, Domain, DomainSetup
from feeds.core.processing import ProcessorSpec

RULES_ORDER = 90
BOOK_ORDER = 100


def processors(setup: DomainSetup) -> tuple[ProcessorSpec, ...]:
    config: AlertsConfig = setup.settings or AlertsConfig()
    rules = (ProcessorSpec("feeds.alerts.processors:make_rule_engine", {"rules": config.spec.rules}, RULES_ORDER),)
    book = ProcessorSpec("feeds.alerts.processors:make_alert_desk", {"spec": config.spec}, BOOK_ORDER)
    return (*(rules if config.spec.rules else ()), book)


DOMAIN = Domain(
    name="alerts",
    title="Cảnh báo và quy trình xử lý",
    title_en="Alerts and procedures",
    processors=processors,
    config=ConfigSection("alerts", parse_alerts_section, AlertsConfig),
    migrations=MIGRATIONS,
    retention={"deliveries": "created"},
    procedures=("sop/default.toml", "sop/nguon-du-lieu-im-lang.toml"),
)
