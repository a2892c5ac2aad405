"""Alert notifications: a persistent delivery queue in the cache, one worker thread per channel, retries.

Each (alert, reason, channel) is one delivery, rendered when it is queued so that a restart sends the same
message; every attempt's outcome is reported as an AlertAction ("notified" / "notify_failed").
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from typing import Any

from feeds.alerts.channels import (
    Attempt,
    Channel,
    ChannelConfigError,
    EmailChannel,
    Message,
    SmsChannel,
    WebhookChannel,
    kind_of,
    parse_channels,
    recipients_of,
    send,
)
from feeds.core.records import Alert, AlertAction, Severity
from feeds.store import Cache

__all__ = ["Channel", "ChannelConfigError", "EmailChannel", "Notifier", "SmsChannel", "WebhookChannel",
           "parse_channels", "render"]

log = logging.getLogger(__name__)

INSERT = """INSERT OR IGNORE INTO deliveries
    (id, alert_id, channel, reason, subject, body, short, payload, next_try, created, updated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
NEXT_DUE = """SELECT id, alert_id, reason, subject, body, short, payload, attempts, done, next_try
    FROM deliveries WHERE channel = ? AND state = 'pending' ORDER BY next_try, created LIMIT 1"""
RECORD = """UPDATE deliveries SET state = ?, attempts = ?, next_try = ?, last_error = ?, done = ?, updated = ?
    WHERE id = ?"""
SQLITE_RETRY_S = 5.0

VN_TIME = timezone(timedelta(hours=7), "UTC+7")
SEVERITY_LABEL = {
    Severity.INFO: "THÔNG TIN / INFO",
    Severity.WARNING: "CẢNH BÁO / WARNING",
    Severity.CRITICAL: "NGHIÊM TRỌNG / CRITICAL",
    Severity.EMERGENCY: "KHẨN CẤP / EMERGENCY",
}
KIND_LABEL = {"email": "e-mail", "sms": "SMS", "webhook": "webhook"}
SMS_LIMIT = 300


# -- rendering ---------------------------------------------------------------------------------------
def render(alert: Alert, reason: str) -> Message:
    """The e-mail, SMS and webhook forms of one notification, Vietnamese first then English."""
    severity = SEVERITY_LABEL[alert.severity]
    why = _reason_label(reason)
    subject = f"[IOC] {severity}: {alert.title}" + ("" if reason == "raised" else f" ({why})")
    return Message(subject, _body(alert, severity, why), _short(alert, severity), _payload(alert, reason))


def _reason_label(reason: str) -> str:
    if reason == "raised":
        return "cảnh báo mới / new alert"
    if reason.startswith("escalated-"):
        level = reason.removeprefix("escalated-")
        return f"nâng cấp lần {level} / escalation {level}"
    return reason


def _vn_time(ts: float, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(ts, VN_TIME).strftime(pattern)


def _body(alert: Alert, severity: str, why: str) -> str:
    lines = [
        f"{severity} — {why}",
        alert.title,
        *([alert.title_en] if alert.title_en else []),
        "",
        f"Mức độ / Severity: {severity}",
        f"Đối tượng / Entity: {alert.entity}",
        f"Loại / Type: {alert.domain}/{alert.type}",
        f"Lần đầu / First seen: {_vn_time(alert.first_seen)} (UTC+7)",
        f"Lần cuối / Last seen: {_vn_time(alert.last_seen)} (UTC+7)",
        f"Số lần / Count: {alert.count}",
    ]
    if alert.location:
        lines.append(f"Vị trí / Location: {alert.location[0]:.5f}, {alert.location[1]:.5f}")
    if alert.link:
        lines.append(f"Liên kết / Link: {alert.link}")
    lines += ["", *[text for text in (alert.detail, alert.detail_en) if text],
              f"Mã cảnh báo / Alert id: {alert.id}"]
    return "\n".join(lines) + "\n"


def _short(alert: Alert, severity: str) -> str:
    parts = [f"[IOC] {severity}: {alert.title}", alert.entity, f"{_vn_time(alert.last_seen, '%H:%M %d/%m')}",
             f"x{alert.count}"]
    if alert.location:
        parts.append(f"{alert.location[0]:.4f},{alert.location[1]:.4f}")
    if alert.title_en:
        parts.append(alert.title_en)
    text = " | ".join(part for part in parts if part).replace("\n", " ")
    return text if len(text) <= SMS_LIMIT else text[:SMS_LIMIT - 1] + "…"


def _payload(alert: Alert, reason: str) -> dict[str, Any]:
    payload: dict[str, Any] = {f.name: getattr(alert, f.name) for f in fields(alert)}
    payload.update(severity=alert.severity.value, state=alert.state.value, reason=reason,
                   location=list(alert.location) if alert.location else None)
    return payload


# -- the queue ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivery:
    id: str
    alert_id: str
    reason: str
    message: Message
    attempts: int
    done: tuple[str, ...]  # recipients that already accepted it (never sent twice)
    next_try: float

    @classmethod
    def from_row(cls, row: tuple) -> Delivery:
        id_, alert_id, reason, subject, body, short, payload, attempts, done, next_try = row
        message = Message(subject, body, short, json.loads(payload))
        return cls(id_, alert_id, reason, message, attempts, tuple(json.loads(done)), next_try)


class Notifier:
    """Sends alert notifications through the configured channels; never raises a delivery error.

    `on_outcome` is called from the channel's worker thread (from the caller's for a delivery never queued).
    """

    def __init__(self, cache: Cache, channels: dict[str, Channel], on_outcome: Callable[[AlertAction], None],
                 clock: Callable[[], float] = time.time, max_attempts: int = 8, base_backoff_s: float = 2.0,
                 max_backoff_s: float = 300.0) -> None:
        """Creates the deliveries table if needed (raises sqlite3.Error if the cache cannot)."""
        self.cache = cache
        self.channels = dict(channels)
        self.on_outcome = on_outcome
        self.clock = clock
        self.max_attempts = max_attempts
        self.base_backoff_s = base_backoff_s
        self.max_backoff_s = max_backoff_s
        self._wake = {name: threading.Event() for name in self.channels}
        self._stopping = threading.Event()
        self._threads: dict[str, threading.Thread] = {}

    def enqueue(self, alert: Alert, reason: str, channels: Iterable[str]) -> list[str]:
        """Queue one notification per channel; returns the delivery ids (queueing one again is a no-op)."""
        message = render(alert, reason)
        queued = []
        for name in channels:
            delivery_id = f"{alert.id}/{reason}/{name}"
            if name not in self.channels:
                log.error("notification %s: no channel named %r is configured", delivery_id, name)
                self._report(delivery_id, alert.id, name, "", 0, reason, False, True,
                             f"no channel named {name!r} is configured")
                continue
            if self._insert(delivery_id, alert.id, name, reason, message):
                queued.append(delivery_id)
                self._wake[name].set()
        return queued

    def _insert(self, delivery_id: str, alert_id: str, name: str, reason: str, message: Message) -> bool:
        now = self.clock()
        try:
            self.cache.run(INSERT, (delivery_id, alert_id, name, reason, message.subject, message.body,
                                    message.short, json.dumps(message.payload, ensure_ascii=False), now, now, now))
        except sqlite3.Error as exc:
            log.error("notification %s could not be queued: %s", delivery_id, exc)
            self._report(delivery_id, alert_id, name, kind_of(self.channels[name]), 0, reason, False, True,
                         f"could not be queued: {exc}")
            return False
        return True

    def pending(self) -> int:
        """Deliveries not yet sent nor given up (raises sqlite3.Error)."""
        return self.cache.run("SELECT count(*) FROM deliveries WHERE state = 'pending'")[0][0]

    def start(self) -> None:
        """One worker per channel, so a channel that hangs or fails never delays the others."""
        if self._threads:
            return
        self._stopping.clear()
        self._abandon_unconfigured()
        for name in self.channels:
            self._threads[name] = threading.Thread(target=self._work, args=(name,), name=f"notify-{name}",
                                                   daemon=True)
            self._threads[name].start()

    def stop(self) -> None:
        """Wake the workers and wait for attempts in flight to finish (each is bounded by its timeout)."""
        self._stopping.set()
        for wake in self._wake.values():
            wake.set()
        for name, thread in self._threads.items():
            channel = self.channels[name]
            thread.join(timeout=channel.timeout_s * (len(recipients_of(channel)) + 1) + 1)
            if thread.is_alive():
                log.warning("notification worker %s did not stop in time", thread.name)
        self._threads = {}

    def _abandon_unconfigured(self) -> None:
        """Deliveries queued for a channel that the configuration no longer has can never be sent."""
        try:
            rows = self.cache.run("SELECT id, alert_id, channel, reason, attempts FROM deliveries"
                                  " WHERE state = 'pending'")
            for id_, alert_id, name, reason, attempts in rows:
                if name in self.channels:
                    continue
                why = f"channel {name!r} is no longer configured"
                log.error("notification %s given up: %s", id_, why)
                self.cache.run("UPDATE deliveries SET state = 'failed', last_error = ?, updated = ? WHERE id = ?",
                               (why, self.clock(), id_))
                self._report(id_, alert_id, name, "", attempts, reason, False, True, why)
        except sqlite3.Error as exc:
            log.error("notification queue could not be checked: %s", exc)

    # -- the worker ----------------------------------------------------------------------------------
    def _work(self, name: str) -> None:
        wake = self._wake[name]
        while not self._stopping.is_set():
            wake.clear()  # before looking, so an enqueue that races the look still wakes the wait below
            try:
                row = self.cache.run(NEXT_DUE, (name,))
            except sqlite3.Error as exc:
                log.error("notification queue of channel %s unreadable: %s", name, exc)
                wake.wait(SQLITE_RETRY_S)
                continue
            if not row:
                wake.wait()
                continue
            delivery = Delivery.from_row(row[0])
            delay = delivery.next_try - self.clock()
            if delay > 0:
                wake.wait(delay)
            else:
                self._attempt(name, delivery)

    def _attempt(self, name: str, delivery: Delivery) -> None:
        channel = self.channels[name]
        attempt = delivery.attempts + 1
        owed = tuple(r for r in recipients_of(channel) if r not in delivery.done)
        try:
            # the configured recipients may have shrunk to those that already accepted it
            result = send(channel, delivery.message, owed) if owed else Attempt(())
        except Exception as exc:  # a bug in a sender must not end the worker
            log.exception("notification %s through %s crashed", delivery.id, name)
            accepted, error = tuple[str, ...](), f"{type(exc).__name__}: {exc}"
        else:
            accepted, error = result.accepted, result.error
        done = delivery.done + accepted
        text = f"{KIND_LABEL[kind_of(channel)]} to {', '.join(accepted)} accepted" if accepted else ""
        if not owed:
            text = "already accepted by every recipient"
        if not error:
            state, next_try = "sent", delivery.next_try
        elif attempt >= self.max_attempts:
            state, next_try = "failed", delivery.next_try
            text = _join(text, f"gave up after {attempt} attempts: {error}")
            log.error("notification %s through %s: %s", delivery.id, name, text)
        else:
            state, wait = "pending", self._backoff(attempt)
            next_try = self.clock() + wait
            text = _join(text, f"{error}; retry in {wait:g} s")
            log.warning("notification %s through %s: %s", delivery.id, name, text)
        try:
            self.cache.run(RECORD, (state, attempt, next_try, error, json.dumps(done), self.clock(), delivery.id))
        except sqlite3.Error as exc:
            log.error("notification %s: outcome not saved: %s", delivery.id, exc)
        self._report(delivery.id, delivery.alert_id, name, kind_of(channel), attempt, delivery.reason,
                     state == "sent", state != "pending", text)

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff_s, self.base_backoff_s * 2 ** (attempt - 1))

    def _report(self, delivery_id: str, alert_id: str, name: str, kind: str, attempt: int, reason: str,
                ok: bool, final: bool, text: str) -> None:
        action = AlertAction(
            id=f"{delivery_id}#{attempt}", alert_id=alert_id, action="notified" if ok else "notify_failed",
            by=name, ts=self.clock(), source="notify", text=text,
            data={"channel": name, "kind": kind, "attempt": attempt, "final": final, "reason": reason})
        try:
            self.on_outcome(action)
        except Exception:  # the caller's bug must not stop notifications
            log.exception("notification outcome handler failed for %s", action.id)


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second
