"""The procedure (SOP) of the selected alert as a touch-friendly checklist."""

from __future__ import annotations

import html
import time
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from feeds.alerts.procedures import Procedure, Step
from feeds.core.records import AlertAction


class StepRow(QFrame):
    """One step: a large check box and the step's role and instruction; a tap anywhere checks it."""

    checked = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sopStep")
        self.index = index
        self.box = QCheckBox()
        self.box.setObjectName("sopCheck")
        self.box.clicked.connect(self._on_click)
        self.label = QLabel()
        self.label.setObjectName("sopStepText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)

    def show_step(self, step: Step, language: str, done: AlertAction | None, pending: bool, editable: bool) -> None:
        role, do = (step.role_en, step.do_en) if language == "en" else (step.role, step.do)
        status = ""
        if done is not None:
            stamp = time.strftime("%H:%M", time.localtime(done.ts))
            status = f" &nbsp;<span style='color:#3fb950'>✓ {html.escape(done.by)} {stamp}</span>"
        elif pending:
            status = " &nbsp;<span style='color:#8b949e'>…</span>"
        self.label.setText(f"<b>{self.index + 1}. {html.escape(role)}</b>{status}<br>{html.escape(do)}")
        self.box.setChecked(done is not None or pending)
        self.box.setEnabled(editable and done is None and not pending)
        self.setProperty("done", done is not None)
        self.style().unpolish(self)
        self.style().polish(self)

    def _on_click(self) -> None:
        self.box.setEnabled(False)  # checked for good: it cannot be unchecked, and is sent once
        self.checked.emit(self.index)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.box.isEnabled() and not self.box.isChecked():
            self.box.setChecked(True)
            self._on_click()
        super().mouseReleaseEvent(event)


class SopChecklist(QWidget):
    """Title and steps of one procedure; `stepChecked(index)` when the operator checks a step."""

    stepChecked = Signal(int)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sopChecklist")
        self.language = language
        self.title = QLabel()
        self.title.setObjectName("sopTitle")
        self.title.setWordWrap(True)
        self.rows: list[StepRow] = []
        self._shown: tuple[str, str] | None = None  # (alert id, procedure id) the rows are built for
        self._pending: set[int] = set()
        body = QWidget()
        self._steps = QVBoxLayout(body)
        self._steps.setContentsMargins(0, 0, 0, 0)
        self._steps.setSpacing(4)
        self._steps.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("sopScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)

    def show_procedure(self, alert_id: str, procedure: Procedure | None, done: Mapping[int, AlertAction],
                       editable: bool) -> None:
        """Show `procedure` for `alert_id` with the steps `done` (from the history) ticked."""
        shown = (alert_id, procedure.id) if procedure else None
        if shown != self._shown:
            self._shown = shown
            self._pending = set()
            self._rebuild(len(procedure.steps) if procedure else 0)
        if procedure is None:
            self.title.setText(self.tr("No procedure for this alert") if alert_id else "")
            return
        self.title.setText(procedure.title_en if self.language == "en" else procedure.title)
        self._pending -= set(done)
        for row, step in zip(self.rows, procedure.steps, strict=True):
            row.show_step(step, self.language, done.get(row.index), row.index in self._pending, editable)

    def _rebuild(self, count: int) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = [StepRow(i) for i in range(count)]
        for row in self.rows:
            row.checked.connect(self._on_checked)
            self._steps.insertWidget(self._steps.count() - 1, row)

    def _on_checked(self, index: int) -> None:
        self._pending.add(index)
        self.stepChecked.emit(index)
