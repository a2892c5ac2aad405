"""Threshold rules written by administrators in the configuration (`[[alerts.rules]]`), turned into alerts.

A `RuleEngine` is an ingest processor: it runs on the writer thread, sees every fresh batch and returns
`AlertEvent`s (a raise, or a `clear=True` once the condition is over); `tick(now)`, called about once a
second, raises the 'nodata' rules. No Qt here.
"""

from __future__ import annotations

import fnmatch
import logging
import math
import re
import string
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from feeds.core.records import AlertEvent, Measurement, Severity

log = logging.getLogger(__name__)

WHENS = ("above", "below", "rate", "nodata")
DEFAULT_WINDOW_S = 300.0
MATCH_CACHE_MAX = 50_000  # distinct keys remembered as matching or not; forgotten all at once beyond

_COMMON = ("key", "entity", "entity_id", "unit", "label", "rule")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "above": (*_COMMON, "value", "limit"),
    "below": (*_COMMON, "value", "limit"),
    "rate": (*_COMMON, "value", "limit", "rate"),  # {rate}: change per minute, compared with {limit}
    "nodata": (*_COMMON, "minutes"),
}
_SAMPLE = {"key": "air/st01/pm25", "entity": "air/st01", "entity_id": "st01", "unit": "µg/m³", "label": "PM2.5",
           "value": 56.5, "limit": 55.0, "rate": 1.5, "minutes": 12}

DEFAULT_TITLES = {  # (Vietnamese, English)
    "above": ("{key} vượt ngưỡng {limit:g}: {value:g} {unit}", "{key} above {limit:g}: {value:g} {unit}"),
    "below": ("{key} dưới ngưỡng {limit:g}: {value:g} {unit}", "{key} below {limit:g}: {value:g} {unit}"),
    "rate": ("{key} biến đổi nhanh: {rate:+.3g} {unit}/phút (ngưỡng {limit:g})",
             "{key} changing fast: {rate:+.3g} {unit}/min (limit {limit:g})"),
    "nodata": ("{key}: không có dữ liệu {minutes} phút", "{key}: no data for {minutes} min"),
}

_ONLY_FOR = {"limit": ("above", "below", "rate"), "clear_at": ("above", "below", "rate"),
             "count": ("above", "below", "rate"), "window_s": ("rate",), "after_min": ("nodata",)}
_TEMPLATES = ("title", "title_en", "detail", "detail_en", "link")
ALLOWED_KEYS = ("name", "keys", "when", "limit", "clear_at", "window_s", "after_min", "count", "severity", "type",
                *_TEMPLATES, "escalate_after_min", "notify", "procedure")


class RuleError(ValueError):
    """A mistake in one rule, naming its dotted key: "alerts.rules[2].limit: expected a number"."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key, self.message = key, message


@dataclass(frozen=True)
class Rule:
    """One validated `[[alerts.rules]]` table."""

    name: str
    keys: tuple[str, ...]  # fnmatch patterns ('*' also matches '/')
    when: str  # above | below | rate | nodata
    limit: float | None  # None for nodata; for rate: change per minute (absolute)
    clear_at: float | None  # None for nodata
    window_s: float  # rate only
    after_s: float | None  # nodata only
    count: int
    severity: Severity
    type: str
    title: str
    title_en: str
    detail: str = ""
    detail_en: str = ""
    link: str = ""
    escalate_after_s: float | None = None
    notify: tuple[str, ...] = ()
    procedure: str = ""

    def breached(self, level: float) -> bool:
        """`level` is beyond the limit (a value, or a rate per minute)."""
        assert self.limit is not None
        if self.when == "above":
            return level > self.limit
        if self.when == "below":
            return level < self.limit
        return abs(level) > self.limit

    def recovered(self, level: float) -> bool:
        """`level` is back past `clear_at`: the condition is over."""
        assert self.clear_at is not None
        if self.when == "above":
            return level < self.clear_at
        if self.when == "below":
            return level > self.clear_at
        return abs(level) < self.clear_at


class _Table:
    """Typed access to one rule table; every mistake names its dotted key."""

    def __init__(self, table: dict[str, Any], path: str) -> None:
        self.table, self.path = table, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}"

    def fail(self, name: str, message: str) -> NoReturn:
        raise RuleError(self.key(name), message)

    def string(self, name: str, default: str | None = None) -> str:
        value = self.table.get(name, default)
        if value is None:
            self.fail(name, "missing; expected a string")
        if not isinstance(value, str):
            self.fail(name, f"expected a string, got {value!r}")
        return value

    def name(self, name: str, default: str | None = None) -> str:
        value = self.string(name, default)
        if not value.strip():
            self.fail(name, "expected a non-empty string")
        return value

    def strings(self, name: str, required: bool = False) -> tuple[str, ...]:
        """A string or an array of non-empty strings."""
        value = self.table.get(name, [])
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.fail(name, f"expected a string or an array of strings, got {value!r}")
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise RuleError(f"{self.key(name)}[{i}]", f"expected a non-empty string, got {item!r}")
        if required and not items:
            self.fail(name, "missing; expected a string or an array of strings")
        return tuple(items)

    def number(self, name: str, positive: bool = False) -> float | None:
        """The number at `name`, or None when it is absent."""
        value = self.table.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(name, f"expected a number, got {value!r}")
        if not math.isfinite(value) or (positive and value <= 0):
            self.fail(name, f"expected a {'positive' if positive else 'finite'} number, got {value!r}")
        return float(value)

    def count(self, name: str) -> int:
        value = self.table.get(name, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(name, f"expected a positive integer, got {value!r}")
        return value


def parse_rules(items: Any, path: str = "alerts.rules") -> list[Rule]:
    """Validate the configured rules (an array of tables); RuleError names the first wrong key."""
    if not isinstance(items, list):
        raise RuleError(path, "expected an array of tables ([[alerts.rules]])")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        rule = parse_rule(item, where)
        if rule.name in seen:
            raise RuleError(f"{where}.name", f"duplicate rule name {rule.name!r} (also {seen[rule.name]})")
        seen[rule.name] = where
        rules.append(rule)
    return rules


def parse_rule(item: Any, path: str) -> Rule:
    """One `[[alerts.rules]]` table at the dotted `path`."""
    if not isinstance(item, dict):
        raise RuleError(path, f"expected a table, got {item!r}")
    table = _Table(item, path)
    for key in item:
        if key not in ALLOWED_KEYS:
            table.fail(key, f"unknown key; expected one of: {', '.join(ALLOWED_KEYS)}")
    name = table.name("name")
    when = table.string("when")
    if when not in WHENS:
        table.fail("when", f"expected one of {', '.join(WHENS)}, got {when!r}")
    for key, whens in _ONLY_FOR.items():
        if key in item and when not in whens:
            table.fail(key, f"not used by '{when}' rules (only by {', '.join(whens)})")
    limit, clear_at = _limits(table, when)
    window_s = table.number("window_s", positive=True)
    after_min = table.number("after_min", positive=True)
    if when == "nodata" and after_min is None:
        table.fail("after_min", "missing; 'nodata' rules need the silence in minutes that raises")
    severity = table.string("severity", Severity.WARNING.value)
    if severity not in {s.value for s in Severity}:
        table.fail("severity", f"expected one of {', '.join(s.value for s in Severity)}, got {severity!r}")
    escalate_min = table.number("escalate_after_min", positive=True)
    templates = {t: _template(table, t, when, name) for t in _TEMPLATES}
    default_title, default_title_en = DEFAULT_TITLES[when]
    return Rule(name=name, keys=table.strings("keys", required=True), when=when, limit=limit, clear_at=clear_at,
                window_s=DEFAULT_WINDOW_S if window_s is None else window_s,
                after_s=None if after_min is None else after_min * 60, count=table.count("count"),
                severity=Severity(severity), type=table.name("type", name),
                title=templates["title"] or default_title, title_en=templates["title_en"] or default_title_en,
                detail=templates["detail"], detail_en=templates["detail_en"], link=templates["link"],
                escalate_after_s=None if escalate_min is None else escalate_min * 60,
                notify=table.strings("notify"), procedure=table.string("procedure", ""))


def _limits(table: _Table, when: str) -> tuple[float | None, float | None]:
    """(limit, clear_at) with the default hysteresis; clear_at must lie on the safe side of the limit."""
    if when == "nodata":
        return None, None
    limit = table.number("limit", positive=when == "rate")
    if limit is None:
        table.fail("limit", f"missing; '{when}' rules need a number")
    margin = 0.05 * abs(limit)
    clear_at = table.number("clear_at")
    if clear_at is None:
        clear_at = {"above": limit - margin, "below": limit + margin, "rate": 0.8 * limit}[when]
    wrong = {"above": clear_at > limit, "below": clear_at < limit, "rate": not 0 <= clear_at <= limit}[when]
    if wrong:
        side = {"above": "at most", "below": "at least", "rate": "between 0 and"}[when]
        table.fail("clear_at", f"expected {side} the limit {limit:g}, got {clear_at:g}")
    return limit, clear_at


def _template(table: _Table, name: str, when: str, rule: str) -> str:
    """A template whose placeholders all exist for this kind of rule, formatted once to prove it."""
    template = table.string(name, "")
    allowed = PLACEHOLDERS[when]
    try:
        placeholders = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        table.fail(name, f"cannot read {template!r}: {exc}")
    for placeholder in placeholders:
        if placeholder not in allowed:
            table.fail(name, f"unknown placeholder {{{placeholder}}}; '{when}' rules know: "
                             + ", ".join(f"{{{p}}}" for p in allowed))
    try:  # a placeholder may still carry a format its value refuses, e.g. {value:d}
        template.format_map(_SAMPLE | {"rule": rule})
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        table.fail(name, f"cannot format {template!r}: {exc!r}")
    return template


def render(template: str, fields: dict[str, Any]) -> str:
    """The template filled in; never raises (a rule built without `parse_rules` may be wrong)."""
    try:
        return template.format_map(fields).strip()
    except Exception:  # the alert still matters more than its wording
        log.warning("cannot format alert template %r with %r", template, fields, exc_info=True)
        return template


def entity_of(key: str) -> str:
    """The key without its last segment: "air/st01" for "air/st01/pm25"."""
    return key.rsplit("/", 1)[0] if "/" in key else key


@dataclass
class _Watch:
    """One above/below/rate rule on one key."""

    rule: Rule
    key: str
    last_ts: float = -math.inf
    streak: int = 0
    active: bool = False
    history: deque[tuple[float, float]] = field(default_factory=deque)  # rate rules: (ts, value)


@dataclass
class _Silence:
    """One nodata rule on one key; times are arrival times on the engine's clock."""

    rule: Rule
    key: str
    heard: float  # the last arrival, or when the watch began
    last_ts: float = -math.inf
    raised: bool = False
    unit: str = ""
    label: str = ""


class RuleEngine:
    """`engine(records) -> [AlertEvent]` for the measurement rules; `engine.tick(now)` for the nodata rules."""

    def __init__(self, rules: Sequence[Rule], clock: Callable[[], float] = time.time, source: str = "rules") -> None:
        self._rules = tuple(rules)
        self.clock = clock
        self.source = source
        self._patterns = [re.compile("|".join(fnmatch.translate(p) for p in rule.keys)) for rule in self._rules]
        self._matches: dict[str, tuple[int, ...]] = {}
        self._watches: dict[tuple[int, str], _Watch] = {}
        self._silences: dict[tuple[int, str], _Silence] = {}
        started = clock()
        for index, rule in enumerate(self._rules):
            if rule.when == "nodata":
                for pattern in rule.keys:
                    if not _has_wildcard(pattern):  # a feed that never speaks must raise too
                        self._silences[(index, pattern)] = _Silence(rule, pattern, started)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules

    def __call__(self, records: list) -> list[AlertEvent]:
        matched = [(record, index) for record in records if isinstance(record, Measurement)
                   for index in self._matching(record.key)]
        matched.sort(key=lambda pair: pair[0].ts)  # a file drop may list a key's readings out of order
        events: list[AlertEvent] = []
        arrived: float | None = None
        for record, index in matched:
            if self._rules[index].when == "nodata":
                arrived = self.clock() if arrived is None else arrived
                events.extend(self._heard(index, record, arrived))
            else:
                events.extend(self._evaluate(index, record))
        return events

    def tick(self, now: float) -> list[AlertEvent]:
        """Raise, once per silence, every nodata watch silent longer than its rule allows."""
        events = []
        for silence in self._silences.values():
            assert silence.rule.after_s is not None
            if not silence.raised and now - silence.heard > silence.rule.after_s:
                silence.raised = True
                events.append(self._silence_event(silence, now, clear=False))
        return events

    def _matching(self, key: str) -> tuple[int, ...]:
        found = self._matches.get(key)
        if found is None:
            if len(self._matches) >= MATCH_CACHE_MAX:
                self._matches.clear()
            found = self._matches[key] = tuple(i for i, p in enumerate(self._patterns) if p.match(key))
        return found

    def _evaluate(self, index: int, m: Measurement) -> list[AlertEvent]:
        watch = self._watches.get((index, m.key))
        if watch is None:
            watch = self._watches[(index, m.key)] = _Watch(self._rules[index], m.key)
        if m.ts <= watch.last_ts:  # redelivered or late: the state already moved past it
            return []
        watch.last_ts = m.ts
        rule = watch.rule
        level = _rate(watch, m) if rule.when == "rate" else float(m.value)
        if level is None:
            return []
        if rule.breached(level):
            watch.streak += 1
            if not watch.active and watch.streak >= rule.count:
                watch.active = True
                return [self._event(watch, m, level, clear=False)]
        else:
            watch.streak = 0
            if watch.active and rule.recovered(level):
                watch.active = False
                return [self._event(watch, m, level, clear=True)]
        return []

    def _heard(self, index: int, m: Measurement, now: float) -> list[AlertEvent]:
        silence = self._silences.get((index, m.key))
        if silence is None:
            silence = self._silences[(index, m.key)] = _Silence(self._rules[index], m.key, now)
        if m.ts <= silence.last_ts:
            return []
        silence.last_ts, silence.unit, silence.label = m.ts, m.unit, m.label
        events = [self._silence_event(silence, now, clear=True)] if silence.raised else []
        silence.raised, silence.heard = False, now
        return events

    def _event(self, watch: _Watch, m: Measurement, level: float, clear: bool) -> AlertEvent:
        rule = watch.rule
        fields = _fields(rule, m.key, m.unit, m.label) | {"value": float(m.value), "limit": rule.limit}
        extra: dict[str, Any] = {"value": float(m.value), "limit": rule.limit, "clear_at": rule.clear_at,
                                 "unit": m.unit, "rule": rule.name}
        if rule.when == "rate":
            fields["rate"] = extra["rate"] = level
            extra["window_s"] = rule.window_s
        event_id = f"rule/{rule.name}/{m.key}/{m.ts:.3f}" + ("/clear" if clear else "")
        return self._alert(rule, m.key, event_id, m.ts, fields, extra, clear)

    def _silence_event(self, silence: _Silence, now: float, clear: bool) -> AlertEvent:
        rule = silence.rule
        minutes = int((now - silence.heard) // 60)
        fields = _fields(rule, silence.key, silence.unit, silence.label) | {"minutes": minutes}
        extra = {"minutes": minutes, "since": silence.heard, "after_s": rule.after_s, "unit": silence.unit,
                 "rule": rule.name}
        event_id = f"rule/{rule.name}/{silence.key}/nodata/{silence.heard:.3f}" + ("/clear" if clear else "")
        return self._alert(rule, silence.key, event_id, now, fields, extra, clear)

    def _alert(self, rule: Rule, key: str, event_id: str, ts: float, fields: dict[str, Any],
               extra: dict[str, Any], clear: bool) -> AlertEvent:
        return AlertEvent(id=event_id, key=key, severity=rule.severity, title=render(rule.title, fields), ts=ts,
                          source=self.source, detail=render(rule.detail, fields), extra=extra,
                          title_en=render(rule.title_en, fields), detail_en=render(rule.detail_en, fields),
                          entity=fields["entity"], type=rule.type, domain=key.split("/", 1)[0],
                          link=render(rule.link, fields), rule=rule.name, clear=clear)


def _fields(rule: Rule, key: str, unit: str, label: str) -> dict[str, Any]:
    entity = entity_of(key)
    return {"key": key, "entity": entity, "entity_id": entity.rsplit("/", 1)[-1], "unit": unit, "label": label,
            "rule": rule.name}


def _rate(watch: _Watch, m: Measurement) -> float | None:
    """Change per minute since the reading at or just before `window_s` ago; None until one is half as old."""
    history, window = watch.history, watch.rule.window_s
    history.append((m.ts, float(m.value)))
    while len(history) > 1 and history[1][0] <= m.ts - window:
        history.popleft()
    then_ts, then_value = history[0]
    if m.ts - then_ts < window / 2:
        return None
    rate = (float(m.value) - then_value) / ((m.ts - then_ts) / 60)
    return max(-sys.float_info.max, min(sys.float_info.max, rate))  # stays storable as JSON


def _has_wildcard(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")
