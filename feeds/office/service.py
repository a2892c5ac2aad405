"""The office service's logic, apart from HTTP: who is asking, may they, do it, audit it, tell the walls.

Every request names its principal (from a session token); each action is decided by the identity domain's
permission table (audited either way), then by the meeting's own rules (a member, the chair, present),
and refusals of those are audited too. Live state goes out through the LivePublisher after each change."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feeds.core.payloads import to_payload
from feeds.identity.roles import Principal, Role, Target, rules
from feeds.identity.service import Identity
from feeds.meetings.annotations import MarkSet
from feeds.meetings.demo import seed_demo_meeting
from feeds.meetings.live_records import MeetingLive, live_key
from feeds.meetings.minutes import make_marks_pdf, make_minutes, make_resolution
from feeds.meetings.opinions import Answer, FormState, OpinionForm, OpinionStore
from feeds.meetings.paper_files import PaperFiles, PaperRejected, PaperUpload
from feeds.meetings.pdf_signing import PdfSigner, SigningUnavailable
from feeds.meetings.records import (
    AgendaItem,
    BallotAnswer,
    Meeting,
    MeetingState,
    MemberRole,
    Poll,
    PollMethod,
    PollState,
    Presence,
    to_json,
)
from feeds.meetings.settings import OfficeSettings
from feeds.meetings.signing import ResultSigner
from feeds.meetings.store import MeetingError, MeetingStore, PaperRow, open_office
from feeds.meetings.voting import PollError
from feeds.office.at_rest import AtRest
from feeds.office.errors import OfficeError, conflict, forbidden, invalid, not_found, unauthorized
from feeds.office.live import LiveSink, meeting_topic
from feeds.office.reminders import ReminderWorker, summary_record

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class IssuedDocument:
    id: str
    meeting: str
    kind: str  # minutes, resolution
    poll: str | None
    title: str
    size: int
    sha256: str
    signed_by: str  # token, or software key (the demo)
    created: float


@dataclass(frozen=True)
class SessionGrant:
    token: str
    principal: Principal
    expires: float


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OfficeService:
    def __init__(self, settings: OfficeSettings, identity: Identity, database: Path,
                 live: LiveSink | None = None, recordings: Callable[[Meeting], list[str]] | None = None) -> None:
        self.settings = settings
        self.recordings = recordings  # the meeting's conference recordings, for its minutes
        self.identity = identity
        self.folder = folder = database.parent  # beside the database: the papers and the signing key
        self.conn = open_office(database)  # StoreUnavailable when it cannot be used
        self.store = MeetingStore(self.conn)
        self.signer = ResultSigner(folder)
        self.files = PaperFiles(folder / "papers")
        self.issued_dir = folder / "issued"
        self.issued_dir.mkdir(exist_ok=True)
        self.live = live
        self.at_rest = AtRest(folder)
        self._live_lock = threading.Lock()
        self.opinions = OpinionStore(self.conn, self.store.lock)
        self.reminders = ReminderWorker(self.opinions, settings, self._meeting_title, self._audit_system)
        self.pdf_signer: PdfSigner | None = None
        self.signing_problem = ""
        try:
            self.pdf_signer = PdfSigner(folder, settings.signing)
        except SigningUnavailable as exc:  # the service runs; issuing signed PDFs says why it cannot
            self.signing_problem = str(exc)
            log.error("office service: PDFs cannot be signed: %s", exc)

    def start_background(self) -> None:
        """The opinion forms' reminders (and closing them at their deadline)."""
        self.reminders.start()

    def close(self) -> None:
        self.reminders.stop()
        self.conn.close()

    def _meeting_title(self, meeting_id: str) -> str:
        meeting = self.store.meeting(meeting_id)
        return meeting.title if meeting else meeting_id

    def _audit_system(self, action: str, target: str, outcome: str, detail: str) -> None:
        self.identity.record(None, action, target, outcome, detail)

    def seed_demo(self) -> str:
        """The demo's meeting of today (made once a day), with its papers kept like uploaded ones."""
        def save(data: bytes) -> tuple[int, str]:
            upload = self.files.upload(len(data) + 1)
            upload.write(data)
            stored = upload.finish()
            return stored.size, stored.sha256

        meeting_id = seed_demo_meeting(self.store, save)
        meeting = self._meeting(meeting_id)
        if not self.opinions.forms(meeting_id):  # an opinion form on the third paper, out to the members
            paper = next((p.id for p in self.store.papers(meeting_id) if p.agenda_item == 3), None)
            form = self.opinions.create(meeting_id, "Lấy ý kiến về dự thảo Nghị quyết quan trắc môi trường",
                                        ["Thống nhất phạm vi lắp đặt trạm quan trắc tự động",
                                         "Thống nhất giao Sở Tài nguyên và Môi trường chủ trì"],
                                        meeting.ends, "thuky", paper)
            self.opinions.move(form.id, FormState.DRAFT, FormState.SUBMITTED)
            self.opinions.move(form.id, FormState.SUBMITTED, FormState.APPROVED, approved_by=meeting.chair)
            self.opinions.send(form.id, meeting, time.time())
        return meeting_id

    # sessions ------------------------------------------------------------------------------------------------
    def sign_in(self, name: str, password: str, terminal: str) -> SessionGrant:
        result = self.identity.signin.sign_in(name, password, terminal=terminal or "tablet", action="office.sign_in")
        if not result.ok or result.principal is None:
            raise unauthorized(result.message("en"), result.message("vi"))
        token = secrets.token_urlsafe(32)
        p = result.principal
        expires = time.time() + self.settings.session_hours * 3600
        with self.store.lock:
            self.conn.execute("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,0)",
                              (_hash_token(token), p.name, p.role.value, p.unit, p.display_name, terminal,
                               time.time(), expires))
        return SessionGrant(token, p, expires)

    def principal(self, token: str) -> Principal:
        with self.store.lock:
            row = self.conn.execute("SELECT name, role, unit, display_name, terminal, expires, revoked FROM sessions "
                                    "WHERE token_hash = ?", (_hash_token(token),)).fetchone()
        if row is None or row[6] or row[5] < time.time():
            raise unauthorized("The session has ended: sign in again", "Phiên làm việc đã hết: đăng nhập lại")
        account = self.identity.accounts.get(row[0])
        if account is not None and account.locked:
            raise unauthorized("The account is locked", "Tài khoản đã bị khóa")
        return Principal(row[0], Role(row[1]), row[2], row[3], row[4], "office")

    def sign_out(self, token: str, principal: Principal) -> None:
        with self.store.lock:
            self.conn.execute("UPDATE sessions SET revoked = 1 WHERE token_hash = ?", (_hash_token(token),))
        self.identity.record(principal, "office.sign_out", principal.terminal)

    def revoke_device(self, by: Principal, terminal: str) -> int:
        """End every session of TERMINAL (a lost tablet): its keys go with its next request."""
        self._allow(by, "users.manage", terminal)
        with self.store.lock:
            ended = self.conn.execute("UPDATE sessions SET revoked = 1 WHERE terminal = ? AND revoked = 0",
                                      (terminal,)).rowcount
        return int(ended)

    # permission ----------------------------------------------------------------------------------------------
    def _allow(self, principal: Principal, action: str, target: str) -> None:
        decision = self.identity.check(principal, action, Target(detail=target))
        if not decision.allowed:
            raise forbidden(decision.reason_en, decision.reason_vi)

    def _refuse(self, principal: Principal, action: str, target: str, error: OfficeError) -> OfficeError:
        self.identity.record(principal, action, target, "refused", error.message_en)
        return error

    def _meeting(self, meeting_id: str) -> Meeting:
        meeting = self.store.meeting(meeting_id)
        if meeting is None:
            raise not_found("meeting")
        return meeting

    def _visible(self, principal: Principal, meeting: Meeting) -> bool:
        return (meeting.member(principal.name) is not None or principal.role is Role.WALL
                or self.identity.settings.units.covers(principal.unit, meeting.unit))

    def _view(self, principal: Principal, meeting_id: str) -> Meeting:
        meeting = self._meeting(meeting_id)
        if not self._visible(principal, meeting):
            raise forbidden("Not a member of this meeting", "Không phải thành phần cuộc họp")
        return meeting

    def _manage(self, principal: Principal, meeting_id: str, action: str = "meeting.manage") -> Meeting:
        self._allow(principal, "meeting.manage", f"{meeting_id} {action}")
        meeting = self._meeting(meeting_id)
        if not self.identity.settings.units.covers(principal.unit, meeting.unit):
            raise self._refuse(principal, action, meeting_id, forbidden(
                f"The meeting belongs to {self.identity.settings.units.title(meeting.unit)}",
                f"Cuộc họp thuộc {self.identity.settings.units.title(meeting.unit)}"))
        return meeting

    def _chair(self, principal: Principal, meeting_id: str, action: str) -> Meeting:
        self._allow(principal, "meeting.chair", f"{meeting_id} {action}")
        meeting = self._meeting(meeting_id)
        if meeting.chair != principal.name:
            raise self._refuse(principal, action, meeting_id, forbidden("Only the meeting's chair may do this",
                                                                        "Chỉ chủ trì cuộc họp được thực hiện"))
        return meeting

    def _attendee(self, principal: Principal, meeting_id: str, action: str) -> Meeting:
        self._allow(principal, "meeting.attend", f"{meeting_id} {action}")
        meeting = self._meeting(meeting_id)
        if meeting.member(principal.name) is None:
            raise self._refuse(principal, action, meeting_id, forbidden("Not a member of this meeting",
                                                                        "Không phải thành phần cuộc họp"))
        return meeting

    # meetings ------------------------------------------------------------------------------------------------
    def meetings(self, principal: Principal, since: float, until: float, unit: str = "") -> list[Meeting]:
        self._allow(principal, "meeting.view", "list")
        units = self.identity.settings.units
        return [m for m in self.store.meetings(since, until) if self._visible(principal, m)
                and (not unit or units.covers(unit, m.unit))]

    def meeting(self, principal: Principal, meeting_id: str) -> Meeting:
        self._allow(principal, "meeting.view", meeting_id)
        return self._view(principal, meeting_id)

    def create_meeting(self, principal: Principal, title: str, unit: str, starts: float, ends: float,
                       place: str) -> Meeting:
        self._allow(principal, "meeting.manage", f"create {title}")
        unit = unit or principal.unit
        units = self.identity.settings.units
        if unit not in units.units:
            raise invalid(f"unknown unit {unit!r}", f"Đơn vị không tồn tại: {unit}")
        if not units.covers(principal.unit, unit):
            raise self._refuse(principal, "meeting.create", unit, forbidden(
                f"Outside your unit: {units.title(unit)}", f"Ngoài phạm vi đơn vị: {units.title(unit)}"))
        try:
            meeting_id = self.store.create_meeting(title, unit, starts, ends, place)
        except MeetingError as exc:
            raise invalid(str(exc)) from exc
        return self._published(meeting_id)

    def add_agenda_item(self, principal: Principal, meeting_id: str, title: str, presenter: str,
                        minutes: int) -> AgendaItem:
        self._manage(principal, meeting_id)
        try:
            position = self.store.add_agenda_item(meeting_id, title, presenter, minutes)
        except MeetingError as exc:
            raise invalid(str(exc)) from exc
        meeting = self._published(meeting_id)
        return next(i for i in meeting.agenda if i.position == position)

    def set_member(self, principal: Principal, meeting_id: str, name: str, display_name: str,
                   role: MemberRole) -> Meeting:
        self._manage(principal, meeting_id)
        account = self.identity.accounts.get(name)
        if account is None and role is not MemberRole.GUEST:
            raise invalid(f"no account {name!r}: members sign in with their own account",
                          f"Không có tài khoản {name}")
        needs = {MemberRole.CHAIR: "meeting.chair", MemberRole.MEMBER: "meeting.vote"}.get(role)
        if account is not None and needs and account.role not in rules()[needs].roles:
            raise invalid(f"{name} is a {account.role.value}: that role may not be a meeting's {role.value}; "
                          "add them as a guest", f"Vai trò của {name} không thể là {role.value}; hãy mời làm khách")
        try:
            self.store.set_member(meeting_id, account.name if account else name,
                                  display_name or (account.display_name if account else name), role)
        except MeetingError as exc:
            raise conflict(str(exc)) from exc
        return self._published(meeting_id)

    def check_in(self, principal: Principal, meeting_id: str, presence: Presence, reason: str,
                 name: str = "") -> Meeting:
        """Attendance: a member for themself from the tablet, or the secretary for anyone."""
        if name and name != principal.name:
            self._manage(principal, meeting_id, "meeting.attendance")
        else:
            self._attendee(principal, meeting_id, "meeting.check_in")
        try:
            self.store.check_in(meeting_id, name or principal.name, presence, reason)
        except MeetingError as exc:
            raise invalid(str(exc)) from exc
        self.identity.record(principal, "meeting.check_in", f"{meeting_id} {name or principal.name}",
                             detail=presence.value)
        return self._published(meeting_id)

    def set_state(self, principal: Principal, meeting_id: str, state: MeetingState) -> Meeting:
        meeting = self._chair(principal, meeting_id, f"meeting.{state.value}")
        allowed = {MeetingState.PLANNED: MeetingState.OPEN, MeetingState.OPEN: MeetingState.CLOSED}
        if allowed.get(meeting.state) is not state:  # a closed meeting stays closed: its minutes stand
            raise self._refuse(principal, f"meeting.{state.value}", meeting_id, conflict(
                f"the meeting is {meeting.state.value}: it goes planned → open → closed, once",
                "Cuộc họp chỉ khai mạc một lần và bế mạc một lần"))
        if state is MeetingState.CLOSED and any(p.state is PollState.OPEN for p in self.store.polls(meeting_id)):
            raise conflict("a poll is still open: close it first", "Còn biểu quyết đang mở: hãy kết thúc trước")
        self.store.set_state(meeting.id, state)
        if state is MeetingState.OPEN and meeting.current_item == 0 and meeting.agenda:
            self.store.set_current_item(meeting.id, meeting.agenda[0].position)
        return self._published(meeting_id)

    def set_current_item(self, principal: Principal, meeting_id: str, position: int) -> Meeting:
        self._chair(principal, meeting_id, "meeting.agenda_move")
        try:
            self.store.set_current_item(meeting_id, position)
        except MeetingError as exc:
            raise invalid(str(exc)) from exc
        return self._published(meeting_id)

    def notes(self, principal: Principal, meeting_id: str) -> str:
        self._manage(principal, meeting_id, "meeting.notes_read")
        return self.store.notes(meeting_id)

    def set_notes(self, principal: Principal, meeting_id: str, notes: str) -> None:
        self._manage(principal, meeting_id, "meeting.notes")
        self.store.set_notes(meeting_id, notes)

    # papers --------------------------------------------------------------------------------------------------
    def start_upload(self, principal: Principal, meeting_id: str) -> PaperUpload:
        self._manage(principal, meeting_id, "paper.upload")
        return self.files.upload(self.settings.max_paper_mb * 1024 * 1024)

    def finish_upload(self, principal: Principal, meeting_id: str, upload: PaperUpload, agenda_item: int,
                      title: str, filename: str, confidential: bool, rights: dict[str, list[str]]) -> PaperRow:
        try:
            stored = upload.finish()
        except PaperRejected as exc:
            raise self._refuse(principal, "paper.upload", meeting_id,
                               invalid(str(exc), f"Tài liệu bị từ chối: {exc}")) from exc
        try:
            paper = self.store.add_paper(meeting_id, agenda_item, title.strip() or filename, filename, stored.size,
                                         stored.sha256, confidential, rights, principal.name)
        except MeetingError as exc:
            raise invalid(str(exc)) from exc
        self.identity.record(principal, "paper.upload", f"{meeting_id} {paper.id}",
                             detail=f"{stored.size} bytes sha256 {stored.sha256}")
        self._published(meeting_id)
        return paper

    def papers(self, principal: Principal, meeting_id: str) -> list[PaperRow]:
        self._allow(principal, "meeting.view", f"{meeting_id} papers")
        meeting = self._view(principal, meeting_id)
        return [p for p in self.store.papers(meeting_id) if self._may(principal, meeting, p, "read")]

    def _may(self, principal: Principal, meeting: Meeting, paper: PaperRow, right: str) -> bool:
        member = meeting.member(principal.name)
        if member is not None and member.role is MemberRole.SECRETARY:
            return True
        return member is not None and paper.allows(right, principal.name)

    def paper_file(self, principal: Principal, paper_id: str) -> tuple[PaperRow, Path]:
        """The paper's file for a reader with the read right (every download is audited)."""
        paper = self.store.paper(paper_id)
        if paper is None:
            raise not_found("paper")
        self._allow(principal, "meeting.view", f"{paper.meeting} {paper_id}")
        meeting = self._meeting(paper.meeting)
        if not self._may(principal, meeting, paper, "read"):
            raise self._refuse(principal, "paper.read", paper_id, forbidden(
                "You have no right to read this paper", "Không có quyền đọc tài liệu này"))
        self.identity.record(principal, "paper.read", paper_id)
        return paper, self.files.path(paper.sha256)

    def paper_rights(self, principal: Principal, paper: PaperRow) -> list[str]:
        meeting = self._meeting(paper.meeting)
        return [r for r in ("read", "annotate", "download") if self._may(principal, meeting, paper, r)]

    # a member's marks over a paper (theirs alone) ----------------------------------------------------------------
    def _annotatable(self, principal: Principal, paper_id: str) -> PaperRow:
        paper = self.store.paper(paper_id)
        if paper is None:
            raise not_found("paper")
        self._allow(principal, "meeting.view", f"{paper.meeting} {paper_id} marks")
        if not self._may(principal, self._meeting(paper.meeting), paper, "annotate"):
            raise self._refuse(principal, "paper.annotate", paper_id, forbidden(
                "You have no right to annotate this paper", "Không có quyền ghi chú trên tài liệu này"))
        return paper

    def annotations(self, principal: Principal, paper_id: str) -> MarkSet:
        self._annotatable(principal, paper_id)
        with self.store.lock:
            row = self.conn.execute("SELECT sealed FROM annotations WHERE paper = ? AND author = ?",
                                    (paper_id, principal.name)).fetchone()
        if row is None:
            return MarkSet(paper_id)
        return MarkSet.from_json(self.at_rest.open(row[0], f"{paper_id}:{principal.name}"), paper_id)

    def save_annotations(self, principal: Principal, paper_id: str, marks: MarkSet) -> int:
        self._annotatable(principal, paper_id)
        sealed = self.at_rest.seal(marks.to_json(), f"{paper_id}:{principal.name}")
        with self.store.lock:
            self.conn.execute("INSERT INTO annotations VALUES (?,?,?,?) ON CONFLICT (paper, author) DO UPDATE SET "
                              "sealed = excluded.sealed, changed = excluded.changed",
                              (paper_id, principal.name, sealed, time.time()))
        self.identity.record(principal, "paper.annotate", paper_id, detail=f"{len(marks.marks)} marks")
        return len(marks.marks)

    def export_annotations(self, principal: Principal, paper_id: str) -> bytes:
        """The author's marks as a PDF of their own (the paper itself is not changed); not for a MẬT paper."""
        marks = self.annotations(principal, paper_id)
        paper = self.store.paper(paper_id)
        assert paper is not None
        if paper.confidential:
            raise self._refuse(principal, "paper.annotations_export", paper_id, forbidden(
                "Notes on a confidential paper are not exported", "Ghi chú trên tài liệu MẬT không được xuất ra"))
        self.identity.record(principal, "paper.annotations_export", paper_id)
        return make_marks_pdf(self.settings.issuer, paper.title, principal.label, marks)

    # polls ---------------------------------------------------------------------------------------------------
    def create_poll(self, principal: Principal, meeting_id: str, title: str, method: PollMethod,
                    options: Sequence[str], max_choices: int, secret: bool, agenda_item: int) -> Poll:
        meeting = self._meeting(meeting_id)
        if meeting.chair == principal.name:
            self._chair(principal, meeting_id, "poll.create")
        else:
            self._manage(principal, meeting_id, "poll.create")
        try:
            poll = self.store.create_poll(meeting_id, title, method, options, max_choices, secret, agenda_item)
        except PollError as exc:
            raise invalid(str(exc)) from exc
        self.identity.record(principal, "poll.create", f"{meeting_id} {poll.id}", detail=poll.title)
        self._publish_poll(poll)
        return poll

    def polls(self, principal: Principal, meeting_id: str) -> list[Poll]:
        self._allow(principal, "meeting.view", f"{meeting_id} polls")
        self._view(principal, meeting_id)
        return self.store.polls(meeting_id)

    def poll(self, principal: Principal, poll_id: str) -> Poll:
        poll = self.store.poll(poll_id)
        if poll is None:
            raise not_found("poll")
        self._allow(principal, "meeting.view", f"{poll.meeting} {poll_id}")
        self._view(principal, poll.meeting)
        return poll

    def open_poll(self, principal: Principal, poll_id: str) -> Poll:
        poll = self.poll(principal, poll_id)
        self._chair(principal, poll.meeting, "poll.open")
        if self._meeting(poll.meeting).state is not MeetingState.OPEN:
            raise conflict("the meeting is not in session: open it first", "Cuộc họp chưa bắt đầu")
        try:
            poll = self.store.open_poll(poll_id)
        except MeetingError as exc:
            raise conflict(str(exc)) from exc
        self._publish_poll(poll)
        return poll

    def close_poll(self, principal: Principal, poll_id: str) -> dict[str, Any]:
        poll = self.poll(principal, poll_id)
        self._chair(principal, poll.meeting, "poll.close")
        try:
            poll, tally = self.store.close_poll(poll_id)
        except MeetingError as exc:
            raise conflict(str(exc)) from exc
        meeting = self._meeting(poll.meeting)
        record: dict[str, Any] = {
            "type": "poll_result", "poll": to_json(poll), "tally": tally.to_dict(),
            "meeting": {"id": meeting.id, "title": meeting.title, "unit": meeting.unit},
            "voters": self.store.voters(poll_id),
            "named": [{"name": n, "choice": c} for n, c in self.store.named_ballots(poll_id)],
            "closed_by": principal.name, "signed_at": time.time(),
        }
        signed = self.signer.sign(record)
        self.store.store_result(poll_id, signed)
        if poll.secret:  # the ballots' commits leave the write-ahead log: no frame order to read voters from
            with self.store.lock:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.identity.record(principal, "poll.result", f"{meeting.id} {poll_id}",
                             detail=f"counts {list(tally.counts)} of {tally.ballots} ballots")
        self._publish_poll(poll)
        self._send(poll.meeting, f"result/{poll_id}", signed)
        return signed

    def cast(self, principal: Principal, poll_id: str, ballot: str, choice: Sequence[int]) -> BallotAnswer:
        poll = self.store.poll(poll_id)
        if poll is None:
            raise not_found("poll")
        self._allow(principal, "meeting.vote", f"{poll.meeting} {poll_id}")
        answer = self.store.cast(poll_id, principal.name, ballot, choice)
        # a secret poll's audit entry says that a ballot came, never what it chose
        self.identity.record(principal, "poll.ballot", f"{poll.meeting} {poll_id}",
                             "ok" if answer.counted else "refused",
                             answer.reason or ("duplicate" if answer.duplicate else ""))
        if answer.counted and not answer.duplicate:
            self._publish_poll(poll)
        return answer

    def tally(self, principal: Principal, poll_id: str) -> dict[str, Any]:
        poll = self.poll(principal, poll_id)
        return {"poll": to_json(poll), "tally": self.store.tally(poll_id).to_dict(),
                "voted": self.store.has_voted(poll_id, principal.name)}

    def result(self, principal: Principal, poll_id: str) -> dict[str, object]:
        self.poll(principal, poll_id)
        signed = self.store.result(poll_id)
        if signed is None:
            raise not_found("result (the poll has not closed)")
        return signed

    # opinion forms ---------------------------------------------------------------------------------------------
    def _form(self, form_id: str) -> OpinionForm:
        try:
            return self.opinions.get(form_id)
        except KeyError:
            raise not_found("opinion form") from None

    def _form_step(self, principal: Principal, form_id: str, action: str, step: Callable[[OpinionForm], OpinionForm]
                   ) -> OpinionForm:
        form = self._form(form_id)
        if action in ("opinion.approve", "opinion.return", "opinion.conclude"):
            self._chair(principal, form.meeting, action)
        else:
            self._manage(principal, form.meeting, action)
        try:
            changed = step(form)
        except MeetingError as exc:
            raise self._refuse(principal, action, form_id, conflict(str(exc))) from exc
        self.identity.record(principal, action, f"{form.meeting} {form_id}", detail=changed.state.value)
        return changed

    def create_opinion(self, principal: Principal, meeting_id: str, title: str, questions: Sequence[str],
                       deadline: float, paper: str | None) -> OpinionForm:
        self._manage(principal, meeting_id, "opinion.create")
        found = self.store.paper(paper) if paper else None
        if paper and (found is None or found.meeting != meeting_id):
            raise invalid(f"no paper {paper!r} in this meeting")
        try:
            form = self.opinions.create(meeting_id, title, questions, deadline, principal.name, paper)
        except MeetingError as exc:
            raise invalid(str(exc)) from exc
        self.identity.record(principal, "opinion.create", f"{meeting_id} {form.id}", detail=form.title)
        return form

    def submit_opinion(self, principal: Principal, form_id: str) -> OpinionForm:
        return self._form_step(principal, form_id, "opinion.submit",
                               lambda f: self.opinions.move(f.id, FormState.DRAFT, FormState.SUBMITTED))

    def approve_opinion(self, principal: Principal, form_id: str) -> OpinionForm:
        return self._form_step(principal, form_id, "opinion.approve", lambda f: self.opinions.move(
            f.id, FormState.SUBMITTED, FormState.APPROVED, approved_by=principal.name))

    def return_opinion(self, principal: Principal, form_id: str) -> OpinionForm:
        return self._form_step(principal, form_id, "opinion.return",
                               lambda f: self.opinions.move(f.id, FormState.SUBMITTED, FormState.DRAFT))

    def send_opinion(self, principal: Principal, form_id: str) -> OpinionForm:
        return self._form_step(principal, form_id, "opinion.send",
                               lambda f: self.opinions.send(f.id, self._meeting(f.meeting), time.time()))

    def close_opinion(self, principal: Principal, form_id: str) -> OpinionForm:
        return self._form_step(principal, form_id, "opinion.close",
                               lambda f: self.opinions.move(f.id, FormState.SENT, FormState.CLOSED))

    def opinion_forms(self, principal: Principal, meeting_id: str) -> list[OpinionForm]:
        self._allow(principal, "meeting.view", f"{meeting_id} opinions")
        meeting = self._view(principal, meeting_id)
        member = meeting.member(principal.name)
        preparing = (member is not None and member.role in (MemberRole.SECRETARY, MemberRole.CHAIR)) or \
            principal.role in (Role.SECRETARY, Role.ADMINISTRATOR)
        return [f for f in self.opinions.forms(meeting_id)
                if preparing or principal.name in {n for n, _ in f.recipients}]

    def opinion(self, principal: Principal, form_id: str) -> tuple[OpinionForm, dict[int, tuple[str, str]]]:
        form = self._form(form_id)
        # by id: the reminder worker may close the form between the two reads, and a closed form is the same form
        if form.id not in {f.id for f in self.opinion_forms(principal, form.meeting)}:
            raise forbidden("The form was not sent to you", "Phiếu không gửi đến đồng chí")
        return form, self.opinions.answers_of(form_id, principal.name)

    def answer_opinion(self, principal: Principal, form_id: str, answers: Sequence[tuple[int, Answer, str]]
                       ) -> dict[int, tuple[str, str]]:
        form = self._form(form_id)
        self._allow(principal, "meeting.vote", f"{form.meeting} {form_id} opinion")
        try:
            self.opinions.answer(form_id, principal.name, answers, time.time())
        except PermissionError as exc:
            raise self._refuse(principal, "opinion.answer", form_id, forbidden(str(exc), "Phiếu không gửi đến "
                                                                                         "đồng chí")) from exc
        except MeetingError as exc:
            raise self._refuse(principal, "opinion.answer", form_id, conflict(str(exc))) from exc
        self.identity.record(principal, "opinion.answer", f"{form.meeting} {form_id}",
                             detail=f"{len(answers)} answer(s)")
        return self.opinions.answers_of(form_id, principal.name)

    def opinion_summary(self, principal: Principal, form_id: str) -> dict[str, Any]:
        form = self._form(form_id)
        meeting = self._meeting(form.meeting)
        if meeting.chair != principal.name:
            self._manage(principal, form.meeting, "opinion.summary")
        record = summary_record(form, self.opinions.summary(form_id))
        record["unanswered"] = self.opinions.unanswered(form_id)
        record["reminders"] = self.opinions.reminders(form_id)
        record["state"] = form.state.value
        return record

    def conclude_opinion(self, principal: Principal, form_id: str, conclusion: str) -> dict[str, Any]:
        if not conclusion.strip():
            raise invalid("a conclusion needs its text", "Cần ghi nội dung kết luận")
        form = self._form_step(principal, form_id, "opinion.conclude", lambda f: self.opinions.move(
            f.id, FormState.CLOSED, FormState.CONCLUDED, conclusion=conclusion.strip(), concluded_by=principal.name))
        signed = self.signer.sign(summary_record(form, self.opinions.summary(form_id)))
        with self.store.lock:
            self.conn.execute("UPDATE opinion_forms SET signed = ? WHERE id = ?",
                              (json.dumps(signed, ensure_ascii=False), form_id))
        return signed

    # issued documents (signed PDFs) ---------------------------------------------------------------------------
    def issue_minutes(self, principal: Principal, meeting_id: str) -> IssuedDocument:
        """The minutes of a closed meeting: notes, attendance and results, signed (PAdES)."""
        meeting = self._manage(principal, meeting_id, "minutes.issue")
        if meeting.state is not MeetingState.CLOSED:
            raise conflict("the minutes are made once the meeting has closed", "Cuộc họp chưa kết thúc")
        polls = [(p, self._result_record(p.id)) for p in self.store.polls(meeting_id)]
        data = make_minutes(meeting, self.store.notes(meeting_id), polls, self.settings.issuer,
                            self.recordings(meeting) if self.recordings is not None else ())
        return self._issue(principal, meeting, "minutes", None, f"Biên bản {meeting.title}", data)

    def issue_resolution(self, principal: Principal, poll_id: str) -> IssuedDocument:
        poll = self.poll(principal, poll_id)
        meeting = self._meeting(poll.meeting)
        if meeting.chair == principal.name:
            self._chair(principal, meeting.id, "resolution.issue")
        else:
            self._manage(principal, meeting.id, "resolution.issue")
        record = self._result_record(poll_id)
        if record is None:
            raise conflict("a resolution follows the poll's result: close the poll first", "Biểu quyết chưa kết thúc")
        data = make_resolution(meeting, poll, record, self.settings.issuer)
        return self._issue(principal, meeting, "resolution", poll_id, f"Nghị quyết: {poll.title}", data)

    def _result_record(self, poll_id: str) -> dict[str, Any] | None:
        signed = self.store.result(poll_id)
        record = signed["record"] if signed else None
        return record if isinstance(record, dict) else None

    def _issue(self, principal: Principal, meeting: Meeting, kind: str, poll: str | None, title: str,
               data: bytes) -> IssuedDocument:
        if self.pdf_signer is None:
            raise OfficeError(503, "signing_unavailable", f"PDFs cannot be signed now: {self.signing_problem}",
                              f"Chưa ký số được: {self.signing_problem}")
        try:
            signed = self.pdf_signer.sign(data, reason=title, location=self.settings.issuer)
        except SigningUnavailable as exc:
            raise OfficeError(503, "signing_unavailable", str(exc), f"Chưa ký số được: {exc}") from exc
        sha = hashlib.sha256(signed).hexdigest()
        (self.issued_dir / f"{sha}.pdf").write_bytes(signed)
        doc = IssuedDocument(secrets.token_hex(6), meeting.id, kind, poll, title, len(signed), sha,
                             "token" if self.pdf_signer.uses_token else "software key", time.time())
        with self.store.lock:
            self.conn.execute("INSERT INTO issued VALUES (?,?,?,?,?,?,?,?,?)",
                              (doc.id, doc.meeting, doc.kind, doc.poll, doc.title, doc.size, doc.sha256,
                               doc.signed_by, doc.created))
        self.identity.record(principal, f"{kind}.issue", f"{meeting.id} {doc.id}", detail=f"sha256 {sha}")
        return doc

    def issued(self, principal: Principal, meeting_id: str) -> list[IssuedDocument]:
        self._allow(principal, "meeting.view", f"{meeting_id} issued")
        self._view(principal, meeting_id)
        with self.store.lock:
            rows = self.conn.execute("SELECT * FROM issued WHERE meeting = ? ORDER BY created",
                                     (meeting_id,)).fetchall()
        return [IssuedDocument(*row) for row in rows]

    def issued_file(self, principal: Principal, doc_id: str) -> tuple[IssuedDocument, Path]:
        with self.store.lock:
            row = self.conn.execute("SELECT * FROM issued WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise not_found("document")
        doc = IssuedDocument(*row)
        self._allow(principal, "meeting.view", f"{doc.meeting} {doc_id}")
        self._view(principal, doc.meeting)
        self.identity.record(principal, "issued.read", doc_id)
        return doc, self.issued_dir / f"{doc.sha256}.pdf"

    # speaking ------------------------------------------------------------------------------------------------
    def request_floor(self, principal: Principal, meeting_id: str) -> None:
        meeting = self._attendee(principal, meeting_id, "floor.request")
        member = meeting.member(principal.name)
        assert member is not None
        self.store.request_floor(meeting_id, principal.name, member.display_name)
        self.identity.record(principal, "floor.request", meeting_id)
        self._publish_speaking(meeting_id)

    def withdraw_floor(self, principal: Principal, meeting_id: str) -> None:
        self._attendee(principal, meeting_id, "floor.withdraw")
        self.store.end_turn(meeting_id, principal.name)
        self._publish_speaking(meeting_id)

    def grant_floor(self, principal: Principal, meeting_id: str, name: str, limit_s: int) -> None:
        self._chair(principal, meeting_id, "floor.grant")
        try:
            self.store.grant_floor(meeting_id, name, limit_s)
        except MeetingError as exc:
            raise conflict(str(exc)) from exc
        self._publish_speaking(meeting_id)

    def end_turn(self, principal: Principal, meeting_id: str, name: str) -> None:
        self._chair(principal, meeting_id, "floor.end")
        self.store.end_turn(meeting_id, name)
        self._publish_speaking(meeting_id)

    def speaking(self, principal: Principal, meeting_id: str) -> dict[str, Any]:
        self._allow(principal, "meeting.view", f"{meeting_id} speaking")
        self._view(principal, meeting_id)
        return self.speaking_state(meeting_id)

    def speaking_state(self, meeting_id: str) -> dict[str, Any]:
        turns = self.store.speaking(meeting_id)
        current = next((t for t in turns if t.granted), None)
        return {"meeting": meeting_id, "speaker": to_json(current) if current else None,
                "queue": [to_json(t) for t in turns if not t.granted], "now": time.time()}

    # live state ----------------------------------------------------------------------------------------------
    def _send(self, meeting_id: str, part: str, body: dict[str, Any]) -> None:
        if self.live:
            record = MeetingLive(live_key(meeting_id, part), time.time(), "office", part.split("/", 1)[0], body)
            self.live.publish(meeting_topic(meeting_id, part), to_payload(record))

    def _published(self, meeting_id: str) -> Meeting:
        meeting = self._meeting(meeting_id)
        self._send(meeting_id, "state", self.meeting_state(meeting))
        return meeting

    @staticmethod
    def meeting_state(meeting: Meeting) -> dict[str, Any]:
        item = next((i for i in meeting.agenda if i.position == meeting.current_item), None)
        present = sum(1 for m in meeting.members if m.presence.value in ("in_room", "online"))
        return {"meeting": to_json(meeting), "item": to_json(item) if item else None, "present": present,
                "now": time.time()}

    def _publish_poll(self, poll: Poll) -> None:
        if self.live:
            # read and sent under one lock: the last message out always carries the newest state, so a ballot's
            # late publish can never put an "open" poll back on the walls after its close
            with self._live_lock:
                current = self.store.poll(poll.id) or poll
                self._send(poll.meeting, "poll", {"poll": to_json(current),
                                                  "tally": self.store.tally(poll.id).to_dict(), "now": time.time()})

    def publish_all(self) -> None:
        """Every meeting of the coming days as it stands (at start, so retained state is current)."""
        now = time.time()
        for meeting in self.store.meetings(now - 86400, now + 30 * 86400):
            self._published(meeting.id)
            self._publish_speaking(meeting.id)
            polls = self.store.polls(meeting.id)
            if polls:
                self._publish_poll(next((p for p in polls if p.state is PollState.OPEN), polls[-1]))

    def _publish_speaking(self, meeting_id: str) -> None:
        if self.live:
            self._send(meeting_id, "speaking", self.speaking_state(meeting_id))
