"""The office database: meetings with their agenda and members, papers, polls and ballots, speaking turns.

Every change is one transaction. A ballot is checked and counted inside a single `BEGIN IMMEDIATE`, so two
copies of it arriving at once, or a ballot racing the poll's close, are decided one after the other."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from feeds.meetings.records import (
    PRESENT,
    VOTING_ROLES,
    AgendaItem,
    BallotAnswer,
    Meeting,
    MeetingState,
    Member,
    MemberRole,
    Poll,
    PollMethod,
    PollState,
    Presence,
    SpeakingTurn,
    Tally,
)
from feeds.meetings.schema import SCHEMA, SCHEMA_VERSION
from feeds.meetings.voting import PollError, check_choice, count, poll_options
from feeds.store.authority import open_authority, transaction

REFUSALS = {
    "poll_closed": ("Biểu quyết đã kết thúc: phiếu không được ghi nhận",
                    "The poll has closed: the ballot was not counted"),
    "poll_not_open": ("Biểu quyết chưa mở", "The poll is not open"),
    "not_member": ("Không phải thành viên có quyền biểu quyết của cuộc họp",
                   "Not a voting member of this meeting"),
    "not_present": ("Chưa điểm danh có mặt: không thể biểu quyết", "Not checked in as present: cannot vote"),
    "already_voted": ("Đã biểu quyết trong lần này", "Already voted in this poll"),
    "invalid_choice": ("Lựa chọn không hợp lệ", "The choice is not valid"),
    "no_poll": ("Không có biểu quyết này", "No such poll"),
}


def refusal(ballot: str, reason: str, detail: str = "") -> BallotAnswer:
    vi, en = REFUSALS[reason]
    return BallotAnswer(ballot, False, reason=reason, message_vi=vi + (f": {detail}" if detail else ""),
                        message_en=en + (f": {detail}" if detail else ""))


class MeetingError(ValueError):
    """A request about meetings that cannot be carried out; the message says why (English, for the API)."""


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def ballot_digest(ballot: str) -> str:
    return hashlib.sha256(ballot.encode()).hexdigest()


@dataclass(frozen=True)
class PaperRow:
    id: str
    meeting: str
    agenda_item: int
    title: str
    filename: str
    size: int
    sha256: str
    confidential: bool
    rights: dict[str, list[str]]  # read / annotate / download → account names ("*": every member)
    uploaded_by: str
    uploaded: float

    def allows(self, right: str, name: str) -> bool:
        allowed = self.rights.get(right, [])
        return "*" in allowed or name in allowed


def open_office(path: Path) -> sqlite3.Connection:
    """The office database (StoreUnavailable when it cannot be used; it is never moved aside)."""
    return open_authority(path, SCHEMA, SCHEMA_VERSION, "office database")


class MeetingStore:
    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock | None = None) -> None:
        self.conn = conn
        self.lock = lock or threading.RLock()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn, self.lock)

    def _one(self, sql: str, *values: object) -> tuple[object, ...] | None:
        with self.lock:
            row: tuple[object, ...] | None = self.conn.execute(sql, values).fetchone()
            return row

    def _all(self, sql: str, *values: object) -> list[tuple[object, ...]]:
        with self.lock:
            return list(self.conn.execute(sql, values).fetchall())

    # meetings ------------------------------------------------------------------------------------------------
    def create_meeting(self, title: str, unit: str, starts: float, ends: float, place: str = "",
                       meeting_id: str | None = None) -> str:
        if not title.strip():
            raise MeetingError("a meeting needs a title")
        if ends <= starts:
            raise MeetingError("a meeting ends after it starts")
        mid = meeting_id or new_id("hop")
        with self._transaction() as c:
            c.execute("INSERT INTO meetings (id, title, unit, starts, ends, place, created) VALUES (?,?,?,?,?,?,?)",
                      (mid, title.strip(), unit, starts, ends, place, time.time()))
        return mid

    def add_agenda_item(self, meeting: str, title: str, presenter: str = "", minutes: int = 0) -> int:
        self._require_meeting(meeting)
        if not title.strip():
            raise MeetingError("an agenda item needs a title")
        with self._transaction() as c:
            position = int(c.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM agenda WHERE meeting = ?",
                                     (meeting,)).fetchone()[0])
            c.execute("INSERT INTO agenda VALUES (?,?,?,?,?)", (meeting, position, title.strip(), presenter,
                                                               max(0, minutes)))
        return position

    def set_member(self, meeting: str, name: str, display_name: str, role: MemberRole) -> None:
        self._require_meeting(meeting)
        if role is MemberRole.CHAIR:
            chair = self._one("SELECT name FROM members WHERE meeting = ? AND role = 'chair'", meeting)
            if chair is not None and chair[0] != name:
                raise MeetingError(f"the meeting already has a chair ({chair[0]})")
        with self._transaction() as c:
            c.execute("INSERT INTO members (meeting, name, display_name, role) VALUES (?,?,?,?) "
                      "ON CONFLICT (meeting, name) DO UPDATE SET display_name = excluded.display_name, "
                      "role = excluded.role", (meeting, name, display_name or name, role.value))

    def _require_meeting(self, meeting: str) -> None:
        if self._one("SELECT 1 FROM meetings WHERE id = ?", meeting) is None:
            raise MeetingError(f"no meeting {meeting!r}")

    def meeting(self, meeting: str) -> Meeting | None:
        row = self._one("SELECT id, title, unit, starts, ends, place, state, current_item FROM meetings "
                        "WHERE id = ?", meeting)
        if row is None:
            return None
        papers: dict[int, list[str]] = {}
        for pid, item in self._all("SELECT id, agenda_item FROM papers WHERE meeting = ? ORDER BY uploaded, id",
                                   meeting):
            papers.setdefault(int(str(item)), []).append(str(pid))
        agenda = tuple(AgendaItem(meeting, int(str(p)), str(t), str(pr), int(str(mi)), tuple(papers.get(int(str(p)),
                                                                                                          [])))
                       for p, t, pr, mi in self._all("SELECT position, title, presenter, minutes FROM agenda "
                                                     "WHERE meeting = ? ORDER BY position", meeting))
        members = tuple(Member(meeting, str(n), str(d), MemberRole(str(r)), Presence(str(p)), str(a))
                        for n, d, r, p, a in self._all(
                            "SELECT name, display_name, role, presence, absence_reason FROM members "
                            "WHERE meeting = ? ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 "
                            "WHEN 'secretary' THEN 2 ELSE 3 END, display_name", meeting))
        mid, title, unit, starts, ends, place, state, current = row
        return Meeting(str(mid), str(title), str(unit), float(str(starts)), float(str(ends)), str(place),
                       MeetingState(str(state)), int(str(current)), agenda, members)

    def meetings(self, since: float, until: float) -> list[Meeting]:
        """Meetings starting in [SINCE, UNTIL), by start time."""
        ids = self._all("SELECT id FROM meetings WHERE starts >= ? AND starts < ? ORDER BY starts, id", since, until)
        return [m for (mid,) in ids if (m := self.meeting(str(mid))) is not None]

    def set_state(self, meeting: str, state: MeetingState) -> None:
        self._require_meeting(meeting)
        with self._transaction() as c:
            c.execute("UPDATE meetings SET state = ? WHERE id = ?", (state.value, meeting))

    def set_current_item(self, meeting: str, position: int) -> None:
        found = self._one("SELECT 1 FROM agenda WHERE meeting = ? AND position = ?", meeting, position)
        if found is None and position != 0:
            raise MeetingError(f"the meeting has no agenda item {position}")
        with self._transaction() as c:
            c.execute("UPDATE meetings SET current_item = ? WHERE id = ?", (position, meeting))

    def set_notes(self, meeting: str, notes: str) -> None:
        self._require_meeting(meeting)
        with self._transaction() as c:
            c.execute("UPDATE meetings SET notes = ? WHERE id = ?", (notes, meeting))

    def notes(self, meeting: str) -> str:
        row = self._one("SELECT notes FROM meetings WHERE id = ?", meeting)
        return str(row[0]) if row else ""

    def check_in(self, meeting: str, name: str, presence: Presence, reason: str = "") -> Member:
        if presence is Presence.ABSENT and not reason.strip():
            raise MeetingError("an absence needs a reason")
        with self._transaction() as c:
            changed = c.execute("UPDATE members SET presence = ?, absence_reason = ?, checked_in = ? "
                                "WHERE meeting = ? AND name = ?",
                                (presence.value, reason.strip() if presence is Presence.ABSENT else "", time.time(),
                                 meeting, name)).rowcount
        if not changed:
            raise MeetingError(f"{name} is not a member of meeting {meeting}")
        found = self.meeting(meeting)
        member = found.member(name) if found else None
        assert member is not None
        return member

    # papers --------------------------------------------------------------------------------------------------
    def add_paper(self, meeting: str, agenda_item: int, title: str, filename: str, size: int, sha256: str,
                  confidential: bool, rights: dict[str, list[str]], uploaded_by: str) -> PaperRow:
        if self._one("SELECT 1 FROM agenda WHERE meeting = ? AND position = ?", meeting, agenda_item) is None:
            raise MeetingError(f"the meeting has no agenda item {agenda_item}")
        pid = new_id("tl")
        with self._transaction() as c:
            c.execute("INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (pid, meeting, agenda_item, title, filename, size, sha256, int(confidential),
                       json.dumps(rights), uploaded_by, time.time()))
        paper = self.paper(pid)
        assert paper is not None
        return paper

    def paper(self, paper: str) -> PaperRow | None:
        row = self._one("SELECT * FROM papers WHERE id = ?", paper)
        return self._paper(row) if row else None

    def papers(self, meeting: str) -> list[PaperRow]:
        return [self._paper(r) for r in self._all("SELECT * FROM papers WHERE meeting = ? ORDER BY agenda_item, "
                                                  "uploaded, id", meeting)]

    @staticmethod
    def _paper(row: tuple[object, ...]) -> PaperRow:
        pid, meeting, item, title, filename, size, sha, conf, rights, by, uploaded = row
        return PaperRow(str(pid), str(meeting), int(str(item)), str(title), str(filename), int(str(size)), str(sha),
                        bool(conf), json.loads(str(rights)), str(by), float(str(uploaded)))

    # polls ---------------------------------------------------------------------------------------------------
    def create_poll(self, meeting: str, title: str, method: PollMethod, options: Sequence[str] = (),
                    max_choices: int = 1, secret: bool = False, agenda_item: int = 0) -> Poll:
        self._require_meeting(meeting)
        if not title.strip():
            raise PollError("a poll needs a title")
        opts, k = poll_options(method, options, max_choices)
        pid = new_id("bq")
        with self._transaction() as c:
            c.execute("INSERT INTO polls (id, meeting, agenda_item, title, method, options, max_choices, secret) "
                      "VALUES (?,?,?,?,?,?,?,?)", (pid, meeting, agenda_item, title.strip(), method.value,
                                                   json.dumps(opts, ensure_ascii=False), k, int(secret)))
        poll = self.poll(pid)
        assert poll is not None
        return poll

    def poll(self, poll: str) -> Poll | None:
        row = self._one("SELECT id, meeting, title, method, options, max_choices, secret, state, agenda_item, "
                        "opened, closed FROM polls WHERE id = ?", poll)
        return self._poll(row) if row else None

    def polls(self, meeting: str) -> list[Poll]:
        return [self._poll(r) for r in self._all(
            "SELECT id, meeting, title, method, options, max_choices, secret, state, agenda_item, opened, closed "
            "FROM polls WHERE meeting = ? ORDER BY agenda_item, rowid", meeting)]

    @staticmethod
    def _poll(row: tuple[object, ...]) -> Poll:
        pid, meeting, title, method, options, k, secret, state, item, opened, closed = row
        return Poll(str(pid), str(meeting), str(title), PollMethod(str(method)), tuple(json.loads(str(options))),
                    int(str(k)), bool(secret), PollState(str(state)), int(str(item)), float(str(opened)),
                    float(str(closed)))

    def open_poll(self, poll: str) -> Poll:
        with self._transaction() as c:
            row = c.execute("SELECT state, meeting FROM polls WHERE id = ?", (poll,)).fetchone()
            if row is None:
                raise MeetingError(f"no poll {poll!r}")
            if row[0] != PollState.CREATED.value:
                raise MeetingError(f"the poll is {row[0]}: only a poll not yet opened can be opened")
            other = c.execute("SELECT id FROM polls WHERE meeting = ? AND state = 'open'", (row[1],)).fetchone()
            if other is not None:
                raise MeetingError(f"poll {other[0]} is still open in this meeting")
            c.execute("UPDATE polls SET state = 'open', opened = ? WHERE id = ?", (time.time(), poll))
        found = self.poll(poll)
        assert found is not None
        return found

    def close_poll(self, poll: str) -> tuple[Poll, Tally]:
        with self._transaction() as c:
            row = c.execute("SELECT state FROM polls WHERE id = ?", (poll,)).fetchone()
            if row is None:
                raise MeetingError(f"no poll {poll!r}")
            if row[0] != PollState.OPEN.value:
                raise MeetingError(f"the poll is {row[0]}: only an open poll can be closed")
            c.execute("UPDATE polls SET state = 'closed', closed = ? WHERE id = ?", (time.time(), poll))
        found = self.poll(poll)
        assert found is not None
        return found, self.tally(poll)

    def cast(self, poll_id: str, voter: str, ballot: str, choice: Sequence[int]) -> BallotAnswer:
        """Count VOTER's ballot once: the same ballot id again is answered as counted, never counted twice."""
        digest = ballot_digest(ballot)
        with self._transaction() as c:
            poll = self.poll(poll_id)
            if poll is None:
                return refusal(ballot, "no_poll")
            voted = c.execute("SELECT ballot_digest FROM poll_voters WHERE poll = ? AND voter = ?",
                              (poll_id, voter)).fetchone()
            if voted is not None:
                if voted[0] == digest:
                    return BallotAnswer(ballot, True, duplicate=True)
                return refusal(ballot, "already_voted")
            if poll.state is PollState.CLOSED:
                return refusal(ballot, "poll_closed")
            if poll.state is not PollState.OPEN:
                return refusal(ballot, "poll_not_open")
            member = c.execute("SELECT role, presence FROM members WHERE meeting = ? AND name = ?",
                               (poll.meeting, voter)).fetchone()
            if member is None or MemberRole(member[0]) not in VOTING_ROLES:
                return refusal(ballot, "not_member")
            if Presence(member[1]) not in PRESENT:
                return refusal(ballot, "not_present")
            try:
                picked = check_choice(poll, choice)
            except PollError as exc:
                return refusal(ballot, "invalid_choice", str(exc))
            c.execute("INSERT INTO poll_voters VALUES (?,?,?)", (poll_id, voter, digest))
            c.execute("INSERT INTO poll_ballots VALUES (?,?,?,?)",
                      (poll_id, secrets.token_hex(8), None if poll.secret else voter, json.dumps(list(picked))))
        return BallotAnswer(ballot, True)

    def has_voted(self, poll: str, voter: str) -> bool:
        return self._one("SELECT 1 FROM poll_voters WHERE poll = ? AND voter = ?", poll, voter) is not None

    def tally(self, poll_id: str) -> Tally:
        poll = self.poll(poll_id)
        if poll is None:
            raise MeetingError(f"no poll {poll_id!r}")
        with self.lock:
            choices = [json.loads(str(r[0])) for r in
                       self.conn.execute("SELECT choice FROM poll_ballots WHERE poll = ?", (poll_id,))]
            members = self.conn.execute("SELECT presence FROM members WHERE meeting = ? AND role IN ('chair', "
                                        "'member')", (poll.meeting,)).fetchall()
        present = sum(1 for (p,) in members if Presence(p) in PRESENT)
        return Tally(poll_id, count(poll, choices), len(choices), present, len(members))

    def named_ballots(self, poll: str) -> list[tuple[str, list[int]]]:
        """Who chose what in a named poll (empty for a secret one: it keeps no names with choices)."""
        return [(str(v), json.loads(str(c))) for v, c in
                self._all("SELECT voter, choice FROM poll_ballots WHERE poll = ? AND voter IS NOT NULL "
                          "ORDER BY voter", poll)]

    def voters(self, poll: str) -> list[str]:
        return [str(v) for (v,) in self._all("SELECT voter FROM poll_voters WHERE poll = ? ORDER BY voter", poll)]

    def store_result(self, poll: str, signed: dict[str, object]) -> None:
        with self._transaction() as c:
            c.execute("INSERT INTO results VALUES (?,?,?,?)",
                      (poll, json.dumps(signed["record"], ensure_ascii=False), str(signed["signature"]),
                       str(signed["key"])))

    def result(self, poll: str) -> dict[str, object] | None:
        row = self._one("SELECT record, signature, key FROM results WHERE poll = ?", poll)
        if row is None:
            return None
        return {"record": json.loads(str(row[0])), "signature": str(row[1]), "key": str(row[2])}

    # speaking ------------------------------------------------------------------------------------------------
    def request_floor(self, meeting: str, name: str, display_name: str) -> SpeakingTurn:
        waiting = self._one("SELECT requested FROM speaking WHERE meeting = ? AND name = ? AND ended = 0",
                            meeting, name)
        if waiting is None:
            with self._transaction() as c:
                c.execute("INSERT INTO speaking (meeting, name, display_name, requested) VALUES (?,?,?,?)",
                          (meeting, name, display_name, time.time()))
        return next(t for t in self.speaking(meeting) if t.name == name)

    def grant_floor(self, meeting: str, name: str, limit_s: int = 0) -> SpeakingTurn:
        now = time.time()
        with self._transaction() as c:
            c.execute("UPDATE speaking SET ended = ? WHERE meeting = ? AND granted > 0 AND ended = 0", (now, meeting))
            changed = c.execute("UPDATE speaking SET granted = ?, limit_s = ? WHERE meeting = ? AND name = ? "
                                "AND ended = 0", (now, max(0, limit_s), meeting, name)).rowcount
            if not changed:
                raise MeetingError(f"{name} has not asked for the floor")
        return next(t for t in self.speaking(meeting) if t.name == name)

    def end_turn(self, meeting: str, name: str) -> None:
        with self._transaction() as c:
            c.execute("UPDATE speaking SET ended = ? WHERE meeting = ? AND name = ? AND ended = 0",
                      (time.time(), meeting, name))

    def speaking(self, meeting: str) -> list[SpeakingTurn]:
        """The current speaker first (if any), then the queue in the order asked."""
        return [SpeakingTurn(meeting, str(n), str(d), float(str(r)), float(str(g)), 0.0, int(str(lim)))
                for n, d, r, g, lim in self._all(
                    "SELECT name, display_name, requested, granted, limit_s FROM speaking WHERE meeting = ? "
                    "AND ended = 0 ORDER BY granted = 0, requested", meeting)]
