"""The leader's meeting view on a tablet: today's meetings, the agenda, papers, the vote, the floor.

Touch first: every action is a button of at least TOUCH_PX, nothing on hover or a right click, large type
readable at arm's length. It shows what it is given and asks for what the person taps (signals); the
desktop's meeting controller talks to the office service."""

from __future__ import annotations

import datetime
import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from feeds.meetings.annotations import MarkSet
from widgets.meetings.pdf_viewer import PaperViewer
from widgets.meetings.secretary_panel import SecretaryPanel

TOUCH_PX = 56


def _button(text: str, name: str = "meetingButton") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(TOUCH_PX)
    button.setMinimumWidth(TOUCH_PX)
    return button


def _label(text: str = "", name: str = "meetingText") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _clear(layout: QVBoxLayout | QGridLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()  # at once: the replacement is shown on the next turn of the event loop
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())  # type: ignore[arg-type]


def _section(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("meetingSection")
    layout = QVBoxLayout(frame)
    layout.addWidget(_label(title, "meetingSectionTitle"))
    return frame, layout


class MeetingView(QWidget):
    meetingChosen = Signal(str)
    dayShifted = Signal(int)
    newMeeting = Signal(dict)  # title, hour, minute, place: on the day shown  # -1, +1 (a day back or on), 0 (today)
    checkIn = Signal(str, str)  # presence (in_room, online, absent), reason
    paperOpened = Signal(str)  # paper id
    voteCast = Signal(str, list)  # poll id, chosen option indexes
    floorRequested = Signal()
    floorWithdrawn = Signal()
    opinionAnswered = Signal(str, list)  # form id, [(position, answer, comment)]
    chairAction = Signal(str, str)  # open_meeting, close_meeting, next_item, previous_item, open_poll, close_poll,
    #                                  grant (name), end (name); the second value is the poll or member

    def __init__(self, language: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingView")
        self.language = language
        self.user = ""
        self.may_prepare = False
        self.meeting: dict[str, Any] | None = None
        self.poll: dict[str, Any] | None = None
        self.speaking: dict[str, Any] = {}
        self.selection: set[int] = set()
        self.poll_shown = ""
        self.drafts: dict[str, dict[int, list[str]]] = {}  # opinion form → position → [answer, comment]
        self.turn_started = 0.0
        self.turn_limit = 0
        self.turn_clock = _label("", "turnClock")
        self.clock = QTimer(self)
        self.clock.timeout.connect(self._tick_turn)
        self.clock.start(1000)
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.main = QWidget()
        self.viewer = PaperViewer()
        self.viewer.closed.connect(lambda: self.stack.setCurrentWidget(self.main))
        self.stack.addWidget(self.main)
        self.stack.addWidget(self.viewer)
        layout = QVBoxLayout(self.main)
        layout.setContentsMargins(16, 12, 16, 12)
        self.day_row = QHBoxLayout()
        layout.addLayout(self.day_row)
        self.new_box = QWidget()
        new_row = QHBoxLayout(self.new_box)
        new_row.setContentsMargins(0, 0, 0, 0)
        self.new_title = QLineEdit()
        self.new_title.setPlaceholderText(self.tr("Title of the new meeting"))
        self.new_time = QLineEdit("08:00")
        self.new_time.setInputMask("99:99")
        self.new_place = QLineEdit()
        self.new_place.setPlaceholderText(self.tr("Place"))
        for edit in (self.new_title, self.new_time, self.new_place):
            edit.setMinimumHeight(TOUCH_PX)
        self.new_time.setMaximumWidth(90)
        create = _button(self.tr("Create the meeting"))
        create.clicked.connect(self._create_meeting)
        for widget, stretch in ((self.new_title, 3), (self.new_time, 0), (self.new_place, 2), (create, 0)):
            new_row.addWidget(widget, stretch)
        self.new_box.hide()
        layout.addWidget(self.new_box)
        self.heading = _label(self.tr("No meeting today"), "meetingHeading")
        self.where = _label("", "meetingText")
        self.message = _label("", "meetingMessage")
        layout.addWidget(self.heading)
        layout.addWidget(self.where)
        presence = QHBoxLayout()
        self.presence_label = _label("", "meetingText")
        self.in_room, self.online, self.absent = (_button(self.tr("Present")), _button(self.tr("Online")),
                                                  _button(self.tr("Absent…")))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason for absence"))
        self.reason.setMinimumHeight(TOUCH_PX)
        self.reason.hide()
        self.confirm_absent = _button(self.tr("Send"))
        self.confirm_absent.hide()
        presence.addWidget(self.presence_label, 1)
        for widget in (self.in_room, self.online, self.absent, self.reason, self.confirm_absent):
            presence.addWidget(widget)
        layout.addLayout(presence)
        layout.addWidget(self.message)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        agenda_frame, self.agenda_box = _section(self.tr("Agenda"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(agenda_frame)
        scroll.setObjectName("meetingScroll")
        columns.addWidget(scroll, 3)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meetingTabs")
        self.tabs.setUsesScrollButtons(False)
        self.tabs.tabBar().setExpanding(True)
        columns.addWidget(self.tabs, 2)
        vote_frame, self.vote_box = _section(self.tr("Vote"))
        floor_frame, self.floor_box = _section(self.tr("Speaking"))
        opinion_frame, self.opinion_box = _section(self.tr("Opinion forms"))
        for frame, title in ((vote_frame, self.tr("Vote")), (floor_frame, self.tr("Speaking")),
                             (opinion_frame, self.tr("Opinion forms"))):
            page = QScrollArea()
            page.setWidgetResizable(True)
            page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            page.setWidget(frame)
            page.setObjectName("meetingScroll")
            self.tabs.addTab(page, title)
        self.secretary = SecretaryPanel()
        secretary_page = QScrollArea()
        secretary_page.setWidgetResizable(True)
        secretary_page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        secretary_page.setWidget(self.secretary)
        secretary_page.setObjectName("meetingScroll")
        self.secretary_tab = self.tabs.addTab(secretary_page, self.tr("Secretary"))
        self.tabs.setTabVisible(self.secretary_tab, False)
        self.chair_row = QHBoxLayout()
        layout.addLayout(self.chair_row)
        self.progress: dict[str, QProgressBar] = {}
        self.in_room.clicked.connect(lambda: self.checkIn.emit("in_room", ""))
        self.online.clicked.connect(lambda: self.checkIn.emit("online", ""))
        self.absent.clicked.connect(self._ask_reason)
        self.confirm_absent.clicked.connect(self._send_absence)
        self.show_poll(None, None, "")
        self.show_speaking({})

    # what the controller tells it ------------------------------------------------------------------------------
    def set_user(self, name: str, role: str = "") -> None:
        """Who uses the tablet; a meeting secretary or an administrator may also create meetings."""
        self.user = name
        self.may_prepare = role in ("secretary", "administrator")

    def _create_meeting(self) -> None:
        title = self.new_title.text().strip()
        hours, _, minutes = self.new_time.text().partition(":")
        if not title or not hours.strip().isdigit() or not minutes.strip().isdigit() or int(hours) > 23 \
                or int(minutes) > 59:
            self.show_message(self.tr("Give the new meeting a title and a time such as 14:00"))
            return
        self.newMeeting.emit({"title": title, "hour": int(hours), "minute": int(minutes),
                              "place": self.new_place.text().strip()})
        self.new_title.clear()

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def set_meetings(self, meetings: list[dict[str, Any]], chosen: str, day: datetime.date | None = None) -> None:
        """The meetings of DAY (the calendar's row: a day back, today, a day on, then that day's meetings)."""
        _clear(self.day_row)
        day = day or datetime.date.today()
        for text, delta in (("‹", -1), (self.tr("Today"), 0), ("›", 1)):
            button = _button(text, "meetingButton")
            button.clicked.connect(lambda _=False, d=delta: self.dayShifted.emit(d))
            self.day_row.addWidget(button)
        self.day_row.addWidget(_label(day.strftime("%d/%m/%Y"), "agendaTitle"))
        if not meetings:
            self.day_row.addWidget(_label(self.tr("No meeting on this day"), "meetingText"))
        if self.may_prepare:
            new = _button(self.tr("+ New meeting"), "meetingButton")
            new.clicked.connect(lambda: self.new_box.setVisible(not self.new_box.isVisible()))
            self.day_row.addWidget(new)
        for m in meetings:
            start = datetime.datetime.fromtimestamp(m["starts"]).strftime("%H:%M")
            button = _button(f"{start} · {m['title']}", "meetingChoice")
            button.setCheckable(True)
            button.setChecked(m["id"] == chosen)
            button.clicked.connect(lambda _=False, mid=m["id"]: self.meetingChosen.emit(mid))
            self.day_row.addWidget(button)
        self.day_row.addStretch(1)

    def clear_meeting(self) -> None:
        """No meeting on the day shown."""
        self.meeting = None
        self.heading.setText(self.tr("No meeting on this day"))
        self.where.setText("")
        self.presence_label.setText("")
        for widget in (self.in_room, self.online, self.absent):
            widget.setEnabled(False)
        _clear(self.agenda_box)
        self.show_poll(None, None, "")
        self.show_speaking({})
        self.show_opinions([])
        self.tabs.setTabVisible(self.secretary_tab, False)

    def show_meeting(self, meeting: dict[str, Any], papers: list[dict[str, Any]]) -> None:
        self.meeting = meeting
        self.heading.setText(meeting["title"])
        start = datetime.datetime.fromtimestamp(meeting["starts"])
        state = {"planned": self.tr("not started"), "open": self.tr("in session"), "closed": self.tr("closed")}
        self.where.setText(f"{start:%H:%M %d/%m/%Y} · {meeting.get('place', '')} · {state[meeting['state']]}")
        me = next((m for m in meeting["members"] if m["name"] == self.user), None)
        presence = {"unknown": self.tr("not checked in"), "in_room": self.tr("present in the room"),
                    "online": self.tr("attending online"), "absent": self.tr("absent")}
        self.presence_label.setText(self.tr("You: %1").replace("%1", presence[me["presence"]]) if me else
                                    self.tr("You are not a member of this meeting"))
        for widget in (self.in_room, self.online, self.absent):
            widget.setEnabled(me is not None)
        by_item: dict[int, list[dict[str, Any]]] = {}
        for paper in papers:
            by_item.setdefault(int(paper["agenda_item"]), []).append(paper)
        _clear(self.agenda_box)
        self.agenda_box.addWidget(_label(self.tr("Agenda"), "meetingSectionTitle"))
        self.progress = {}
        for item in meeting["agenda"]:
            current = item["position"] == meeting["current_item"]
            row = QFrame()
            row.setObjectName("agendaCurrent" if current else "agendaItem")
            box = QVBoxLayout(row)
            box.addWidget(_label(f"{item['position']}. {item['title']}", "agendaTitle"))
            if item.get("presenter"):
                box.addWidget(_label(self.tr("Presented by %1").replace("%1", item["presenter"]), "meetingText"))
            for paper in by_item.get(item["position"], []):
                line = QHBoxLayout()
                mark = " · " + self.tr("CONFIDENTIAL") if paper["confidential"] else ""
                line.addWidget(_label(f"{paper['title']}{mark}", "paperTitle"), 1)
                open_button = _button(self.tr("Read"), "paperButton")
                open_button.setProperty("paper", paper["id"])
                open_button.clicked.connect(lambda _=False, pid=paper["id"]: self.paperOpened.emit(pid))
                line.addWidget(open_button)
                bar = QProgressBar()
                bar.setObjectName("paperProgress")
                bar.setRange(0, max(1, int(paper["size"])))
                bar.setFormat(self.tr("on the tablet") if paper.get("on_tablet") else
                              (self.tr("view only") if not paper.get("keep") else "%p%"))
                bar.setValue(int(paper["size"]) if paper.get("on_tablet") or not paper.get("keep") else 0)
                bar.setFixedWidth(150)
                line.addWidget(bar)
                self.progress[paper["id"]] = bar
                box.addLayout(line)
            self.agenda_box.addWidget(row)
        self.agenda_box.addStretch(1)
        self._chair_buttons()
        self.tabs.setTabVisible(self.secretary_tab, self.is_secretary())

    def is_secretary(self) -> bool:
        return bool(self.meeting and any(m["name"] == self.user and m["role"] == "secretary"
                                         for m in self.meeting["members"]))

    def show_progress(self, paper: str, done: int, total: int) -> None:
        bar = self.progress.get(paper)
        if bar is not None:
            bar.setRange(0, max(1, total))
            bar.setValue(done)
            bar.setFormat(self.tr("on the tablet") if done >= total else "%p%")

    def show_poll(self, poll: dict[str, Any] | None, tally: dict[str, Any] | None, ballot_text: str,
                  ballot_state: str = "") -> None:
        """The poll under way; BALLOT_TEXT/STATE: this member's ballot (pending, counted, refused) if any."""
        self.poll = poll
        _clear(self.vote_box)
        self.vote_box.addWidget(_label(self.tr("Vote"), "meetingSectionTitle"))
        if poll is None:
            self.vote_box.addWidget(_label(self.tr("No vote is open"), "meetingText"))
            self.vote_box.addStretch(1)
            self._chair_buttons()
            return
        kind = self.tr("secret ballot") if poll["secret"] else self.tr("named vote")
        if poll["state"] == "open" and (self.poll_shown != poll["id"]):
            self.tabs.setCurrentIndex(0)  # a vote opening comes to the front
        self.poll_shown = poll["id"] if poll["state"] == "open" else ""
        self.vote_box.addWidget(_label(poll["title"], "agendaTitle"))
        limit = "" if poll["max_choices"] == 1 else " · " + self.tr("up to %1 choices").replace(
            "%1", str(poll["max_choices"]))
        self.vote_box.addWidget(_label(f"{kind}{limit}", "meetingText"))
        can_vote = poll["state"] == "open" and ballot_state in ("", "refused")  # a refused ballot may be redone
        grid = QGridLayout()
        self.selection = set()
        counts = (tally or {}).get("counts", [])
        self.option_buttons: list[QPushButton] = []
        for n, option in enumerate(poll["options"]):
            text = option + (f"  ({counts[n]})" if poll["state"] == "closed" and n < len(counts) else "")
            button = _button(text, f"voteOption{n}" if poll["method"] == "yes_no_abstain" else "voteChoice")
            button.setEnabled(can_vote)
            button.setCheckable(poll["max_choices"] > 1)
            button.clicked.connect(lambda _=False, i=n: self._choose(i))
            grid.addWidget(button, n // 3, n % 3)
            self.option_buttons.append(button)
        self.vote_box.addLayout(grid)
        if can_vote and poll["max_choices"] > 1:
            send = _button(self.tr("Send my ballot"), "voteSend")
            send.clicked.connect(lambda: self.voteCast.emit(poll["id"], sorted(self.selection)))
            self.vote_box.addWidget(send)
        if ballot_text:
            state = _label(ballot_text, "ballotState")
            state.setProperty("state", ballot_state)
            self.vote_box.addWidget(state)
        if tally and poll["state"] == "open":
            self.vote_box.addWidget(_label(self.tr("%1 of %2 present have voted").replace(
                "%1", str(tally["ballots"])).replace("%2", str(tally["eligible"])), "meetingText"))
            if self.is_chair():  # the running tally, as the wall shows it
                self.vote_box.addWidget(_label(" · ".join(f"{o}: {n}" for o, n in zip(poll["options"], counts)),
                                               "runningTally"))
        self.vote_box.addStretch(1)
        self._chair_buttons()

    def show_speaking(self, speaking: dict[str, Any]) -> None:
        self.speaking = speaking
        _clear(self.floor_box)
        self.floor_box.addWidget(_label(self.tr("Speaking"), "meetingSectionTitle"))
        speaker = speaking.get("speaker")
        queue = speaking.get("queue") or []
        self.floor_box.addWidget(_label(self.tr("Now: %1").replace("%1", speaker["display_name"]) if speaker
                                        else self.tr("Nobody has the floor"), "agendaTitle"))
        self.turn_clock = _label("", "turnClock")
        self.turn_started = float(speaker["granted"]) - float(speaking.get("now", time.time())) + time.time() \
            if speaker else 0.0
        self.turn_limit = int(speaker.get("limit_s") or 0) if speaker else 0
        if speaker:
            self.floor_box.addWidget(self.turn_clock)
            self._tick_turn()
        waiting = any(t["name"] == self.user for t in queue)
        if queue:
            self.floor_box.addWidget(_label(", ".join(f"{n}. {t['display_name']}" for n, t in enumerate(queue, 1)),
                                            "meetingText"))
        ask = _button(self.tr("Withdraw my request") if waiting else self.tr("Ask for the floor"), "floorButton")
        ask.clicked.connect(self.floorWithdrawn if waiting else self.floorRequested)
        ask.setEnabled(not (speaker and speaker["name"] == self.user))
        self.floor_box.addWidget(ask)
        self.floor_box.addStretch(1)
        self._chair_buttons()

    def show_opinions(self, forms: list[dict[str, Any]]) -> None:
        """The forms sent to this member (answer buttons), and for the chair those waiting for approval."""
        _clear(self.opinion_box)
        self.opinion_box.addWidget(_label(self.tr("Opinion forms"), "meetingSectionTitle"))
        shown = 0
        for form in forms:
            if form["state"] == "submitted" and self.is_chair():
                self.opinion_box.addWidget(_label(form["title"], "agendaTitle"))
                approve = _button(self.tr("Approve and return to the secretary"), "chairButton")
                approve.clicked.connect(lambda _=False, f=form["id"]: self.chairAction.emit("approve_opinion", f))
                self.opinion_box.addWidget(approve)
                shown += 1
            elif form["state"] == "sent" and any(n == self.user for n, _ in form["recipients"]):
                self._form(form)
                shown += 1
            elif form["state"] in ("closed", "concluded") and any(n == self.user for n, _ in form["recipients"]):
                done = self.tr("concluded: %1").replace("%1", form["conclusion"]) if form["conclusion"] else \
                    self.tr("answers closed")
                self.opinion_box.addWidget(_label(f"{form['title']} — {done}", "meetingText"))
                shown += 1
        if not shown:
            self.opinion_box.addWidget(_label(self.tr("No opinion form for you"), "meetingText"))
        self.opinion_box.addStretch(1)

    def _form(self, form: dict[str, Any]) -> None:
        deadline = datetime.datetime.fromtimestamp(form["deadline"]).strftime("%H:%M %d/%m")
        self.opinion_box.addWidget(_label(form["title"], "agendaTitle"))
        self.opinion_box.addWidget(_label(self.tr("Answer before %1").replace("%1", deadline), "meetingText"))
        # what the member has chosen so far survives the form being drawn again (a live change elsewhere)
        draft = self.drafts.setdefault(form["id"], {int(k): list(v) for k, v in (form.get("my_answers") or {}).items()})
        texts = {"agree": self.tr("Agree"), "disagree": self.tr("Disagree"), "other": self.tr("Other opinion")}
        for position, question in enumerate(form["questions"], 1):
            self.opinion_box.addWidget(_label(f"{position}. {question}", "meetingText"))
            row = QHBoxLayout()
            buttons = []
            for answer, text in texts.items():
                button = _button(text, "voteChoice")
                button.setCheckable(True)
                button.setChecked(draft.get(position, ["", ""])[0] == answer)
                buttons.append((answer, button))
                row.addWidget(button)
            for answer, button in buttons:
                button.clicked.connect(lambda _=False, p=position, a=answer, g=buttons: self._pick(draft, p, a, g))
            comment = QLineEdit(draft.get(position, ["", ""])[1])
            comment.setPlaceholderText(self.tr("Comment (needed for another opinion)"))
            comment.setMinimumHeight(TOUCH_PX)
            comment.textChanged.connect(lambda text, p=position: self._comment(draft, p, text))
            self.opinion_box.addLayout(row)
            self.opinion_box.addWidget(comment)
        send = _button(self.tr("Send my opinions"), "voteSend")
        send.clicked.connect(lambda: self.opinionAnswered.emit(form["id"], [
            (p, a, c.strip()) for p, (a, c) in sorted(draft.items()) if a]))
        self.opinion_box.addWidget(send)

    @staticmethod
    def _comment(draft: dict[int, list[str]], position: int, text: str) -> None:
        draft.setdefault(position, ["", ""])[1] = text

    @staticmethod
    def _pick(draft: dict[int, list[str]], position: int, answer: str, group: list[tuple[str, QPushButton]]) -> None:
        draft.setdefault(position, ["", ""])[0] = answer
        for value, button in group:
            button.setChecked(value == answer)

    def open_paper(self, title: str, data: bytes, paper_id: str = "", marks: MarkSet | None = None,
                   can_annotate: bool = False) -> bool:
        self.stack.setCurrentWidget(self.viewer)
        return self.viewer.open_bytes(title, data, paper_id, marks, can_annotate)

    def _tick_turn(self) -> None:
        """The speaker's time (against the chair's limit), once a second while someone has the floor."""
        if not self.turn_started:
            return
        elapsed = int(time.time() - self.turn_started)
        text = f"{elapsed // 60:02d}:{elapsed % 60:02d}"
        if self.turn_limit:
            text += f" / {self.turn_limit // 60:02d}:{self.turn_limit % 60:02d}"
        self.turn_clock.setText(text)
        self.turn_clock.setProperty("over", bool(self.turn_limit) and elapsed > self.turn_limit)
        self.turn_clock.style().unpolish(self.turn_clock)
        self.turn_clock.style().polish(self.turn_clock)

    # the chair's row -------------------------------------------------------------------------------------------
    def is_chair(self) -> bool:
        return bool(self.meeting and any(m["name"] == self.user and m["role"] == "chair"
                                         for m in self.meeting["members"]))

    def _chair_buttons(self) -> None:
        _clear(self.chair_row)
        if not self.is_chair() or self.meeting is None:
            return
        state = self.meeting["state"]
        actions: list[tuple[str, str, str]] = []
        if state == "planned":
            actions.append((self.tr("Open the meeting"), "open_meeting", ""))
        if state == "open":
            actions += [(self.tr("‹ Previous item"), "previous_item", ""), (self.tr("Next item ›"), "next_item", "")]
            if self.poll and self.poll["state"] == "created":
                actions.append((self.tr("Open the vote"), "open_poll", self.poll["id"]))
            if self.poll and self.poll["state"] == "open":
                actions.append((self.tr("Close the vote"), "close_poll", self.poll["id"]))
            queue = self.speaking.get("queue") or []
            if queue:
                actions.append((self.tr("Give the floor to %1").replace("%1", queue[0]["display_name"]), "grant",
                                queue[0]["name"]))
            if self.speaking.get("speaker"):
                actions.append((self.tr("End the turn"), "end", self.speaking["speaker"]["name"]))
            actions.append((self.tr("Close the meeting"), "close_meeting", ""))
        self.chair_row.addWidget(_label(self.tr("Chair:"), "meetingSectionTitle"))
        for text, action, arg in actions:
            button = _button(text, "chairButton")
            button.clicked.connect(lambda _=False, a=action, v=arg: self.chairAction.emit(a, v))
            self.chair_row.addWidget(button)
        self.chair_row.addStretch(1)

    # taps ------------------------------------------------------------------------------------------------------
    def _choose(self, option: int) -> None:
        if self.poll is None:
            return
        if self.poll["max_choices"] == 1:
            self.voteCast.emit(self.poll["id"], [option])
            return
        if option in self.selection:
            self.selection.discard(option)
        elif len(self.selection) < self.poll["max_choices"]:
            self.selection.add(option)
        for n, button in enumerate(self.option_buttons):
            button.setChecked(n in self.selection)

    def _ask_reason(self) -> None:
        self.reason.show()
        self.confirm_absent.show()
        self.reason.setFocus()

    def _send_absence(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.show_message(self.tr("Give a reason for the absence"))
            return
        self.reason.hide()
        self.confirm_absent.hide()
        self.checkIn.emit("absent", reason)
