"""Opinion forms' notices and reminders by e-mail and SMS, through the alert domain's channels.

When a form is sent, every recipient gets a notice; before each configured hour ahead of the deadline, those
who have not answered all of it get a reminder; at the deadline the form closes. Each (form, member,
occasion, channel) goes once: a failed attempt is recorded and tried again on the next round."""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from feeds.alerts.channels import Channel, EmailChannel, Message, SmsChannel, parse_channels, send
from feeds.meetings.opinions import FormState, OpinionForm, OpinionStore
from feeds.meetings.settings import OfficeSettings

log = logging.getLogger(__name__)

Audit = Callable[[str, str, str, str], None]  # (action, target, outcome, detail)


def reminder_channels(settings: OfficeSettings) -> dict[str, Channel]:
    """The channels of [office.reminders.channels]; addresses come from [office.contacts], not from the channel."""
    tables = {name: {**spec, "to": ["(per member)"]} if spec.get("type", name) == "email" else
              {**spec, "numbers": ["(per member)"]} for name, spec in settings.reminder_channels.items()}
    return parse_channels(tables, "office.reminders.channels")


def _when(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts).strftime("%H:%M ngày %d/%m/%Y")


def message(form: OpinionForm, occasion: str, meeting_title: str) -> Message:
    if occasion == "sent":
        subject = f"Phiếu lấy ý kiến: {form.title}"
        lead = "Đề nghị đồng chí cho ý kiến"
    else:
        subject = f"Nhắc: phiếu lấy ý kiến «{form.title}» sắp hết hạn"
        lead = "Đồng chí chưa gửi ý kiến"
    body = (f"{lead} về «{form.title}» ({meeting_title}) trước {_when(form.deadline)}.\n"
            f"{len(form.questions)} nội dung cần cho ý kiến: Đồng ý / Không đồng ý / Ý kiến khác.\n"
            "Trả lời trên máy tính bảng hoặc máy tính tại mục Cuộc họp.")
    short = f"{lead} ve phieu \"{form.title}\" truoc {_when(form.deadline)}."
    return Message(subject, body, short, {"form": form.id, "occasion": occasion, "deadline": form.deadline})


class ReminderWorker:
    def __init__(self, opinions: OpinionStore, settings: OfficeSettings, meeting_title: Callable[[str], str],
                 audit: Audit) -> None:
        self.opinions = opinions
        self.settings = settings
        self.channels = reminder_channels(settings)
        self.meeting_title = meeting_title
        self.audit = audit
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="opinion-reminders", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once(time.time())
            except Exception:  # a round that fails is logged; the next one tries again
                log.exception("opinion reminders: the round failed")
            self._stop.wait(self.settings.reminder_interval_s)

    def occasions(self, form: OpinionForm, now: float) -> list[str]:
        due = ["sent"]
        due += [f"before-{h:g}h" for h in self.settings.remind_before_hours if form.deadline - h * 3600 <= now]
        return due

    def run_once(self, now: float) -> int:
        """One round: notices, reminders, and closing the forms past their deadline; how many went out."""
        sent = 0
        for form in self.opinions.open_forms():
            if now >= form.deadline:
                self.opinions.move(form.id, FormState.SENT, FormState.CLOSED)
                self.audit("opinion.close", f"{form.meeting} {form.id}", "ok", "deadline reached")
                continue
            waiting = set(self.opinions.unanswered(form.id))
            for occasion in self.occasions(form, now):
                targets = [n for n, _ in form.recipients] if occasion == "sent" else sorted(waiting)
                for member in targets:
                    sent += self._deliver(form, occasion, member)
        return sent

    def _deliver(self, form: OpinionForm, occasion: str, member: str) -> int:
        contact = self.settings.contacts.get(member)
        delivered = 0
        for name, channel in self.channels.items():
            address = (contact.email if isinstance(channel, EmailChannel) else
                       contact.phone if isinstance(channel, SmsChannel) else "") if contact else ""
            if not address or not self.opinions.reminder_due(form.id, member, occasion, name):
                continue
            attempt = send(channel, message(form, occasion, self.meeting_title(form.meeting)), (address,))
            ok = address in attempt.accepted
            self.opinions.record_reminder(form.id, member, occasion, name, ok, attempt.error)
            self.audit("opinion.remind", f"{form.id} {member}", "ok" if ok else "failed",
                       f"{occasion} by {name}" + (f": {attempt.error}" if attempt.error else ""))
            delivered += ok
        return delivered


def summary_record(form: OpinionForm, summary: list[Any]) -> dict[str, Any]:
    """What the conclusion signs: the form, each question's counts against all recipients, the comments."""
    recipients = len(form.recipients)
    return {"type": "opinion_summary", "form": form.id, "meeting": form.meeting, "title": form.title,
            "deadline": form.deadline, "recipients": recipients, "conclusion": form.conclusion,
            "concluded_by": form.concluded_by,
            "questions": [{"position": q.position, "text": q.text, "agree": q.agree, "disagree": q.disagree,
                           "other": q.other, "unanswered": q.unanswered, "comments": list(q.comments),
                           "passes": q.passes(recipients)} for q in summary]}
