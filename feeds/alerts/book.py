"""The alert book: folds triggers and operator actions into alerts, one open alert per (entity, type).

Runs on the writer thread of the ingest process. An alert's workflow state is a pure function of its
triggers and of its actions sorted by (time, id), so two consoles that have seen the same messages show
the same state whatever order the messages arrived in (the earliest acknowledgement wins on both).
"""

from __future__ import annotations

import bisect
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from feeds.core.records import (
    OPEN_STATES,
    SEVERITIES,
    SEVERITY_RANK,
    Alert,
    AlertAction,
    AlertEvent,
    AlertState,
    Record,
    Severity,
    raise_severity,
)
from feeds.store import Cache

log = logging.getLogger(__name__)

# Actions that change an alert's state; the others ("note", "notified", …) are history only.
STATE_ACTIONS = frozenset({"ack", "assign", "start", "resolve", "close", "escalate", "sop_step", "sop_done"})
SEEN_IDS_KEPT = 200_000
ORPHANS_KEPT = 10_000


@dataclass(frozen=True)
class RulePolicy:
    """What a configured rule says about the alerts it raises."""

    escalate_after_s: float | None = None
    notify: tuple[str, ...] = ()
    procedure: str = ""


@dataclass(frozen=True)
class AlertPolicy:
    """Escalation and notification defaults by severity, and per rule."""

    escalate_after_s: dict[Severity, float] = field(default_factory=dict)
    notify: dict[Severity, tuple[str, ...]] = field(default_factory=dict)
    rules: dict[str, RulePolicy] = field(default_factory=dict)
    keep_resolved_s: float = 86_400.0  # a late repeat within this time folds into the resolved alert

    def escalate_after(self, alert: Alert) -> float | None:
        rule = self.rules.get(alert.rule)
        if rule is not None and rule.escalate_after_s is not None:
            return rule.escalate_after_s
        return self.escalate_after_s.get(alert.severity)

    def channels(self, alert: Alert) -> tuple[str, ...]:
        rule = self.rules.get(alert.rule)
        if rule is not None and rule.notify:
            return rule.notify
        return self.notify.get(alert.severity, ())


class Notifications(Protocol):
    def enqueue(self, alert: Alert, reason: str, channels: Iterable[str]) -> list[str]: ...


def apply_action(alert: Alert, action: AlertAction) -> Alert:
    """The workflow: raised → acknowledged → assigned → in progress → resolved → closed."""
    kind, state = action.action, alert.state
    acked: dict[str, Any] = {} if alert.acked_by else {"acked_by": action.by, "acked_at": action.ts}
    if kind == "ack" and state is AlertState.RAISED:
        return replace(alert, state=AlertState.ACKNOWLEDGED, **acked)
    if kind == "assign" and state in OPEN_STATES:
        moved = AlertState.IN_PROGRESS if state is AlertState.IN_PROGRESS else AlertState.ASSIGNED
        return replace(alert, state=moved, assignee=action.text, **acked)
    if kind == "start" and state in OPEN_STATES:
        return replace(alert, state=AlertState.IN_PROGRESS, assignee=alert.assignee or action.by, **acked)
    if kind == "resolve" and state in OPEN_STATES:
        return replace(alert, state=AlertState.RESOLVED, **acked)
    if kind == "close" and state is AlertState.RESOLVED:
        return replace(alert, state=AlertState.CLOSED)
    if kind == "escalate" and state is AlertState.RAISED:
        return replace(alert, escalations=alert.escalations + 1,
                       severity=raise_severity(alert.severity))
    if kind in ("sop_step", "sop_done") and not alert.procedure:
        return replace(alert, procedure=str(action.data.get("procedure", "")))
    return alert


class _Entry:
    """One alert: what its triggers said, and its state actions in (ts, id) order."""

    __slots__ = ("action_ids", "actions", "alert", "trigger")

    def __init__(self, trigger: Alert, actions: list[AlertAction]) -> None:
        self.trigger = trigger  # the alert as its triggers alone make it (state raised, no actions)
        self.actions = sorted(actions, key=_order)
        self.action_ids = {a.id for a in actions}
        self.alert = self.fold()

    def fold(self) -> Alert:
        alert = self.trigger
        for action in self.actions:
            alert = apply_action(alert, action)
        return replace(alert, ts=max(alert.last_seen, self.actions[-1].ts if self.actions else 0.0))

    def add(self, action: AlertAction) -> bool:
        if action.id in self.action_ids:
            return False
        self.action_ids.add(action.id)
        bisect.insort(self.actions, action, key=_order)
        self.alert = self.fold()
        return True

    def resolved_at(self) -> float | None:
        return next((a.ts for a in self.actions if a.action == "resolve"), None)

    def last_escalation(self) -> float:
        return max((a.ts for a in self.actions if a.action == "escalate"), default=0.0)


def _order(action: AlertAction) -> tuple[float, str]:
    return (action.ts, action.id)


def _base(alert: Alert) -> Alert:
    """The trigger-only form of a stored alert (its actions are folded again on top)."""
    severity = SEVERITIES[max(0, SEVERITY_RANK[alert.severity] - alert.escalations)]
    return replace(alert, state=AlertState.RAISED, severity=severity, assignee="", acked_by="", acked_at=None,
                   escalations=0, procedure="")


class AlertBook:
    """A processor (see feeds.ingest.writer.Ingestor.add_processor) with a once-a-second `tick` for escalation."""

    def __init__(self, cache: Cache, policy: AlertPolicy | None = None, notifier: Notifications | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.cache = cache
        self.policy = policy or AlertPolicy()
        self.notifier = notifier
        self.clock = clock
        self.entries: dict[str, _Entry] = {}  # by alert id: open ones and recently resolved ones
        self.open: dict[str, str] = {}  # identity → id of its open alert
        self.resolved: dict[str, str] = {}  # identity → id of its latest resolved/closed alert
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._orphans: OrderedDict[str, list[AlertAction]] = OrderedDict()
        self._load()

    def _load(self) -> None:
        alerts = self.cache.alert_book_rows(since=self.clock() - self.policy.keep_resolved_s)
        histories = self.cache.alert_histories([a.id for a in alerts], tuple(STATE_ACTIONS))
        for alert in alerts:
            self._index(_Entry(_base(alert), histories.get(alert.id, [])))

    def _index(self, entry: _Entry) -> None:
        alert = entry.alert
        self.entries[alert.id] = entry
        if alert.is_open:
            self.open[alert.identity] = alert.id
        else:
            if self.open.get(alert.identity) == alert.id:
                del self.open[alert.identity]
            self.resolved[alert.identity] = alert.id

    @property
    def open_count(self) -> int:
        return len(self.open)

    # -- the processor ---------------------------------------------------------------------------------
    def __call__(self, records: list[Record]) -> list[Record]:
        triggers = [r for r in records if isinstance(r, AlertEvent)]
        actions = [r for r in records if isinstance(r, AlertAction)]
        if not triggers and not actions:
            return []
        now = self.clock()
        out: list[Record] = []
        changed: dict[str, Alert] = {}
        stored = self.cache.known_ids("alerts", [t.id for t in triggers if t.id not in self._seen])
        for trigger in triggers:
            if trigger.id in self._seen or trigger.id in stored:
                continue
            self._remember(trigger.id)
            self._fold_trigger(trigger, now, out, changed)
        for action in actions:
            self._fold_action(action, changed)
        self._evict_resolved(now)
        return [*out, *changed.values()]

    def tick(self, now: float | None = None) -> list[Record]:
        """Escalate alerts nobody has acknowledged in time."""
        now = self.clock() if now is None else now
        out: list[Record] = []
        changed: dict[str, Alert] = {}
        for alert_id in list(self.open.values()):
            entry = self.entries[alert_id]
            alert = entry.alert
            after = self.policy.escalate_after(alert)
            if (alert.state is not AlertState.RAISED or not after or alert.severity is Severity.EMERGENCY
                    or now - max(alert.raised_at, entry.last_escalation()) < after):
                continue
            level = alert.escalations + 1
            action = AlertAction(id=f"{alert.id}/escalate/{level}", alert_id=alert.id, action="escalate",
                                 by="system", ts=now, source="system",
                                 text=f"{after / 60:g} min without acknowledgement", data={"level": level})
            if entry.add(action):
                out.append(action)
                changed[alert.id] = entry.alert
                self._notify(entry.alert, f"escalated-{level}")
        return [*out, *changed.values()]

    # -- folding -----------------------------------------------------------------------------------------
    def _fold_trigger(self, trigger: AlertEvent, now: float, out: list[Record], changed: dict[str, Alert]) -> None:
        identity = trigger.identity
        entry = self.entries.get(self.open.get(identity, ""))
        if trigger.clear:
            if entry is not None and not entry.trigger.cleared:
                entry.trigger = replace(entry.trigger, cleared=True, last_seen=max(entry.trigger.last_seen, trigger.ts))
                entry.alert = entry.fold()
                out.append(self._history(entry.alert, trigger, "clear"))
                changed[entry.alert.id] = entry.alert
            return
        if entry is None:
            late = self.entries.get(self.resolved.get(identity, ""))
            resolved_at = late.resolved_at() if late is not None else None
            if late is not None and resolved_at is not None and trigger.ts <= resolved_at:
                entry = late  # a repeat from before the resolution, arriving late: counted, not reopened
            else:
                self._raise(trigger, now, out, changed)
                return
        before = entry.trigger
        rose = SEVERITY_RANK[trigger.severity] > SEVERITY_RANK[before.severity]
        entry.trigger = replace(
            before, count=before.count + 1, first_seen=min(before.first_seen, trigger.ts),
            last_seen=max(before.last_seen, trigger.ts), cleared=False,
            severity=trigger.severity if rose else before.severity,
            title=trigger.title or before.title, title_en=trigger.title_en or before.title_en,
            detail=trigger.detail or before.detail, detail_en=trigger.detail_en or before.detail_en,
            location=trigger.location or before.location, link=trigger.link or before.link)
        entry.alert = entry.fold()
        changed[entry.alert.id] = entry.alert
        if rose or before.cleared:
            out.append(self._history(entry.alert, trigger, "repeat"))
        if rose:
            self._notify(entry.alert, f"severity-{trigger.severity.value}")

    def _raise(self, trigger: AlertEvent, now: float, out: list[Record], changed: dict[str, Alert]) -> None:
        rule = self.policy.rules.get(trigger.rule)
        alert = Alert(
            id=trigger.id, identity=trigger.identity, domain=trigger.alert_domain, type=trigger.alert_type,
            entity=trigger.alert_entity, severity=trigger.severity, title=trigger.title, title_en=trigger.title_en,
            detail=trigger.detail, detail_en=trigger.detail_en, first_seen=trigger.ts, last_seen=trigger.ts,
            count=1, state=AlertState.RAISED, ts=trigger.ts, source=trigger.source, location=trigger.location,
            link=trigger.link, rule=trigger.rule, raised_at=now)
        entry = _Entry(alert, self._orphans.pop(alert.id, []))
        if rule is not None and rule.procedure and not entry.alert.procedure:
            entry.trigger = replace(entry.trigger, procedure=rule.procedure)
            entry.alert = entry.fold()
        self._index(entry)
        out.append(self._history(entry.alert, trigger, "raised"))
        changed[alert.id] = entry.alert
        self._notify(entry.alert, "raised")

    def _fold_action(self, action: AlertAction, changed: dict[str, Alert]) -> None:
        if action.action not in STATE_ACTIONS:
            return
        entry = self.entries.get(action.alert_id) or self._load_one(action.alert_id)
        if entry is None:  # its alert has not reached this console yet: applied when it does
            self._orphans.setdefault(action.alert_id, []).append(action)
            while len(self._orphans) > ORPHANS_KEPT:
                self._orphans.popitem(last=False)
            return
        before = entry.alert
        if entry.add(action) and replace(entry.alert, ts=before.ts) != before:  # a refused step is history only
            self._index(entry)
            changed[entry.alert.id] = entry.alert

    def _load_one(self, alert_id: str) -> _Entry | None:
        alert = self.cache.alert_state(alert_id)
        if alert is None:
            return None
        entry = _Entry(_base(alert), self.cache.alert_histories([alert_id], tuple(STATE_ACTIONS)).get(alert_id, []))
        self.entries[alert_id] = entry
        return entry

    def _history(self, alert: Alert, trigger: AlertEvent, kind: str) -> AlertAction:
        return AlertAction(id=f"{alert.id}/{kind}/{trigger.id}", alert_id=alert.id, action=kind,
                           by=trigger.source or "source", ts=trigger.ts, source="system",
                           text=trigger.title or trigger.detail,
                           data={"severity": trigger.severity.value, "trigger": trigger.id})

    def _notify(self, alert: Alert, reason: str) -> None:
        channels = self.policy.channels(alert)
        if self.notifier is not None and channels:
            try:
                self.notifier.enqueue(alert, reason, channels)
            except Exception:  # a broken notification queue must not stop alerts being recorded
                log.exception("could not queue notifications for alert %s", alert.id)

    def _remember(self, trigger_id: str) -> None:
        self._seen[trigger_id] = None
        if len(self._seen) > SEEN_IDS_KEPT:
            self._seen.popitem(last=False)

    def _evict_resolved(self, now: float) -> None:
        """Keep memory bounded: resolved alerts older than keep_resolved_s leave the book (not the cache)."""
        if len(self.entries) - len(self.open) < 1000:
            return
        horizon = now - self.policy.keep_resolved_s
        for alert_id, entry in list(self.entries.items()):
            if not entry.alert.is_open and entry.alert.ts < horizon:
                del self.entries[alert_id]
                if self.resolved.get(entry.alert.identity) == alert_id:
                    del self.resolved[entry.alert.identity]
