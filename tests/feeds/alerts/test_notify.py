"""Alert notifications against real servers on loopback: an aiosmtpd mail server and HTTP SMS/webhook servers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from feeds.alerts.notify import (
    ChannelConfigError,
    EmailChannel,
    Notifier,
    SmsChannel,
    WebhookChannel,
    parse_channels,
    render,
)
from feeds.core.records import Alert, AlertAction, AlertState, Severity
from feeds.store import Cache
from tests.support.notify_peers import free_port

TS = 1_790_000_000  # 2026-09-21 21:13:20 in Vietnam
FAST = {"base_backoff_s": 0.2, "max_backoff_s": 1.0}



def make_alert(**changes: Any) -> Alert:
    alert = Alert(
        id="al-1", identity="cam-07|flood", domain="traffic", type="flood", entity="cam-07",
        severity=Severity.EMERGENCY, title="Ngập úng tại nút giao Trần Phú – Lê Lợi",
        title_en="Flooding at the Tran Phu – Le Loi junction", detail="Mực nước 35 cm, đang dâng nhanh",
        detail_en="Water 35 cm deep, rising fast", first_seen=TS, last_seen=TS + 120, count=3,
        state=AlertState.RAISED, ts=TS + 120, source="sim", location=(19.8067, 105.7852), link="camera:cam-07")
    return replace(alert, **changes)


class Outcomes:
    """The on_outcome callback: collects AlertActions and lets a test wait for them."""

    def __init__(self) -> None:
        self.items: list[AlertAction] = []
        self._cond = threading.Condition()

    def __call__(self, action: AlertAction) -> None:
        with self._cond:
            self.items.append(action)
            self._cond.notify_all()

    def of(self, channel: str) -> list[AlertAction]:
        with self._cond:
            return [a for a in self.items if a.by == channel]

    def wait(self, channel: str, count: int, timeout: float = 5.0) -> list[AlertAction]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.of(channel)) >= count, timeout), self.items
        return self.of(channel)


@pytest.fixture
def notifiers() -> Iterator[Callable[..., Notifier]]:
    """Makes Notifiers that are stopped at teardown even when a test fails."""
    made: list[Notifier] = []

    def make(*args: Any, **kwargs: Any) -> Notifier:
        made.append(Notifier(*args, **kwargs))
        return made[-1]

    yield make
    for notifier in made:
        notifier.stop()


def email_channel(port: int) -> EmailChannel:
    return EmailChannel(host="127.0.0.1", port=port, sender="ioc@thanhhoa.gov.vn",
                        to=("lanhdao@thanhhoa.gov.vn", "trucban@thanhhoa.gov.vn"), username="ioc",
                        password_env="IOC_SMTP_PASSWORD", timeout_s=2)


def test_email_arrives_with_vietnamese_subject_and_body(cache: Cache, mailbox, notifiers, monkeypatch) -> None:
    box, port = mailbox
    monkeypatch.setenv("IOC_SMTP_PASSWORD", "mat-khau-8")
    outcomes = Outcomes()
    notifier = notifiers(cache, {"email": email_channel(port)}, outcomes, **FAST)
    notifier.start()

    assert notifier.enqueue(make_alert(), "raised", ["email"]) == ["al-1/raised/email"]
    _, mail, envelope = box.next()

    assert box.logins == [(b"ioc", b"mat-khau-8")]
    assert envelope.rcpt_tos == ["lanhdao@thanhhoa.gov.vn", "trucban@thanhhoa.gov.vn"]
    assert mail["Subject"] == "[IOC] KHẨN CẤP / EMERGENCY: Ngập úng tại nút giao Trần Phú – Lê Lợi"
    body = mail.get_content()
    for line in ("Flooding at the Tran Phu – Le Loi junction", "Đối tượng / Entity: cam-07",
                 "Lần đầu / First seen: 2026-09-21 21:13:20 (UTC+7)",
                 "Lần cuối / Last seen: 2026-09-21 21:15:20", "Số lần / Count: 3",
                 "Vị trí / Location: 19.80670, 105.78520", "Mực nước 35 cm, đang dâng nhanh"):
        assert line in body
    assert body.index("Ngập úng") < body.index("Flooding")  # Vietnamese first
    [outcome] = outcomes.wait("email", 1)
    assert (outcome.id, outcome.action, outcome.alert_id, outcome.source) == (
        "al-1/raised/email#1", "notified", "al-1", "notify")
    assert outcome.text == "e-mail to lanhdao@thanhhoa.gov.vn, trucban@thanhhoa.gov.vn accepted"
    assert outcome.data == {"channel": "email", "kind": "email", "attempt": 1, "final": True, "reason": "raised"}
    assert notifier.pending() == 0


def test_webhook_answering_500_twice_is_retried_until_accepted(cache: Cache, http_servers, notifiers) -> None:
    hook = http_servers(lambda n, body: 500 if n <= 2 else 200)
    outcomes = Outcomes()
    channel = WebhookChannel(url=hook.url, headers={"X-Api-Key": "k-123"}, timeout_s=2)
    notifier = notifiers(cache, {"hook": channel}, outcomes, **FAST)
    notifier.start()
    alert = make_alert(severity=Severity.CRITICAL)

    notifier.enqueue(alert, "escalated-1", ["hook"])
    actions = outcomes.wait("hook", 3)

    assert [(a.action, a.data["attempt"], a.data["final"]) for a in actions] == [
        ("notify_failed", 1, False), ("notify_failed", 2, False), ("notified", 3, True)]
    assert actions[0].text.startswith("HTTP 500 from webhook 127.0.0.1:")
    assert actions[0].text.endswith("; retry in 0.2 s") and actions[1].text.endswith("; retry in 0.4 s")
    assert actions[2].id == "al-1/escalated-1/hook#3"
    assert len(hook.seen) == 3
    assert hook.seen[1].at - hook.seen[0].at >= 0.19 and hook.seen[2].at - hook.seen[1].at >= 0.39
    assert hook.seen[2].headers["X-Api-Key"] == "k-123"
    body = hook.seen[2].body
    assert (body["severity"], body["state"], body["reason"]) == ("critical", "raised", "escalated-1")
    assert (body["title"], body["location"], body["count"]) == (alert.title, [19.8067, 105.7852], 3)
    assert {"id", "entity", "title_en", "detail", "detail_en", "first_seen", "last_seen", "link"} <= body.keys()
    assert notifier.pending() == 0


def test_sms_retries_only_the_number_that_failed(cache: Cache, http_servers, notifiers, monkeypatch) -> None:
    failures = {"+84912000002": 1}

    def gateway(n: int, body: dict[str, Any]) -> int:
        if failures.get(body["to"], 0) > 0:
            failures[body["to"]] -= 1
            return 503
        return 200

    sms = http_servers(gateway)
    monkeypatch.setenv("SMS_TOKEN", "t0k")
    outcomes = Outcomes()
    channel = SmsChannel(url=sms.url, numbers=("+84912000001", "+84912000002"), token_env="SMS_TOKEN", timeout_s=2)
    notifier = notifiers(cache, {"sms-leaders": channel}, outcomes, **FAST)
    notifier.start()

    notifier.enqueue(make_alert(title="Cháy rừng " * 40 + "\nxã Xuân Du"), "raised", ["sms-leaders"])
    actions = outcomes.wait("sms-leaders", 2)

    assert [s.body["to"] for s in sms.seen] == ["+84912000001", "+84912000002", "+84912000002"]
    assert actions[0].text == ("SMS to +84912000001 accepted; +84912000002: HTTP 503 from sms gateway "
                               f"127.0.0.1:{sms.httpd.server_address[1]}; retry in 0.2 s")
    assert actions[1].text == "SMS to +84912000002 accepted"
    assert [a.action for a in actions] == ["notify_failed", "notified"]
    text = sms.seen[0].body["text"]
    assert len(text) <= 300 and "\n" not in text and text.startswith("[IOC] KHẨN CẤP / EMERGENCY: Cháy rừng")
    assert all(s.headers["Authorization"] == "Bearer t0k" for s in sms.seen)


def test_stalled_webhook_does_not_delay_email_or_sms(cache: Cache, mailbox, http_servers, notifiers,
                                                      monkeypatch) -> None:
    box, port = mailbox
    monkeypatch.setenv("IOC_SMTP_PASSWORD", "mat-khau-8")
    def stall(n: int, body: dict[str, Any]) -> int:
        stalled.release.wait(3)
        return 200

    stalled = http_servers(stall)
    sms = http_servers(lambda n, body: 200)
    outcomes = Outcomes()
    channels = {"hook": WebhookChannel(url=stalled.url, timeout_s=2.0),
                "email": email_channel(port), "sms": SmsChannel(url=sms.url, numbers=("+84912000001",))}
    notifier = notifiers(cache, channels, outcomes, **FAST)
    notifier.start()

    started = time.monotonic()
    notifier.enqueue(make_alert(id="al-a"), "raised", ["hook", "email", "sms"])
    notifier.enqueue(make_alert(id="al-b"), "raised", ["hook", "email", "sms"])
    arrivals = [box.next()[0] for _ in range(2)]
    outcomes.wait("sms", 2)

    assert max(arrivals) - started < 1.5  # both e-mails went out while the first webhook call still hung
    assert [a.action for a in outcomes.of("sms")] == ["notified", "notified"]
    assert outcomes.of("hook") == []
    [timed_out] = outcomes.wait("hook", 1)
    assert timed_out.text.startswith("no answer from webhook 127.0.0.1:") and "within 2 s" in timed_out.text


def test_gives_up_after_max_attempts(cache: Cache, notifiers) -> None:
    outcomes = Outcomes()
    channel = WebhookChannel(url=f"http://127.0.0.1:{free_port()}/hook", timeout_s=1)  # nothing listens
    notifier = notifiers(cache, {"hook": channel}, outcomes, max_attempts=3, base_backoff_s=0.05)
    notifier.start()

    notifier.enqueue(make_alert(), "raised", ["hook"])
    actions = outcomes.wait("hook", 3)
    time.sleep(0.3)  # a duration, not a wait: a fourth attempt would be due by now

    assert [(a.action, a.data["final"]) for a in outcomes.of("hook")] == [
        ("notify_failed", False), ("notify_failed", False), ("notify_failed", True)]
    assert actions[2].text.startswith("gave up after 3 attempts: webhook 127.0.0.1:")
    assert actions[2].text.endswith("connection refused")
    assert cache.run("SELECT state, attempts FROM deliveries") == [("failed", 3)]
    assert notifier.pending() == 0


def test_pending_delivery_survives_restart_and_is_sent_once(tmp_path: Path, http_servers, notifiers) -> None:
    sms = http_servers(lambda n, body: 500 if n == 1 else 200)
    channels = {"sms": SmsChannel(url=sms.url, numbers=("+84912000001",), timeout_s=2)}
    path = tmp_path / "restart.sqlite"
    first_cache = Cache(path)
    first_outcomes = Outcomes()
    first = notifiers(first_cache, channels, first_outcomes, base_backoff_s=60)
    first.start()
    first.enqueue(make_alert(), "raised", ["sms"])
    assert first_outcomes.wait("sms", 1)[0].text.endswith("; retry in 60 s")
    first.stop()
    assert first.pending() == 1
    first_cache.close()

    second_cache = Cache(path)
    outcomes = Outcomes()
    # a minute later: the retry the first notifier scheduled is due
    second = notifiers(second_cache, channels, outcomes, clock=lambda: time.time() + 61)
    assert second.pending() == 1
    second.start()
    [action] = outcomes.wait("sms", 1)
    assert (action.action, action.data["attempt"]) == ("notified", 2)
    second.enqueue(make_alert(), "raised", ["sms"])  # the same notification again: already sent
    second.stop()

    third = notifiers(second_cache, channels, outcomes, clock=lambda: time.time() + 3600)
    third.start()
    time.sleep(0.3)  # a duration, not a wait: time for a (wrong) second send of what was already sent
    assert len(sms.seen) == 2 and sms.seen[0].body == sms.seen[1].body
    assert third.pending() == 0 and len(outcomes.items) == 1
    third.stop()
    second_cache.close()


def test_cache_error_is_reported_and_the_worker_keeps_going(cache: Cache, http_servers, notifiers,
                                                            caplog) -> None:
    hook = http_servers(lambda n, body: 200)
    outcomes = Outcomes()
    notifier = notifiers(cache, {"hook": WebhookChannel(url=hook.url, timeout_s=2)}, outcomes, **FAST)
    notifier.start()

    cache.run("ALTER TABLE deliveries RENAME TO deliveries_away")
    assert notifier.enqueue(make_alert(id="al-a"), "raised", ["hook"]) == []
    cache.run("ALTER TABLE deliveries_away RENAME TO deliveries")
    notifier.enqueue(make_alert(id="al-b"), "raised", ["hook"])
    lost, sent = outcomes.wait("hook", 2)

    assert (lost.alert_id, lost.action, lost.data["final"]) == ("al-a", "notify_failed", True)
    assert lost.text == "could not be queued: no such table: deliveries"
    assert "al-a/raised/hook could not be queued" in caplog.text
    assert (sent.alert_id, sent.action) == ("al-b", "notified")
    assert [s.body["id"] for s in hook.seen] == ["al-b"]


def test_unknown_channel_is_reported_not_raised(cache: Cache) -> None:
    outcomes = Outcomes()
    notifier = Notifier(cache, {"hook": WebhookChannel(url="http://127.0.0.1:9/x")}, outcomes)

    assert notifier.enqueue(make_alert(), "raised", ["fax", "hook"]) == ["al-1/raised/hook"]
    [action] = outcomes.items
    assert (action.action, action.by, action.data["final"]) == ("notify_failed", "fax", True)
    assert action.text == "no channel named 'fax' is configured"
    assert notifier.pending() == 1


def test_escalation_subject_names_the_escalation() -> None:
    message = render(make_alert(severity=Severity.WARNING, location=None), "escalated-2")
    assert message.subject.endswith("Lê Lợi (nâng cấp lần 2 / escalation 2)")
    assert message.subject.startswith("[IOC] CẢNH BÁO / WARNING: ")
    assert "Vị trí" not in message.body


def test_parse_channels_reads_every_kind() -> None:
    channels = parse_channels({
        "email": {"host": "mail.thanhhoa.gov.vn", "sender": "ioc@thanhhoa.gov.vn", "to": ["a@x", "b@y"],
                  "starttls": True, "username": "ioc", "password_env": "IOC_SMTP_PASSWORD"},
        "sms": {"url": "https://sms.local/api", "numbers": ["+84912000001"]},
        "sms-leaders": {"type": "sms", "url": "https://sms.local/api", "numbers": ["+84912000002"], "timeout_s": 5},
        "portal": {"type": "webhook", "url": "http://portal.local/hook", "headers": {"X-Api-Key": "k"}},
    })

    assert channels["email"] == EmailChannel(host="mail.thanhhoa.gov.vn", port=25, sender="ioc@thanhhoa.gov.vn",
                                             to=("a@x", "b@y"), username="ioc", password_env="IOC_SMTP_PASSWORD",
                                             starttls=True)
    assert channels["sms-leaders"] == SmsChannel(url="https://sms.local/api", numbers=("+84912000002",),
                                                 timeout_s=5)
    assert isinstance(channels["sms"], SmsChannel)
    assert channels["portal"] == WebhookChannel(url="http://portal.local/hook", headers={"X-Api-Key": "k"})


EMAIL = {"host": "mail.local", "sender": "ioc@x", "to": ["a@x"]}


@pytest.mark.parametrize(("table", "key", "message"), [
    ({"email": {**EMAIL, "port": "25"}}, "alerts.channels.email.port", "expected an integer"),
    ({"email": {**EMAIL, "port": True}}, "alerts.channels.email.port", "expected an integer"),
    ({"email": {**EMAIL, "port": 0}}, "alerts.channels.email.port", "expected a port number from 1 to 65535"),
    ({"email": {**EMAIL, "hots": "x"}}, "alerts.channels.email.hots",
     "unknown key; email channels take host, port, sender, to, username, password_env, password_secret, starttls, "
     "timeout_s"),
    ({"email": {"sender": "ioc@x", "to": ["a@x"]}}, "alerts.channels.email.host", "missing"),
    ({"email": {**EMAIL, "to": "a@x"}}, "alerts.channels.email.to", "expected a list of strings"),
    ({"email": {**EMAIL, "to": []}}, "alerts.channels.email.to", "expected at least one address"),
    ({"sms-leaders": {"url": "http://g", "numbers": ["1"]}}, "alerts.channels.sms-leaders.type",
     "expected one of email, sms, webhook"),
    ({"hook": {"type": "webhook", "url": "ftp://x"}}, "alerts.channels.hook.url",
     "expected an http:// or https:// URL"),
    ({"hook": {"type": "webhook", "url": "http://x", "headers": {"n": 1}}}, "alerts.channels.hook.headers",
     "expected a table of strings"),
    ({"sms": {"url": "http://g", "numbers": ["1"], "timeout_s": -1}}, "alerts.channels.sms.timeout_s",
     "expected a positive number of seconds"),
    ({"sms": "http://g"}, "alerts.channels.sms", "expected a table"),
])
def test_parse_channels_names_the_wrong_key(table: dict, key: str, message: str) -> None:
    with pytest.raises(ChannelConfigError) as caught:
        parse_channels(table)
    assert (caught.value.key, caught.value.message, str(caught.value)) == (key, message, f"{key}: {message}")


def test_the_mail_password_can_come_from_a_secret_instead_of_the_configuration(cache: Cache, mailbox, notifiers,
                                                                                monkeypatch) -> None:
    from dataclasses import replace

    from feeds.core.secrets import env_name

    box, port = mailbox
    monkeypatch.setenv(env_name("smtp/canhbao"), "mat-khau-8")  # as `controlroom secrets set` or systemd gives it
    channel = replace(email_channel(port), password_env="", password_secret="smtp/canhbao")
    notifier = notifiers(cache, {"email": channel}, Outcomes(), **FAST)
    notifier.start()
    notifier.enqueue(make_alert(), "raised", ["email"])
    box.next()
    assert box.logins == [(b"ioc", b"mat-khau-8")]
