"""Wall tiles of a meeting in session: the current agenda item, who speaks (with a timer), the vote under way.

They follow the office service's live records (kind ``meeting``, key ``meeting/<id>/<part>``); a tile's key
`meeting/#` follows whichever meeting publishes, `meeting/<id>/#` one meeting."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from feeds.core.records import Record
from feeds.meetings.live_records import MeetingLive
from widgets.base.registry import register_tile
from widgets.base.tile import Tile, clock_text


def _label(name: str, text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def mm_ss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class MeetingTile(Tile):
    """A tile fed by one part of the live meeting state; the newest record of that part is what it shows."""

    part = ""

    def wants(self, record: Record) -> bool:
        return isinstance(record, MeetingLive) and record.part == self.part and super().wants(record)

    def show_records(self, records: list[Record]) -> None:
        latest = [r for r in records if isinstance(r, MeetingLive)]
        if latest:
            record = latest[-1]
            self.mark_fresh(record.ts)
            self.skew = float(record.body.get("now", record.ts)) - time.time()  # the service's clock vs ours
            self.show_body(record.body)
            self.refresh_age(time.time())

    def show_body(self, body: dict[str, Any]) -> None:
        raise NotImplementedError

    def stale_after_s(self) -> float:
        return float(self.spec.options.get("stale_after_s", 24 * 3600))  # meeting state changes rarely


@register_tile
class MeetingAgendaTile(MeetingTile):
    type_name = "meeting_agenda"
    part = "state"

    def build(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.meeting_label = _label("target", self.tr("No meeting in session"))
        self.position_label = _label("unit")
        self.item_label = _label("meetingItem")
        self.presenter_label = _label("target")
        self.next_label = _label("unit")
        for widget in (self.meeting_label, self.position_label, self.item_label, self.presenter_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.next_label)

    def show_body(self, body: dict[str, Any]) -> None:
        meeting = body.get("meeting") or {}
        agenda = meeting.get("agenda") or []
        item = body.get("item")
        present = int(body.get("present", 0))
        members = sum(1 for m in meeting.get("members", []) if m.get("role") in ("chair", "member"))
        attendance = self.tr("present %1/%2").replace("%1", str(present)).replace("%2", str(members))
        self.meeting_label.setText(f"{meeting.get('title', '')} · {attendance}")
        if item is None:
            self.position_label.setText("")
            self.item_label.setText(self.tr("Not started") if meeting.get("state") != "closed" else self.tr("Closed"))
            self.presenter_label.setText("")
        else:
            self.position_label.setText(self.tr("Item %1 of %2").replace("%1", str(item["position"]))
                                        .replace("%2", str(len(agenda))))
            self.item_label.setText(item["title"])
            presenter = self.tr("Presented by %1").replace("%1", item["presenter"]) if item.get("presenter") else ""
            allotted = self.tr("%1 min").replace("%1", str(item["minutes"])) if item.get("minutes") else ""
            self.presenter_label.setText(" · ".join(p for p in (presenter, allotted) if p))
        later = [i for i in agenda if item is None or i["position"] > item["position"]][:2]
        self.next_label.setText(" · ".join(self.tr("Next: %1").replace("%1", i["title"]) if n == 0 else i["title"]
                                           for n, i in enumerate(later)))


@register_tile
class MeetingSpeakerTile(MeetingTile):
    type_name = "meeting_speaker"
    part = "speaking"

    def build(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.speaker_label = _label("meetingItem", self.tr("Nobody has the floor"))
        self.timer_label = _label("meetingTimer", "", wrap=False)
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.queue_label = _label("meetingQueue")
        layout.addWidget(self.speaker_label)
        layout.addWidget(self.timer_label)
        layout.addWidget(self.queue_label, 1)
        self.speaker: dict[str, Any] | None = None
        self.skew = 0.0
        self.ticker = QTimer(self)
        self.ticker.setInterval(500)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()

    def show_body(self, body: dict[str, Any]) -> None:
        self.speaker = body.get("speaker")
        queue = body.get("queue") or []
        self.speaker_label.setText(self.speaker["display_name"] if self.speaker else self.tr("Nobody has the floor"))
        if queue:
            names = "\n".join(f"{n}. {t['display_name']}" for n, t in enumerate(queue[:6], 1))
            self.queue_label.setText(self.tr("Waiting to speak (%1):").replace("%1", str(len(queue))) + "\n" + names)
        else:
            self.queue_label.setText(self.tr("Nobody is waiting to speak"))
        self.tick()

    def tick(self) -> None:
        if not self.speaker:
            self.timer_label.setText("")
            return
        elapsed = time.time() + self.skew - float(self.speaker["granted"])
        limit = int(self.speaker.get("limit_s") or 0)
        over = bool(limit) and elapsed > limit
        text = mm_ss(elapsed) + (f" / {mm_ss(limit)}" if limit else "")
        if self.timer_label.text() != text:
            self.timer_label.setText(text)
        if self.timer_label.property("over") != over:
            self.timer_label.setProperty("over", over)
            self.timer_label.style().unpolish(self.timer_label)
            self.timer_label.style().polish(self.timer_label)


@register_tile
class MeetingVoteTile(MeetingTile):
    type_name = "meeting_vote"
    part = "poll"

    def build(self, body: QWidget) -> None:
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.poll_label = _label("meetingItem", self.tr("No vote under way"))
        self.state_label = _label("target")
        self.layout_.addWidget(self.poll_label)
        self.layout_.addWidget(self.state_label)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(1, 1)
        self.layout_.addLayout(self.rows)
        self.layout_.addStretch(1)
        self.bars: list[tuple[QLabel, QProgressBar, QLabel]] = []

    def show_body(self, body: dict[str, Any]) -> None:
        poll, tally = body.get("poll") or {}, body.get("tally") or {}
        options, counts = list(poll.get("options", [])), list(tally.get("counts", []))
        ballots, eligible = int(tally.get("ballots", 0)), int(tally.get("eligible", 0))
        self.poll_label.setText(poll.get("title", ""))
        state = poll.get("state")
        kind = self.tr("secret ballot") if poll.get("secret") else self.tr("named vote")
        if state == "open":
            status = self.tr("Voting · %1 of %2 present have voted").replace("%1", str(ballots)).replace(
                "%2", str(eligible))
        elif state == "closed":
            status = self.tr("Result · %1 ballots · closed %2").replace("%1", str(ballots)).replace(
                "%2", clock_text(float(poll.get("closed", 0))))
        else:
            status = self.tr("Ready, not yet open")
        self.state_label.setText(f"{status} · {kind}")
        while len(self.bars) < len(options):
            row = len(self.bars)
            name, bar, number = _label("voteOption", wrap=False), QProgressBar(), _label("voteCount", wrap=False)
            bar.setTextVisible(False)
            bar.setObjectName("voteBar")
            self.rows.addWidget(name, row, 0)
            self.rows.addWidget(bar, row, 1)
            self.rows.addWidget(number, row, 2)
            self.bars.append((name, bar, number))
        for n, (name, bar, number) in enumerate(self.bars):
            visible = n < len(options)
            for w in (name, bar, number):
                w.setVisible(visible)
            if not visible:
                continue
            count = counts[n] if n < len(counts) else 0
            name.setText(options[n])
            bar.setRange(0, max(1, ballots))
            bar.setValue(count)
            share = f"{100 * count / ballots:.1f}".replace(".", "," if self.context.language == "vi" else ".") \
                if ballots else "0"
            number.setText(f"{count} · {share} %")
