"""Opinion forms (phiếu lấy ý kiến): made by the secretary on a paper, approved by the chair, sent to the members
with a deadline, answered agree / disagree / other opinion with a comment, summarised, then concluded.

A form is locked once sent: its questions and recipients no longer change. A member may change an answer
until the deadline or the close, never after. The summary counts against all recipients, as the decision
rule does (more than half of all members, Decree 39/2022/NĐ-CP)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from feeds.meetings.records import VOTING_ROLES, Meeting
from feeds.meetings.store import MeetingError, new_id
from feeds.store.authority import transaction

MAX_QUESTIONS = 30
MAX_COMMENT = 4000


class FormState(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # trình: waiting for the chair
    APPROVED = "approved"  # duyệt
    SENT = "sent"  # gửi: collecting answers until the deadline
    CLOSED = "closed"  # no more answers; the summary is final
    CONCLUDED = "concluded"  # kết luận recorded


class Answer(str, Enum):
    AGREE = "agree"  # Đồng ý
    DISAGREE = "disagree"  # Không đồng ý
    OTHER = "other"  # Ý kiến khác (with a comment)


@dataclass(frozen=True)
class OpinionForm:
    id: str
    meeting: str
    paper: str | None
    title: str
    state: FormState
    deadline: float
    created_by: str
    approved_by: str
    sent: float
    conclusion: str
    concluded_by: str
    questions: tuple[str, ...] = ()
    recipients: tuple[tuple[str, str], ...] = ()  # (name, display name) once sent


@dataclass(frozen=True)
class QuestionSummary:
    position: int
    text: str
    agree: int
    disagree: int
    other: int
    unanswered: int
    comments: tuple[dict[str, str], ...] = field(default_factory=tuple)  # {"member", "answer", "comment"}

    def passes(self, recipients: int) -> bool:
        return self.agree * 2 > recipients


class OpinionStore:
    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock) -> None:
        self.conn = conn
        self.lock = lock

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn, self.lock)

    def create(self, meeting: str, title: str, questions: Sequence[str], deadline: float, by: str,
               paper: str | None = None) -> OpinionForm:
        texts = [q.strip() for q in questions]
        if not title.strip():
            raise MeetingError("an opinion form needs a title")
        if not texts or len(texts) > MAX_QUESTIONS or any(not t or len(t) > 2000 for t in texts):
            raise MeetingError(f"an opinion form has 1 to {MAX_QUESTIONS} questions of 1 to 2000 characters")
        form = new_id("pl")
        with self._transaction() as c:
            c.execute("INSERT INTO opinion_forms (id, meeting, paper, title, deadline, created_by, created) "
                      "VALUES (?,?,?,?,?,?,?)", (form, meeting, paper, title.strip(), deadline, by, time.time()))
            c.executemany("INSERT INTO opinion_questions VALUES (?,?,?)",
                          [(form, n, t) for n, t in enumerate(texts, 1)])
        return self.get(form)

    def get(self, form: str) -> OpinionForm:
        with self.lock:
            row = self.conn.execute("SELECT id, meeting, paper, title, state, deadline, created_by, approved_by, sent, "
                                    "conclusion, concluded_by FROM opinion_forms WHERE id = ?", (form,)).fetchone()
            if row is None:
                raise KeyError(form)
            questions = tuple(t for (t,) in self.conn.execute(
                "SELECT text FROM opinion_questions WHERE form = ? ORDER BY position", (form,)))
            recipients = tuple((str(n), str(d)) for n, d in self.conn.execute(
                "SELECT member, display_name FROM opinion_recipients WHERE form = ? ORDER BY member", (form,)))
        return OpinionForm(row[0], row[1], row[2], row[3], FormState(row[4]), row[5], row[6], row[7], row[8], row[9],
                           row[10], questions, recipients)

    def forms(self, meeting: str) -> list[OpinionForm]:
        with self.lock:
            ids = [r[0] for r in self.conn.execute("SELECT id FROM opinion_forms WHERE meeting = ? ORDER BY created",
                                                   (meeting,))]
        return [self.get(i) for i in ids]

    def open_forms(self) -> list[OpinionForm]:
        with self.lock:
            ids = [r[0] for r in self.conn.execute("SELECT id FROM opinion_forms WHERE state = 'sent'")]
        return [self.get(i) for i in ids]

    def move(self, form: str, expected: FormState, to: FormState, **columns: Any) -> OpinionForm:
        """Change state only from EXPECTED (MeetingError naming the present state otherwise)."""
        sets = ", ".join(["state = ?", *(f"{k} = ?" for k in columns)])
        with self._transaction() as c:
            found = c.execute("SELECT state FROM opinion_forms WHERE id = ?", (form,)).fetchone()
            if found is None:
                raise KeyError(form)
            if found[0] != expected.value:
                raise MeetingError(f"the form is {found[0]}; this needs it {expected.value}")
            c.execute(f"UPDATE opinion_forms SET {sets} WHERE id = ?", (to.value, *columns.values(), form))
        return self.get(form)

    def send(self, form: str, meeting: Meeting, now: float) -> OpinionForm:
        current = self.get(form)
        if current.deadline <= now:
            raise MeetingError("the deadline has passed: set a later one before sending")
        recipients = [(m.name, m.display_name) for m in meeting.members if m.role in VOTING_ROLES]
        if not recipients:
            raise MeetingError("the meeting has no member to send the form to")
        with self._transaction() as c:  # the state, the recipients and the lock on the form: one decision
            found = c.execute("SELECT state FROM opinion_forms WHERE id = ?", (form,)).fetchone()
            if found is None or found[0] != FormState.APPROVED.value:
                raise MeetingError(f"the form is {found[0] if found else 'gone'}; this needs it approved")
            c.executemany("INSERT OR IGNORE INTO opinion_recipients VALUES (?,?,?)",
                          [(form, n, d) for n, d in recipients])
            c.execute("UPDATE opinion_forms SET state = ?, sent = ? WHERE id = ?", (FormState.SENT.value, now, form))
        return self.get(form)

    def answer(self, form: str, member: str, answers: Sequence[tuple[int, Answer, str]], now: float) -> None:
        current = self.get(form)
        if current.state is not FormState.SENT:
            raise MeetingError(f"the form is {current.state.value}: answers are no longer taken")
        if now > current.deadline:
            raise MeetingError("the deadline has passed: answers are no longer taken")
        if member not in {n for n, _ in current.recipients}:
            raise PermissionError("the form was not sent to you")
        for position, answer, comment in answers:
            if not 1 <= position <= len(current.questions):
                raise MeetingError(f"the form has questions 1 to {len(current.questions)}")
            if answer is Answer.OTHER and not comment.strip():
                raise MeetingError("an other opinion needs its comment")
            if len(comment) > MAX_COMMENT:
                raise MeetingError(f"a comment has at most {MAX_COMMENT} characters")
        with self._transaction() as c:
            c.executemany("INSERT INTO opinion_answers VALUES (?,?,?,?,?,?) ON CONFLICT (form, member, position) "
                          "DO UPDATE SET answer = excluded.answer, comment = excluded.comment, "
                          "answered = excluded.answered",
                          [(form, member, p, a.value, c_.strip(), now) for p, a, c_ in answers])

    def answers_of(self, form: str, member: str) -> dict[int, tuple[str, str]]:
        with self.lock:
            return {int(p): (str(a), str(c)) for p, a, c in self.conn.execute(
                "SELECT position, answer, comment FROM opinion_answers WHERE form = ? AND member = ?", (form, member))}

    def unanswered(self, form: str) -> list[str]:
        """Recipients who have not answered every question."""
        current = self.get(form)
        with self.lock:
            done = {str(m) for (m,) in self.conn.execute(
                "SELECT member FROM opinion_answers WHERE form = ? GROUP BY member HAVING COUNT(*) >= ?",
                (form, len(current.questions)))}
        return [n for n, _ in current.recipients if n not in done]

    def summary(self, form: str) -> list[QuestionSummary]:
        current = self.get(form)
        names = dict(current.recipients)
        out = []
        with self.lock:
            for position, text in enumerate(current.questions, 1):
                rows = self.conn.execute("SELECT member, answer, comment FROM opinion_answers WHERE form = ? AND "
                                         "position = ? ORDER BY member", (form, position)).fetchall()
                counts = {a: sum(1 for _, x, _ in rows if x == a.value) for a in Answer}
                comments = tuple({"member": names.get(m, m), "answer": a, "comment": c} for m, a, c in rows if c)
                out.append(QuestionSummary(position, text, counts[Answer.AGREE], counts[Answer.DISAGREE],
                                           counts[Answer.OTHER], len(current.recipients) - len(rows), comments))
        return out

    def reminder_due(self, form: str, member: str, occasion: str, channel: str) -> bool:
        with self.lock:
            row = self.conn.execute("SELECT sent FROM opinion_reminders WHERE form = ? AND member = ? AND occasion = ? "
                                    "AND channel = ?", (form, member, occasion, channel)).fetchone()
        return row is None or not row[0]

    def record_reminder(self, form: str, member: str, occasion: str, channel: str, sent: bool, error: str) -> None:
        with self._transaction() as c:
            c.execute("INSERT INTO opinion_reminders VALUES (?,?,?,?,?,1,?) ON CONFLICT (form, member, occasion, "
                      "channel) DO UPDATE SET sent = excluded.sent, attempts = attempts + 1, error = excluded.error",
                      (form, member, occasion, channel, time.time() if sent else 0, error))

    def reminders(self, form: str) -> list[dict[str, Any]]:
        with self.lock:
            return [{"member": m, "occasion": o, "channel": ch, "sent": s, "attempts": a, "error": e}
                    for m, o, ch, s, a, e in self.conn.execute(
                        "SELECT member, occasion, channel, sent, attempts, error FROM opinion_reminders WHERE form = ? "
                        "ORDER BY member, occasion, channel", (form,))]
