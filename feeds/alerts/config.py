"""The [alerts] section of the configuration: rules, escalation, notification channels, SOPs, wall pop-ups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feeds.alerts.book import AlertPolicy, RulePolicy
from feeds.core.config import SectionContext
from feeds.core.records import SEVERITIES, Severity

DEFAULT_ASSIGNEES = ("Trực ban IOC", "Lãnh đạo trung tâm", "Đội kỹ thuật", "Sở TN&MT", "Chi cục Thủy sản",
                     "Bộ đội Biên phòng", "Công an tỉnh")
DEFAULT_ESCALATION_S = {Severity.WARNING: 30 * 60.0, Severity.CRITICAL: 10 * 60.0, Severity.EMERGENCY: 5 * 60.0}


@dataclass(frozen=True)
class AlertSpec:
    """How the ingest process handles alerts: rules, escalation/notification policy, where actions go."""

    policy: AlertPolicy = field(default_factory=AlertPolicy)
    rules: tuple[Any, ...] = ()  # feeds.alerts.rules.Rule
    channels: dict[str, Any] = field(default_factory=dict)  # feeds.alerts.notify channel settings by name
    send_notifications: bool = False  # one console per site sends them
    feed: str = ""  # the feed operator actions are published on (and received from)


@dataclass(frozen=True)
class PopupConfig:
    """Where an alert's linked camera, vessel or station pops up, and for how long."""

    target: str  # "<terminal>/<screen>", e.g. "wall-1/0"
    min_severity: Severity = Severity.CRITICAL
    revert_after_s: float = 120.0


@dataclass(frozen=True)
class AlertsConfig:
    spec: AlertSpec = field(default_factory=lambda: AlertSpec(AlertPolicy(escalate_after_s=dict(DEFAULT_ESCALATION_S))))
    sop_dir: str = ""  # "" = the bundled procedures
    sound: bool = True
    assignees: tuple[str, ...] = DEFAULT_ASSIGNEES
    banner_min_severity: Severity = Severity.CRITICAL
    popup: PopupConfig | None = None


Fail = Callable[[str, str], Exception]  # (dotted key, message) → the error to raise


def _severity(value: Any, key: str, fail: Fail) -> Severity:
    if not isinstance(value, str) or value not in {s.value for s in SEVERITIES}:
        raise fail(key, f"expected one of {', '.join(s.value for s in SEVERITIES)}, got {value!r}")
    return Severity(value)


def _by_severity(table: Any, key: str, fail: Fail, convert: Callable[[Any, str], Any]) -> dict[Severity, Any]:
    if not isinstance(table, dict):
        raise fail(key, "expected a table such as { warning = …, critical = … }")
    return {_severity(name, f"{key}.{name}", fail): convert(value, f"{key}.{name}") for name, value in table.items()}


def _minutes(fail: Fail) -> Callable[[Any, str], float]:
    def convert(value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise fail(key, f"expected a positive number of minutes, got {value!r}")
        return float(value) * 60
    return convert


def _names(fail: Fail) -> Callable[[Any, str], tuple[str, ...]]:
    def convert(value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(key, f"expected an array of channel names, got {value!r}")
        return tuple(value)
    return convert


def _popup(table: Any, fail: Fail) -> PopupConfig:
    if not isinstance(table, dict):
        raise fail("alerts.popup", "expected a table with target, min_severity, revert_after_s")
    unknown = set(table) - {"target", "min_severity", "revert_after_s"}
    if unknown:
        raise fail(f"alerts.popup.{sorted(unknown)[0]}", "unknown key; expected target, min_severity, revert_after_s")
    target = table.get("target")
    if not isinstance(target, str) or "/" not in target:
        raise fail("alerts.popup.target", f"expected a wall screen such as \"wall-1/0\", got {target!r}")
    revert = table.get("revert_after_s", 120)
    if isinstance(revert, bool) or not isinstance(revert, (int, float)) or revert <= 0:
        raise fail("alerts.popup.revert_after_s", f"expected a positive number of seconds, got {revert!r}")
    return PopupConfig(target, _severity(table.get("min_severity", "critical"), "alerts.popup.min_severity", fail),
                       float(revert))


ALERT_KEYS = {"feed", "sop_dir", "sound", "assignees", "banner_min_severity", "send_notifications",
              "escalate_after_min", "notify", "popup", "channels", "rules"}


def parse_alerts_section(table: Any, context: SectionContext) -> AlertsConfig:
    """Validate [alerts]; errors name the file and the dotted key."""
    if not isinstance(table, dict):
        raise context.error("alerts", "expected a table")
    return parse_alerts(table, set(context.feeds), context.base_dir, context.error)


def parse_alerts(table: dict[str, Any], feeds: set[str], base_dir: Path | None, fail: Fail) -> AlertsConfig:
    """Validate [alerts]; `fail(key, message)` builds the error naming the file and the dotted key."""
    for name in table:
        if name not in ALERT_KEYS:
            raise fail(f"alerts.{name}", f"unknown key; expected one of: {', '.join(sorted(ALERT_KEYS))}")

    def get(name: str, kind: type | tuple[type, ...], default: Any, what: str) -> Any:
        value = table.get(name, default)
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise fail(f"alerts.{name}", f"expected {what}, got {value!r}")
        return value

    feed = get("feed", str, "", "a feed name")
    if feed and feed not in feeds:
        raise fail("alerts.feed", f"unknown feed {feed!r}; feeds: {', '.join(sorted(feeds))}")
    escalation = dict(DEFAULT_ESCALATION_S)
    escalation.update(_by_severity(table.get("escalate_after_min", {}), "alerts.escalate_after_min", fail,
                                   _minutes(fail)))
    notify = _by_severity(table.get("notify", {}), "alerts.notify", fail, _names(fail))
    channels = _channels(table.get("channels", {}), fail)
    rules = _rules(table.get("rules", []), fail)
    for severity, names in notify.items():
        _check_channels(names, channels, f"alerts.notify.{severity.value}", fail)
    for i, rule in enumerate(rules):
        _check_channels(rule.notify, channels, f"alerts.rules[{i}].notify", fail)
    policy = AlertPolicy(escalate_after_s=escalation, notify=notify, rules={
        r.name: RulePolicy(r.escalate_after_s, r.notify, r.procedure) for r in rules})
    sop_dir = get("sop_dir", str, "", "a folder of procedure files")
    if sop_dir and base_dir is not None and not Path(sop_dir).is_absolute():
        sop_dir = str(base_dir / sop_dir)
    assignees = get("assignees", list, list(DEFAULT_ASSIGNEES), "an array of names")
    if not all(isinstance(a, str) and a for a in assignees):
        raise fail("alerts.assignees", "expected an array of non-empty names")
    return AlertsConfig(
        spec=AlertSpec(policy, tuple(rules), channels, get("send_notifications", bool, False, "true or false"), feed),
        sop_dir=sop_dir, sound=get("sound", bool, True, "true or false"), assignees=tuple(assignees),
        banner_min_severity=_severity(table.get("banner_min_severity", "critical"), "alerts.banner_min_severity",
                                      fail),
        popup=_popup(table["popup"], fail) if "popup" in table else None)


def _check_channels(names: tuple[str, ...], channels: dict[str, Any], key: str, fail: Fail) -> None:
    for name in names:
        if name not in channels:
            raise fail(key, f"unknown channel {name!r}; channels: {', '.join(sorted(channels)) or 'none'}")


def _channels(table: Any, fail: Fail) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise fail("alerts.channels", "expected a table of channels")
    if not table:
        return {}
    from feeds.alerts.notify import ChannelConfigError, parse_channels

    try:
        return parse_channels(table, "alerts.channels")
    except ChannelConfigError as exc:
        raise fail(exc.key, exc.message) from None


def _rules(items: Any, fail: Fail) -> list[Any]:
    if not isinstance(items, list):
        raise fail("alerts.rules", "expected an array of tables ([[alerts.rules]])")
    if not items:
        return []
    from feeds.alerts.rules import RuleError, parse_rules

    try:
        return parse_rules(items, "alerts.rules")
    except RuleError as exc:
        raise fail(exc.key, exc.message) from None
