"""The meeting secretary's tools on the tablet or console: agenda, papers, notes, opinion forms, minutes.

It asks for what the secretary taps (`action(name, arguments)`); the desktop carries it out (a file dialog
for a paper, the office service for the rest) and shows the outcome with `show_*`."""

from __future__ import annotations

import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

TOUCH_PX = 56


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("meetingButton")
    button.setMinimumHeight(TOUCH_PX)
    return button


def _field(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(TOUCH_PX)
    return edit


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("meetingSectionTitle")
    return label


class SecretaryPanel(QWidget):
    action = Signal(str, dict)  # add_item, set_member, upload_paper, save_notes, create_form, form_step, issue_minutes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretaryPanel")
        layout = QVBoxLayout(self)
        layout.addWidget(_title(self.tr("Agenda item")))
        row = QHBoxLayout()
        self.item_title, self.item_presenter = _field(self.tr("Title")), _field(self.tr("Presented by"))
        self.item_minutes = QSpinBox()
        self.item_minutes.setRange(0, 600)
        self.item_minutes.setSuffix(self.tr(" min"))
        self.item_minutes.setMinimumHeight(TOUCH_PX)
        add = _button(self.tr("Add"))
        layout.addWidget(self.item_title)
        layout.addWidget(self.item_presenter)
        for widget in (self.item_minutes, add):
            row.addWidget(widget)
        layout.addLayout(row)
        add.clicked.connect(lambda: self.action.emit("add_item", {
            "title": self.item_title.text().strip(), "presenter": self.item_presenter.text().strip(),
            "minutes": self.item_minutes.value()}))
        layout.addWidget(_title(self.tr("Members and guests")))
        row = QHBoxLayout()
        self.member_name = _field(self.tr("Account name (a guest: any name)"))
        self.member_role = QComboBox()
        self.member_role.setMinimumHeight(TOUCH_PX)
        for role, text in (("member", self.tr("member")), ("chair", self.tr("chair")), ("guest", self.tr("guest")),
                           ("secretary", self.tr("secretary"))):
            self.member_role.addItem(text, role)
        add_member = _button(self.tr("Add to the meeting"))
        layout.addWidget(self.member_name)
        row.addWidget(self.member_role)
        row.addWidget(add_member)
        layout.addLayout(row)
        add_member.clicked.connect(lambda: self.action.emit("set_member", {
            "name": self.member_name.text().strip(), "role": self.member_role.currentData()}))
        layout.addWidget(_title(self.tr("Paper")))
        row = QHBoxLayout()
        self.paper_item = QComboBox()
        self.paper_item.setMinimumHeight(TOUCH_PX)
        self.paper_title = _field(self.tr("Title of the paper"))
        self.confidential = QCheckBox(self.tr("Confidential (MẬT): never kept on tablets"))
        self.confidential.setMinimumHeight(TOUCH_PX)
        upload = _button(self.tr("Choose a PDF and upload…"))
        for widget in (self.paper_item, self.paper_title, self.confidential, upload):
            layout.addWidget(widget)
        upload.clicked.connect(lambda: self.action.emit("upload_paper", {
            "agenda_item": self.paper_item.currentData(), "title": self.paper_title.text().strip(),
            "confidential": self.confidential.isChecked()}))
        layout.addWidget(_title(self.tr("Secretary's notes for the minutes")))
        self.notes = QPlainTextEdit()
        self.notes.setMinimumHeight(120)
        layout.addWidget(self.notes)
        row = QHBoxLayout()
        save = _button(self.tr("Save the notes"))
        minutes = _button(self.tr("Issue the signed minutes"))
        row.addWidget(save)
        row.addWidget(minutes)
        row.addStretch(1)
        layout.addLayout(row)
        save.clicked.connect(lambda: self.action.emit("save_notes", {"notes": self.notes.toPlainText()}))
        minutes.clicked.connect(lambda: self.action.emit("issue_minutes", {}))
        layout.addWidget(_title(self.tr("Opinion form")))
        self.form_title = _field(self.tr("Title of the form"))
        self.form_questions = QPlainTextEdit()
        self.form_questions.setPlaceholderText(self.tr("One question per line"))
        self.form_questions.setMaximumHeight(110)
        row = QHBoxLayout()
        self.form_hours = QSpinBox()
        self.form_hours.setRange(1, 24 * 30)
        self.form_hours.setValue(24)
        self.form_hours.setPrefix(self.tr("answers within "))
        self.form_hours.setSuffix(self.tr(" h"))
        self.form_hours.setMinimumHeight(TOUCH_PX)
        create = _button(self.tr("Create the form"))
        row.addWidget(self.form_hours)
        row.addWidget(create)
        row.addStretch(1)
        layout.addWidget(self.form_title)
        layout.addWidget(self.form_questions)
        layout.addLayout(row)
        create.clicked.connect(lambda: self.action.emit("create_form", {
            "title": self.form_title.text().strip(), "hours": self.form_hours.value(),
            "questions": [q.strip() for q in self.form_questions.toPlainText().splitlines() if q.strip()]}))
        self.forms = QGridLayout()
        layout.addLayout(self.forms)
        self.summary = QLabel()
        self.summary.setObjectName("meetingText")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def show_meeting(self, meeting: dict[str, Any], notes: str | None) -> None:
        current = self.paper_item.currentData()
        self.paper_item.clear()
        for item in meeting["agenda"]:
            self.paper_item.addItem(f"{item['position']}. {item['title']}", item["position"])
        if current is not None:
            self.paper_item.setCurrentIndex(max(0, self.paper_item.findData(current)))
        if notes is not None and not self.notes.hasFocus():
            self.notes.setPlainText(notes)

    def show_forms(self, forms: list[dict[str, Any]]) -> None:
        while self.forms.count():
            item = self.forms.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        steps = {"draft": [("submit", self.tr("Submit to the chair"))], "approved": [("send", self.tr("Send"))],
                 "sent": [("close", self.tr("Close now")), ("summary", self.tr("Summary"))],
                 "closed": [("summary", self.tr("Summary"))], "concluded": [("summary", self.tr("Summary"))]}
        states = {"draft": self.tr("draft"), "submitted": self.tr("waiting for the chair"),
                  "approved": self.tr("approved"), "sent": self.tr("collecting answers"),
                  "closed": self.tr("closed"), "concluded": self.tr("concluded")}
        for n, form in enumerate(forms):
            deadline = datetime.datetime.fromtimestamp(form["deadline"]).strftime("%H:%M %d/%m")
            label = QLabel(f"{form['title']} · {states[form['state']]} · {deadline}")
            label.setObjectName("meetingText")
            label.setWordWrap(True)
            self.forms.addWidget(label, 2 * n, 0, 1, 2)
            for col, (step, text) in enumerate(steps.get(form["state"], [])):
                button = _button(text)
                button.clicked.connect(lambda _=False, f=form["id"], s=step: self.action.emit(
                    "form_step", {"form": f, "step": s}))
                self.forms.addWidget(button, 2 * n + 1, col)

    def show_summary(self, summary: dict[str, Any]) -> None:
        lines = [f"{summary['title']} — {summary['recipients']} " + self.tr("members")]
        for q in summary["questions"]:
            lines.append(self.tr("%1. %2: agree %3, disagree %4, other %5, no answer %6").replace(
                "%1", str(q["position"])).replace("%2", q["text"]).replace("%3", str(q["agree"])).replace(
                "%4", str(q["disagree"])).replace("%5", str(q["other"])).replace("%6", str(q["unanswered"])))
            lines += [f"   · {c['member']}: {c['comment']}" for c in q["comments"]]
        if summary.get("unanswered"):
            lines.append(self.tr("Not answered yet: %1").replace("%1", ", ".join(summary["unanswered"])))
        self.summary.setText("\n".join(lines))
