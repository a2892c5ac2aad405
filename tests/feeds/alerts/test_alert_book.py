"""The alert book: deduplication by (entity, type), the workflow, convergence, escalation, restarts."""

from __future__ import annotations

from feeds.alerts.book import AlertBook, AlertPolicy, RulePolicy
from feeds.core.records import Alert, AlertAction, AlertEvent, AlertState, Severity
from feeds.store import Cache

T0 = 1_795_430_000.0


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Queued:
    """Records what the book asked to notify (the real notifier is tested in test_notify)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, tuple[str, ...], Severity]] = []

    def enqueue(self, alert: Alert, reason: str, channels) -> list[str]:
        self.calls.append((alert.id, reason, tuple(channels), alert.severity))
        return [f"{alert.id}/{reason}/{c}" for c in channels]


def trigger(n: int, key: str = "air/st01/aqi", severity: Severity = Severity.WARNING, ts: float | None = None,
            clear: bool = False, **kw) -> AlertEvent:
    return AlertEvent(id=f"ev-{key}-{n}", key=key, severity=severity, title=f"Cảnh báo {n}", ts=ts or T0 + n,
                      source="feed", clear=clear, **kw)


def act(alert_id: str, action: str, by: str, ts: float, text: str = "", **data) -> AlertAction:
    return AlertAction(id=f"{by}-{action}-{ts}", alert_id=alert_id, action=action, by=by, ts=ts, text=text,
                       data=data)


def run(book: AlertBook, cache: Cache, records: list) -> list:
    """What the ingest writer does with one batch: derive, then store everything."""
    out = book(records)
    cache.store([*records, *out])
    return out


def newest(out: list) -> dict[str, Alert]:
    return {r.id: r for r in out if isinstance(r, Alert)}


def test_repeats_fold_into_one_alert_and_redelivery_is_not_counted(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    book = AlertBook(cache, clock=Clock())
    out = run(book, cache, [trigger(1), trigger(2), trigger(3, severity=Severity.CRITICAL)])
    (alert,) = newest(out).values()
    assert (alert.count, alert.severity, alert.state, alert.entity, alert.type) == (
        3, Severity.CRITICAL, AlertState.RAISED, "air/st01", "aqi")
    assert alert.first_seen == T0 + 1 and alert.last_seen == T0 + 3
    assert [a.action for a in out if isinstance(a, AlertAction)] == ["raised", "repeat"]  # the severity rose
    assert run(book, cache, [trigger(2), trigger(3)]) == []  # the broker redelivered two: nothing changes
    other = run(book, cache, [trigger(1, key="air/st02/aqi")])
    assert len(newest(other)) == 1 and book.open_count == 2
    assert cache.alert_states(open_only=True)[0].count in (1, 3)


def test_workflow_to_closed_and_a_new_episode_after_resolution(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    book = AlertBook(cache, clock=Clock())
    alert_id = next(iter(newest(run(book, cache, [trigger(1)]))))
    steps = [("ack", AlertState.ACKNOWLEDGED), ("assign", AlertState.ASSIGNED), ("start", AlertState.IN_PROGRESS),
             ("resolve", AlertState.RESOLVED), ("close", AlertState.CLOSED)]
    for i, (action, expected) in enumerate(steps):
        out = run(book, cache, [act(alert_id, action, "an", T0 + 10 + i, text="Đội kỹ thuật")])
        assert newest(out)[alert_id].state is expected
    final = book.entries[alert_id].alert
    assert (final.acked_by, final.assignee) == ("an", "Đội kỹ thuật")
    assert run(book, cache, [act(alert_id, "ack", "binh", T0 + 30)]) == []  # closed: an ack changes nothing
    late = run(book, cache, [trigger(5, ts=T0 + 12)])  # raised before the resolution, arrived after it
    assert newest(late)[alert_id].count == 2 and book.open_count == 0
    fresh = newest(run(book, cache, [trigger(6, ts=T0 + 100)]))
    assert alert_id not in fresh and next(iter(fresh.values())).state is AlertState.RAISED
    history = [a.action for a in cache.alert_history(alert_id)]
    assert history == ["raised", "ack", "assign", "start", "resolve", "close", "ack"]


def test_two_consoles_converge_whatever_order_the_actions_arrive_in(tmp_path):
    caches = [Cache(tmp_path / f"{n}.sqlite") for n in "ab"]
    books = [AlertBook(c, clock=Clock()) for c in caches]
    for book, cache in zip(books, caches):
        run(book, cache, [trigger(1)])
    alert_id = "ev-air/st01/aqi-1"
    by_a, by_b = act(alert_id, "ack", "an", T0 + 10.0), act(alert_id, "ack", "binh", T0 + 10.5)
    run(books[0], caches[0], [by_a])
    run(books[0], caches[0], [by_b])
    run(books[1], caches[1], [by_b])  # console B acknowledged a little later but saw its own first
    run(books[1], caches[1], [by_a])
    states = [b.entries[alert_id].alert for b in books]
    assert states[0] == states[1]
    assert (states[0].acked_by, states[0].acked_at, states[0].state) == ("an", T0 + 10.0, AlertState.ACKNOWLEDGED)
    assert [len(c.alert_history(alert_id)) for c in caches] == [3, 3]  # raised + both acknowledgements


def test_escalation_when_nobody_acknowledges(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    clock, queued = Clock(), Queued()
    policy = AlertPolicy(escalate_after_s={Severity.WARNING: 600, Severity.CRITICAL: 300},
                         notify={Severity.CRITICAL: ("email",), Severity.EMERGENCY: ("email", "sms")})
    book = AlertBook(cache, policy, queued, clock=clock)
    alert_id = next(iter(newest(run(book, cache, [trigger(1)]))))
    assert queued.calls == []  # a warning notifies nobody by this policy
    assert book.tick(T0 + 599) == []
    out = book.tick(T0 + 600)
    cache.store(out)
    assert newest(out)[alert_id].severity is Severity.CRITICAL
    assert queued.calls == [(alert_id, "escalated-1", ("email",), Severity.CRITICAL)]
    assert book.tick(T0 + 800) == []  # critical escalates after 300 s more
    assert newest(book.tick(T0 + 900))[alert_id].severity is Severity.EMERGENCY
    assert book.tick(T0 + 99_999) == []  # emergency is the top
    other = next(iter(newest(run(book, cache, [trigger(1, key="vessel/TH-1/boundary")]))))
    run(book, cache, [act(other, "ack", "an", T0 + 5)])
    assert book.tick(T0 + 10_000) == []  # acknowledged in time: never escalates


def test_rule_policy_overrides_and_clear_then_raise_again(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    queued = Queued()
    policy = AlertPolicy(rules={"pm25": RulePolicy(escalate_after_s=60, notify=("webhook",), procedure="air")})
    book = AlertBook(cache, policy, queued, clock=Clock())
    alert_id = next(iter(newest(run(book, cache, [trigger(1, rule="pm25")]))))
    assert queued.calls == [(alert_id, "raised", ("webhook",), Severity.WARNING)]
    assert book.entries[alert_id].alert.procedure == "air"
    cleared = newest(run(book, cache, [trigger(2, clear=True)]))[alert_id]
    assert cleared.cleared and cleared.is_open  # cleared is a flag: someone still has to resolve it
    again = newest(run(book, cache, [trigger(3, rule="pm25")]))[alert_id]
    assert not again.cleared and again.count == 2
    assert [a.action for a in cache.alert_history(alert_id)] == ["raised", "clear", "repeat"]


def test_an_action_that_arrives_before_its_alert_is_applied_when_the_alert_comes(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    book = AlertBook(cache, clock=Clock())
    run(book, cache, [act("ev-air/st01/aqi-1", "ack", "an", T0 + 3)])
    alert = newest(run(book, cache, [trigger(1)]))["ev-air/st01/aqi-1"]
    assert alert.state is AlertState.ACKNOWLEDGED and alert.acked_by == "an"


def test_restart_reloads_open_alerts_and_their_actions(tmp_path):
    path = tmp_path / "c.sqlite"
    cache = Cache(path)
    book = AlertBook(cache, AlertPolicy(escalate_after_s={Severity.WARNING: 60}), clock=Clock())
    alert_id = next(iter(newest(run(book, cache, [trigger(1)]))))
    cache.store(book.tick(T0 + 60))
    run(book, cache, [act(alert_id, "assign", "an", T0 + 70, text="Đội kỹ thuật")])
    cache.close()
    cache = Cache(path)
    again = AlertBook(cache, clock=Clock(T0 + 100))
    alert = again.entries[alert_id].alert
    assert (alert.state, alert.severity, alert.escalations, alert.assignee) == (
        AlertState.ASSIGNED, Severity.CRITICAL, 1, "Đội kỹ thuật")
    assert newest(run(again, cache, [trigger(2)]))[alert_id].count == 2
    assert run(again, cache, [trigger(1)]) == []  # stored before the restart: not counted again
