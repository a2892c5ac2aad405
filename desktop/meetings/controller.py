"""The leader's meeting view, wired to the office service: one worker thread talks HTTP, the GUI only shows.

At sign-in the controller signs in to the office with the same credentials, opens the person's paper vault
(key derived from the sign-in) and ballot box; at sign-out it drops the key. Papers the member may keep are
synced in the background with a progress bar; ballots that could not be sent are sent again every few seconds
and shown as not yet counted until the service confirms them."""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog

from feeds.core.records import Record
from feeds.meetings.annotations import AnnotationError, MarkSet, parse_marks
from feeds.meetings.ballot_box import BallotBox
from feeds.meetings.client import OfficeClient, OfficeRefused, OfficeUnavailable
from feeds.meetings.live_records import MeetingLive
from feeds.meetings.paper_vault import PaperInfo, PaperVault, VaultLocked, open_paper
from widgets.meetings.meeting_view import MeetingView

log = logging.getLogger(__name__)


def tablet_folder(terminal: str) -> Path:
    return Path(platformdirs.user_data_dir("controlroom")) / "tablet" / terminal


class MeetingController(QObject):
    _done = Signal(str, object)
    _progress = Signal(str, int, int)

    def __init__(self, view: MeetingView, office_url: str, terminal: str, language: str,
                 ca_certs: Path | None = None, folder: Path | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.language = language
        self.terminal = terminal
        self.folder = folder or tablet_folder(terminal)
        self.client = OfficeClient(office_url, ca_certs)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="office-client")
        self.sync_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paper-sync")
        self.vault: PaperVault | None = None
        self.box: BallotBox | None = None
        self.meeting_id = ""
        self.papers: dict[str, PaperInfo] = {}
        self.paper_rows: list[dict[str, Any]] = []
        self.poll_body: tuple[dict[str, Any] | None, dict[str, Any] | None] = (None, None)
        self.ballots: dict[str, tuple[str, str]] = {}  # poll → (text, state) of this member's ballot, for the view
        self._done.connect(self._finished)
        self._progress.connect(self.view.show_progress)
        view.meetingChosen.connect(self.choose)
        view.dayShifted.connect(self.shift_day)
        view.newMeeting.connect(lambda spec: self._run("meetings", self._new_meeting, spec))
        self.day = datetime.date.today()
        view.checkIn.connect(lambda presence, reason: self._run("meeting", self._check_in, presence, reason))
        view.paperOpened.connect(lambda paper: self._run("paper", self._open, paper))
        view.viewer.marksChanged.connect(self.save_marks)
        view.viewer.exportRequested.connect(self.export_marks)
        view.voteCast.connect(lambda poll, choice: self._run("ballot", self._vote, poll, choice))
        view.opinionAnswered.connect(lambda form, answers: self._run("meeting", self._answer, form, answers))
        view.floorRequested.connect(lambda: self._run("speaking", self._floor, "POST"))
        view.floorWithdrawn.connect(lambda: self._run("speaking", self._floor, "DELETE"))
        view.chairAction.connect(lambda action, arg: self._run("chair", self._chair, action, arg))
        view.secretary.action.connect(self._secretary_action)
        self.pick_pdf: Callable[[], str] = lambda: QFileDialog.getOpenFileName(
            view, self.tr("Paper to upload"), "", self.tr("PDF documents (*.pdf)"))[0]
        self.flusher = QTimer(self)
        self.flusher.setInterval(5000)
        self.flusher.timeout.connect(self._retry)
        self._waiting_sign_in: tuple[str, str] | None = None  # the office was away at sign-in: tried again
        self._retrying = False
        self.flusher.start()

    # sign-in and sign-out --------------------------------------------------------------------------------------
    def sign_in(self, name: str, password: str) -> None:
        """Called with the credentials the sign-in screen accepted (from its worker thread)."""
        self._run("meetings", self._sign_in, name, password)

    def _retry(self) -> None:
        """Every few seconds: the office sign-in that could not be made, ballots and notes not yet sent — one
        round at a time (a round still waiting on an unreachable service is not doubled)."""
        if self._retrying:
            return
        if self._waiting_sign_in is not None:
            self._retrying = True
            self._run("meetings", self._sign_in_office, *self._waiting_sign_in)
        elif self.box is not None:
            self._retrying = True
            self._run("flush", self._flush)

    def _sign_in(self, name: str, password: str) -> list[dict[str, Any]]:
        """The tablet's own keys first (papers already synced and ballots work offline), then the office."""
        vault = PaperVault(self.folder / "papers", name)
        try:
            vault.unlock(password)
        except VaultLocked:  # the password changed: the old sealed papers cannot be opened; they come again
            log.warning("paper vault of %s was sealed with an older key: started again", name)
            vault.reset(password)
        self.vault = vault
        if self.box is None or self.box.voter != name:
            self.box = BallotBox(self.folder / f"ballots-{name}.sqlite", self.client, name)
        return self._sign_in_office(name, password)

    def _sign_in_office(self, name: str, password: str) -> list[dict[str, Any]]:
        try:
            self.client.sign_in(name, password, self.terminal)
        except OfficeUnavailable:
            self._waiting_sign_in = (name, password)  # kept in memory only, until the office answers
            raise
        self._waiting_sign_in = None
        return self._meetings()

    def sign_out(self) -> None:
        self._run("signed_out", self._sign_out)

    def _sign_out(self) -> None:
        self._waiting_sign_in = None
        self.ballots = {}
        if self.vault is not None:
            self.vault.lock()  # the key goes; the stored papers stay sealed
        self.vault = None
        if self.box is not None:
            self.box.close()
        self.box = None
        try:
            self.client.sign_out()
        except (OfficeUnavailable, OfficeRefused) as exc:
            log.warning("office sign-out: %s", exc)

    def stop(self) -> None:
        self.flusher.stop()
        self.worker.shutdown(wait=True, cancel_futures=True)
        self.sync_worker.shutdown(wait=True, cancel_futures=True)
        self.client.close()

    # work off the GUI thread -----------------------------------------------------------------------------------
    def _run(self, kind: str, work: Callable[..., Any], *args: Any) -> None:
        def finished(future: Future[Any]) -> None:
            try:
                result = future.result()
            except (OfficeRefused, OfficeUnavailable, VaultLocked, PermissionError, ValueError) as exc:
                result = exc
            except Exception as exc:  # shown and logged, never a crash
                log.exception("meeting %s failed", kind)
                result = exc
            self._done.emit(kind, result)

        try:
            self.worker.submit(work, *args).add_done_callback(finished)
        except RuntimeError:  # shutting down
            pass

    def _meetings(self) -> list[dict[str, Any]]:
        return list(self.client.call("GET", "/meetings", params={"day": self.day.isoformat()}))

    def _new_meeting(self, spec: dict[str, Any]) -> list[dict[str, Any]]:
        """A meeting on the day shown, of the secretary's unit, the secretary in it; then that day's list."""
        starts = datetime.datetime.combine(self.day, datetime.time(spec["hour"], spec["minute"])).timestamp()
        meeting = self.client.call("POST", "/meetings", {"title": spec["title"], "place": spec["place"],
                                                         "starts": starts, "ends": starts + 3 * 3600})
        if self.client.me is not None:
            self.client.call("PUT", f"/meetings/{meeting['id']}/members/{self.client.me.name}", {"role": "secretary"})
        self.meeting_id = meeting["id"]
        return self._meetings()

    def shift_day(self, delta: int) -> None:
        """The calendar: a day back or on (0: today); the first meeting of that day is shown."""
        self.day = self.day + datetime.timedelta(days=delta) if delta else datetime.date.today()
        self.meeting_id = ""
        self._run("meetings", self._meetings)

    def choose(self, meeting: str) -> None:
        self.meeting_id = meeting
        self._run("meeting", self._load)

    def _load(self) -> dict[str, Any]:
        meeting = self.client.call("GET", f"/meetings/{self.meeting_id}")
        self.paper_rows = list(self.client.call("GET", f"/meetings/{self.meeting_id}/papers"))
        self.papers = {p["id"]: PaperInfo.from_json(p) for p in self.paper_rows}
        for row in self.paper_rows:
            info = self.papers[row["id"]]
            row["keep"] = info.keep_on_tablet
            row["on_tablet"] = bool(self.vault and info.keep_on_tablet and self.vault.has(info))
        polls = self.client.call("GET", f"/meetings/{self.meeting_id}/polls")
        here = [p for p in polls if p["agenda_item"] == meeting["current_item"]]
        current = next((p for p in polls if p["state"] == "open"), None) or next(
            (p for p in here if p["state"] == "created"), None) or next(
            (p for p in reversed(here) if p["state"] == "closed"), None)  # open, next to open, last result
        tally = self.client.call("GET", f"/polls/{current['id']}/tally")["tally"] if current else None
        self.poll_body = (current, tally)
        if current is not None:
            self._remember_ballot(current["id"])
        speaking = self.client.call("GET", f"/meetings/{self.meeting_id}/floor")
        opinions = self.client.call("GET", f"/meetings/{self.meeting_id}/opinions")
        me = self.client.me.name if self.client.me else ""
        secretary = any(m["name"] == me and m["role"] == "secretary" for m in meeting["members"])
        notes = self.client.call("GET", f"/meetings/{self.meeting_id}/notes")["notes"] if secretary else None
        return {"meeting": meeting, "speaking": speaking, "opinions": opinions, "notes": notes}

    # the secretary's tools -------------------------------------------------------------------------------------
    def _secretary_action(self, action: str, args: dict[str, Any]) -> None:
        if action == "upload_paper":
            path = self.pick_pdf()  # on the GUI thread: a dialog
            if not path:
                return
            args = {**args, "path": path}
        self._run("secretary", self._secretary, action, args)

    def _secretary(self, action: str, args: dict[str, Any]) -> Any:
        m = self.meeting_id
        if action == "set_member":
            self.client.call("PUT", f"/meetings/{m}/members/{args['name']}", {"role": args["role"]})
        elif action == "add_item":
            self.client.call("POST", f"/meetings/{m}/agenda", {k: args[k] for k in ("title", "presenter", "minutes")})
        elif action == "upload_paper":
            path = Path(args["path"])
            self.client.upload_paper(m, path.read_bytes(), int(args["agenda_item"] or 1),
                                     args["title"] or path.stem, path.name, bool(args["confidential"]))
        elif action == "save_notes":
            self.client.call("PUT", f"/meetings/{m}/notes", {"notes": args["notes"]})
        elif action == "create_form":
            self.client.call("POST", f"/meetings/{m}/opinions", {
                "title": args["title"], "questions": args["questions"],
                "deadline": time.time() + 3600 * int(args["hours"])})
        elif action == "issue_minutes":
            doc = self.client.call("POST", f"/meetings/{m}/minutes")
            return self.tr("Minutes issued and signed (%1)").replace("%1", doc["sha256"][:12])
        elif action == "form_step" and args["step"] == "summary":
            return self.client.call("GET", f"/opinions/{args['form']}/summary")
        elif action == "form_step":
            self.client.call("POST", f"/opinions/{args['form']}/{args['step']}")
        return self._load()

    def _answer(self, form: str, answers: list[tuple[int, str, str]]) -> dict[str, Any]:
        self.client.call("PUT", f"/opinions/{form}/answers", {"answers": [
            {"position": p, "answer": a, "comment": c} for p, a, c in answers]})
        return self._load()

    def _check_in(self, presence: str, reason: str) -> dict[str, Any]:
        self.client.call("POST", f"/meetings/{self.meeting_id}/attendance", {"presence": presence, "reason": reason})
        return self._load()

    def _open(self, paper: str) -> tuple[str, bytes | bytearray, str, MarkSet, bool]:
        if self.vault is None:
            raise VaultLocked("sign in to read the papers")
        info = self.papers[paper]
        data = open_paper(self.vault, self.client, info)
        can_annotate = "annotate" in info.rights
        return info.title, data, info.id, self._marks(info) if can_annotate else MarkSet(info.id), can_annotate

    def _marks(self, info: PaperInfo) -> MarkSet:
        """The member's marks: the service's copy when it answers (another tablet may have added some), else
        the one sealed on this tablet."""
        assert self.vault is not None
        if self.vault.is_unsent(f"{info.id}.marks"):  # made offline: the tablet's copy is the newer one
            local = self.vault.open_document(f"{info.id}.marks")
            if local is not None:
                return MarkSet.from_json(local, info.id)
        try:
            marks = parse_marks(self.client.call("GET", f"/papers/{info.id}/annotations"), info.id)
        except (OfficeUnavailable, OfficeRefused, AnnotationError) as exc:
            log.warning("marks of %s from this tablet only: %s", info.id, exc)
            local = self.vault.open_document(f"{info.id}.marks")
            return MarkSet.from_json(local, info.id) if local else MarkSet(info.id)
        self.vault.seal_document(f"{info.id}.marks", marks.to_json())
        return marks

    def save_marks(self, marks: MarkSet) -> None:
        self._run("marks", self._save_marks, MarkSet(marks.paper, list(marks.marks)))

    def _save_marks(self, marks: MarkSet) -> str:
        if self.vault is None:
            raise VaultLocked("sign in to keep your notes")
        self.vault.seal_document(f"{marks.paper}.marks", marks.to_json(), unsent=True)  # kept here first, sealed
        body = json.loads(marks.to_json())
        try:
            self.client.call("PUT", f"/papers/{marks.paper}/annotations", body)
        except OfficeUnavailable:
            return self.tr("Notes kept on this tablet; they go to the service when it is back")
        self.vault.mark_sent(f"{marks.paper}.marks")
        return ""

    def export_marks(self, paper: str) -> None:
        self._run("export", self._export_marks, paper)

    def _export_marks(self, paper: str) -> str:
        info = self.papers[paper]
        if info.confidential:
            raise PermissionError(self.tr("Notes on a confidential paper stay on this tablet"))
        data = b"".join(self.client.stream(f"/papers/{paper}/annotations/export"))
        folder = Path(platformdirs.user_documents_dir()) / "controlroom"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"ghi-chu-{paper}.pdf"
        target.write_bytes(data)
        return self.tr("Your notes were saved to %1").replace("%1", str(target))

    def _vote(self, poll: str, choice: list[int]) -> tuple[str, str]:
        if self.box is None:
            raise VaultLocked("sign in to vote")
        self.box.vote(poll, choice)
        return self._remember_ballot(poll)

    def _flush(self) -> list[str]:
        self._send_unsent_marks()
        if self.box is None or not self.box.pending():
            return []
        sent = self.box.flush()
        for ballot in sent:
            self._remember_ballot(ballot.poll)
        return [b.text(self.language) for b in sent]

    def _remember_ballot(self, poll: str) -> tuple[str, str]:
        """On the worker: this member's ballot in POLL read from the ballot box, kept for the GUI thread to show
        (which never reads the box's file itself)."""
        ballot = self.box.ballot(poll) if self.box is not None else None
        shown = (ballot.text(self.language), ballot.state.value) if ballot is not None else ("", "")
        self.ballots[poll] = shown
        return shown

    def _send_unsent_marks(self) -> None:
        """Notes made while the service was away go now; the tablet's copy is the newer one."""
        if self.vault is None:
            return
        for paper in self.vault.unsent_documents(".marks"):
            local = self.vault.open_document(f"{paper}.marks")
            if local is None:
                continue
            try:
                self.client.call("PUT", f"/papers/{paper}/annotations", json.loads(local))
            except OfficeUnavailable:
                return
            except OfficeRefused as exc:
                log.warning("notes on %s not accepted by the service: %s", paper, exc)
            self.vault.mark_sent(f"{paper}.marks")

    def _floor(self, method: str) -> dict[str, Any]:
        return dict(self.client.call(method, f"/meetings/{self.meeting_id}/floor"))

    def _chair(self, action: str, arg: str) -> dict[str, Any]:
        m = self.meeting_id
        if action in ("open_meeting", "close_meeting"):
            state = "open" if action == "open_meeting" else "closed"
            self.client.call("POST", f"/meetings/{m}/state", {"state": state})
        elif action in ("next_item", "previous_item"):
            meeting = self.client.call("GET", f"/meetings/{m}")
            positions = [i["position"] for i in meeting["agenda"]]
            current = meeting["current_item"]
            later = [p for p in positions if (p > current if action == "next_item" else p < current)]
            if later:
                target = min(later) if action == "next_item" else max(later)
                self.client.call("POST", f"/meetings/{m}/current", {"position": target})
        elif action == "open_poll":
            self.client.call("POST", f"/polls/{arg}/open")
        elif action == "close_poll":
            self.client.call("POST", f"/polls/{arg}/close")
        elif action == "grant":
            self.client.call("POST", f"/meetings/{m}/floor/{arg}/grant", {"limit_s": 300})
        elif action == "approve_opinion":
            self.client.call("POST", f"/opinions/{arg}/approve")
        elif action == "end":
            self.client.call("POST", f"/meetings/{m}/floor/{arg}/end")
        return self._load()

    def _sync_papers(self) -> None:
        vault = self.vault
        for info in list(self.papers.values()):
            if vault is None or not vault.unlocked or not info.keep_on_tablet or vault.has(info):
                continue
            try:
                vault.sync(self.client, info, lambda done, total, pid=info.id: self._progress.emit(pid, done, total))
            except (OfficeUnavailable, OfficeRefused, VaultLocked, ValueError) as exc:
                log.warning("paper %s not synced yet: %s", info.id, exc)

    # results on the GUI thread ---------------------------------------------------------------------------------
    def _finished(self, kind: str, result: object) -> None:
        if kind in ("flush", "meetings"):
            self._retrying = False
        if isinstance(result, OfficeRefused) and result.status == 401 and self.vault is not None:
            # the session ended or the device was revoked: the keys go now, the papers stay sealed
            log.warning("office session ended (%s): paper keys dropped", result.message_en)
            self._run("signed_out", self._sign_out)
        if isinstance(result, Exception):
            text = result.message(self.language) if isinstance(result, OfficeRefused) else str(result)
            self.view.show_message(text)
            return
        if kind == "meetings":
            meetings = result if isinstance(result, list) else []
            me = self.client.me
            self.view.set_user(me.name if me else "", me.role if me else "")
            chosen = self.meeting_id or next((m["id"] for m in meetings if m["state"] == "open"),
                                             meetings[0]["id"] if meetings else "")
            self.view.set_meetings(meetings, chosen, self.day)
            if chosen:
                self.choose(chosen)
            else:
                self.view.clear_meeting()
        elif kind == "secretary" and isinstance(result, dict) and result.get("type") == "opinion_summary":
            self.view.secretary.show_summary(result)
        elif kind == "secretary" and isinstance(result, str):
            self.view.show_message(result)
        elif kind in ("meeting", "chair", "secretary") and isinstance(result, dict):
            self.view.show_message("")
            self._show(result)
            try:
                self.sync_worker.submit(self._sync_papers)
            except RuntimeError:
                pass
        elif kind == "paper" and isinstance(result, tuple):
            self.view.open_paper(*result)
        elif kind in ("marks", "export") and isinstance(result, str):
            self.view.show_message(result)
        elif kind == "ballot" and isinstance(result, tuple):
            poll, tally = self.poll_body
            self.view.show_poll(poll, tally, *result)
        elif kind == "flush" and result:  # ballots kept offline were sent again: show what they are now
            poll, tally = self.poll_body
            self.view.show_poll(poll, tally, *self._ballot(poll))
        elif kind == "speaking" and isinstance(result, dict):
            self.view.show_speaking(result)
        elif kind == "signed_out":
            self.view.set_meetings([], "")
            self.view.show_message(self.tr("Signed out"))

    def _show(self, loaded: dict[str, Any]) -> None:
        self.view.show_meeting(loaded["meeting"], self.paper_rows)
        poll, tally = self.poll_body
        self.view.show_poll(poll, tally, *self._ballot(poll))
        self.view.show_speaking(loaded["speaking"])
        self.view.show_opinions(loaded.get("opinions", []))
        if self.view.is_secretary():
            self.view.secretary.show_meeting(loaded["meeting"], loaded.get("notes"))
            self.view.secretary.show_forms(loaded.get("opinions", []))

    def _ballot(self, poll: dict[str, Any] | None) -> tuple[str, str]:
        """This member's ballot in POLL as the view shows it: its text and state (empty: none)."""
        return self.ballots.get(poll["id"], ("", "")) if poll is not None else ("", "")

    def on_records(self, records: list[Record]) -> None:
        """Live meeting state (from the broker or the embedded service): what changed is shown at once."""
        for record in records:
            if not isinstance(record, MeetingLive) or record.meeting != self.meeting_id or self.box is None:
                continue
            if record.part == "state" and "meeting" in record.body:
                self._run("meeting", self._load)  # agenda, papers, attendance may all have changed
            elif record.part == "poll":
                poll, tally = record.body.get("poll"), record.body.get("tally")
                self.poll_body = (poll, tally)
                self.view.show_poll(poll, tally, *self._ballot(poll))
            elif record.part == "speaking":
                self.view.show_speaking(record.body)
