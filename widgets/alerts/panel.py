"""The operator's alert panel: the filtered alert list, the selected alert's details, actions, SOP and history."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feeds.alerts.procedures import Procedure, SopLibrary, checked_steps, is_done
from feeds.core.records import (
    ALERT_STATES,
    OPEN_STATES,
    SEVERITIES,
    SEVERITY_RANK,
    Alert,
    AlertAction,
    AlertState,
    Severity,
)
from widgets.alerts.procedure_view import SopChecklist
from widgets.alerts.table import COLUMN, AlertFilterProxy, AlertTableModel, alert_detail, alert_title, format_time

BUTTON_HEIGHT = 44
AUDIBLE = frozenset({Severity.CRITICAL, Severity.EMERGENCY})
_WIDTHS = {"severity": 104, "state": 108, "entity": 112, "count": 52, "first_seen": 118, "age": 108, "assignee": 112}
# Local styling: what the shared theme has no rules for (sizes for touch, the SOP and detail labels).
_STYLE = """
#alertTable { font-size: 14px; gridline-color: #21262d; selection-background-color: #1f6feb; }
#alertTable QHeaderView::section { background: #161b22; color: #c9d1d9; border: none;
    border-right: 1px solid #30363d; padding: 4px 6px; font-weight: bold; }
#alertTitle { font-size: 17px; font-weight: bold; }
#alertDetail { color: #c9d1d9; }
#detailForm QLabel { font-size: 13px; }
#fieldName { color: #8b949e; }
#sectionTitle, #sopTitle { font-size: 15px; font-weight: bold; color: #c9d1d9; padding-top: 4px; }
#sopStep { background: #161b22; border: 1px solid #30363d; border-radius: 6px; }
#sopStep[done="true"] { border-color: #238636; }
#sopCheck::indicator { width: 24px; height: 24px; border: 2px solid #8b949e; border-radius: 5px; background: #0d1117; }
#sopCheck::indicator:checked { background: #238636; border-color: #3fb950; }
#sopCheck::indicator:disabled:!checked { border-color: #30363d; }
#alertHistory { font-size: 13px; }
QPushButton:disabled { color: #6e7681; background: #161b22; }
"""


class AlertPanel(QWidget):
    """Alerts as the operator works them; actions go out as `actionRequested`, state comes back in `update_alerts`."""

    actionRequested = Signal(object)  # AlertAction the operator asked for (the app applies and publishes it)
    alertSelected = Signal(str)  # the app answers with show_history(alert_id, actions)
    soundRequested = Signal(object)  # Severity of a new critical/emergency alert
    callRequested = Signal(str)  # alert id: call the commune where it happens (the app finds the room)

    def __init__(self, user: str, language: str, procedures: SopLibrary, assignees: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertPanel")
        self.setStyleSheet(_STYLE)
        self.user = user
        self.language = language
        self.procedures = procedures
        self._selected = ""
        self._shown: Alert | None = None  # the version of the selected alert on display
        self._history: list[AlertAction] = []
        self._sop_done_sent: set[tuple[str, str]] = set()
        self._permitted: set[str] | None = None  # alert actions the signed-in person may take (None: all)
        self.model = AlertTableModel(language, self)
        self.proxy = AlertFilterProxy(self.model, self)
        self._action_labels = {
            "raised": self.tr("Raised"), "repeat": self.tr("Repeated"), "clear": self.tr("Condition cleared"),
            "ack": self.tr("Acknowledged"), "assign": self.tr("Assigned"), "start": self.tr("Started handling"),
            "resolve": self.tr("Resolved"), "close": self.tr("Closed"), "note": self.tr("Note"),
            "escalate": self.tr("Escalated"), "sop_step": self.tr("Procedure step %1 done"),
            "sop_done": self.tr("Procedure completed"), "notified": self.tr("Notification sent"),
            "notify_failed": self.tr("Notification failed")}
        self._domain_labels = {"air": self.tr("Air quality"), "discharge": self.tr("Wastewater discharge"),
                               "vessel": self.tr("Fishing vessels"), "camera": self.tr("Cameras"),
                               "feedback": self.tr("Citizen feedback"), "econ": self.tr("Socio-economic")}
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("alertSplitter")
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_side(assignees))
        splitter.setSizes([960, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._show_selected()

    # -- building ------------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        self.severity_filter = QComboBox(objectName="severityFilter")
        self.severity_filter.addItem(self.tr("All severities"), 0)
        for severity in SEVERITIES[1:]:
            self.severity_filter.addItem(self.tr("≥ %1").replace("%1", self.model.severity_labels[severity]),
                                         SEVERITY_RANK[severity])
        self.state_filter = QComboBox(objectName="stateFilter")
        self.state_filter.addItem(self.tr("Open"), "open")
        self.state_filter.addItem(self.tr("All states"), "all")
        for state in ALERT_STATES:
            self.state_filter.addItem(self.model.state_labels[state], state.value)
        self.domain_filter = QComboBox(objectName="domainFilter")
        self.domain_filter.addItem(self.tr("All domains"), "")
        self.search = QLineEdit(objectName="alertSearch")
        self.search.setPlaceholderText(self.tr("Search title, entity, assignee…"))
        self.search.setClearButtonEnabled(True)
        for box in (self.severity_filter, self.state_filter, self.domain_filter, self.search):
            box.setMinimumHeight(BUTTON_HEIGHT - 4)
        self.severity_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(min_rank=self.severity_filter.currentData()))
        self.state_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(state=self.state_filter.currentData()))
        self.domain_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(domain=self.domain_filter.currentData() or ""))
        self.search.textChanged.connect(lambda text: self.proxy.set_filter(text=text))
        filters = QHBoxLayout()
        filters.addWidget(self.severity_filter)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.domain_filter)
        filters.addWidget(self.search, 1)

        self.table = QTableView(objectName="alertTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["first_seen"], Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # titles are long: two lines a row, the rest elided
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(50)
        header = self.table.horizontalHeader()
        header.setMinimumHeight(36)
        for name, width in _WIDTHS.items():
            self.table.setColumnWidth(COLUMN[name], width)
        header.setSectionResizeMode(COLUMN["title"], QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        return box

    def _build_side(self, assignees: Sequence[str]) -> QWidget:
        self.title_label = QLabel(objectName="alertTitle", wordWrap=True)
        self.detail_label = QLabel(objectName="alertDetail", wordWrap=True)
        self.fields: dict[str, QLabel] = {}
        grid = QGridLayout()  # two label/value pairs a row: the SOP below needs the height
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        names = (("severity", self.tr("Severity")), ("state", self.tr("State")), ("entity", self.tr("Entity")),
                 ("count", self.tr("Count")), ("seen", self.tr("First / last seen")),
                 ("location", self.tr("Location")), ("assignee", self.tr("Assignee")),
                 ("acked", self.tr("Acknowledged by")))
        for i, (name, label) in enumerate(names):
            self.fields[name] = QLabel(objectName=f"field_{name}", wordWrap=True)
            grid.addWidget(QLabel(label, objectName="fieldName"), i // 2, (i % 2) * 2)
            grid.addWidget(self.fields[name], i // 2, (i % 2) * 2 + 1)
        details = QWidget(objectName="detailForm")
        details.setLayout(grid)

        self.ack_button = self._button("ackButton", self.tr("Acknowledge"), "ack")
        self.start_button = self._button("startButton", self.tr("Start"), "start")
        self.resolve_button = self._button("resolveButton", self.tr("Resolve"), "resolve")
        self.close_button = self._button("closeButton", self.tr("Close"), "close")
        self.assignee_box = QComboBox(objectName="assigneeBox", editable=True)
        self.assignee_box.addItems(list(assignees))
        self.assignee_box.setMinimumHeight(BUTTON_HEIGHT)
        self.assignee_box.currentTextChanged.connect(lambda _: self._update_buttons())
        self.assign_button = self._button("assignButton", self.tr("Assign"), "assign")
        self.note_edit = QLineEdit(objectName="noteEdit", placeholderText=self.tr("Note for the history…"))
        self.note_edit.setMinimumHeight(BUTTON_HEIGHT)
        self.note_edit.textChanged.connect(lambda _: self._update_buttons())
        self.note_edit.returnPressed.connect(lambda: self._request("note"))
        self.note_button = self._button("noteButton", self.tr("Add note"), "note")
        self.call_button = QPushButton(self.tr("Call the commune"), objectName="callButton")
        self.call_button.setMinimumHeight(BUTTON_HEIGHT)
        self.call_button.clicked.connect(lambda: self.callRequested.emit(self._selected) if self._selected else None)
        self.room_for: Callable[[Alert], str] = lambda _alert: ""  # the app's: the room an alert calls, or ""
        workflow = QHBoxLayout()
        for button in (self.ack_button, self.start_button, self.resolve_button, self.close_button,
                       self.call_button):
            workflow.addWidget(button)
        assign_and_note = QHBoxLayout()
        assign_and_note.addWidget(self.assignee_box, 2)
        assign_and_note.addWidget(self.assign_button)
        assign_and_note.addSpacing(8)
        assign_and_note.addWidget(self.note_edit, 3)
        assign_and_note.addWidget(self.note_button)

        self.sop = SopChecklist(self.language)
        self.sop.stepChecked.connect(self._on_step_checked)
        self.history = QTreeWidget(objectName="alertHistory")
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels([self.tr("Time"), self.tr("By"), self.tr("Action"), self.tr("Text")])
        for column, width in enumerate((118, 118, 180)):
            self.history.setColumnWidth(column, width)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel(self.tr("History"), objectName="sectionTitle"))
        history_layout.addWidget(self.history, 1)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(self.sop)
        lower.addWidget(history)
        lower.setSizes([600, 360])

        side = QWidget(objectName="alertDetails")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(details)
        self.refusal = QLabel(objectName="refusal", wordWrap=True)
        self.refusal.setStyleSheet("color: #ffb4a9; font-weight: bold;")
        self.refusal.hide()
        layout.addWidget(self.refusal)
        layout.addLayout(workflow)
        layout.addLayout(assign_and_note)
        layout.addWidget(lower, 1)
        return side

    def _button(self, name: str, text: str, action: str) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.setMinimumHeight(BUTTON_HEIGHT)
        button.clicked.connect(lambda: self._request(action))
        return button

    # -- public API ----------------------------------------------------------------------------------
    def update_alerts(self, alerts: Iterable[Alert]) -> None:
        """Upsert alerts by id (the newest `ts` wins), keeping the selection; cheap for hundreds of rows."""
        fresh = self.model.upsert(alerts)
        for domain in sorted({a.domain for a in fresh} - self._known_domains()):
            self.domain_filter.addItem(self._domain_labels.get(domain, domain), domain)
        loud = [a.severity for a in fresh if a.severity in AUDIBLE and a.state is AlertState.RAISED]
        if loud:
            self.soundRequested.emit(max(loud, key=SEVERITY_RANK.__getitem__))
        if self._selected and self.alert(self._selected) is not self._shown:
            self._show_selected()

    def set_user(self, user: str, permitted: set[str] | None) -> None:
        """Who acts from this panel now, and which actions their role allows (the rest stay greyed out; the
        application checks each action again when it is carried out)."""
        self.user = user
        self._permitted = permitted
        self.refusal.hide()
        self._update_buttons()

    def show_refusal(self, text: str) -> None:
        """An action was refused where it is carried out: say why, in place."""
        self.refusal.setText(text)
        self.refusal.show()

    def show_history(self, alert_id: str, actions: Sequence[AlertAction]) -> None:
        """The history of `alert_id` (ignored unless it is the selected alert): list, SOP ticks, completion."""
        if alert_id != self._selected:
            return
        self._history = sorted(actions, key=lambda a: (a.ts, a.id))
        self.history.clear()
        self.history.addTopLevelItems([QTreeWidgetItem([format_time(a.ts), a.by, self._describe(a), a.text])
                                       for a in reversed(self._history)])
        self._show_sop()
        self._complete_sop()

    def tick(self, now: float) -> None:
        """Advance the running age column (call once a second)."""
        self.model.set_now(now)

    def alert(self, alert_id: str) -> Alert | None:
        row = self.model.rows.get(alert_id)
        return None if row is None else self.model.alert_at(row)

    def select(self, alert_id: str) -> bool:
        """Select the alert ALERT_ID in the list (as a tap on its row does); False if it is not shown."""
        for row in range(self.model.rowCount()):
            if self.model.alert_at(row).id == alert_id:
                shown = self.proxy.mapFromSource(self.model.index(row, 0))
                if shown.isValid():
                    self.table.selectRow(shown.row())
                    return True
        return False

    @property
    def selected_alert_id(self) -> str:
        return self._selected

    # -- behaviour -----------------------------------------------------------------------------------
    def _known_domains(self) -> set[str]:
        return {self.domain_filter.itemData(i) for i in range(1, self.domain_filter.count())}

    def _on_selection(self, *_selection_change: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        alert_id = self.model.alert_at(self.proxy.mapToSource(rows[0]).row()).id if rows else ""
        if alert_id == self._selected:
            return
        self._selected = alert_id
        self._history = []
        self.history.clear()
        self._show_selected()
        if alert_id:
            self.alertSelected.emit(alert_id)

    def _procedure(self, alert: Alert) -> Procedure | None:
        return self.procedures.for_alert(alert.type, alert.domain, alert.procedure)

    def _show_selected(self) -> None:
        alert = self._shown = self.alert(self._selected)
        if alert is None:
            self.title_label.setText(self.tr("Select an alert"))
            self.detail_label.clear()
            for label in self.fields.values():
                label.clear()
        else:
            self._show_details(alert)
        self._update_buttons()
        self._show_sop()

    def _show_details(self, alert: Alert) -> None:
        model = self.model
        self.title_label.setText(alert_title(alert, self.language))
        self.detail_label.setText(alert_detail(alert, self.language))
        values = {
            "severity": model.severity_labels[alert.severity],
            "state": model.state_labels[alert.state],
            "entity": alert.entity,
            "location": f"{alert.location[0]:.5f}, {alert.location[1]:.5f}" if alert.location else "—",
            "seen": f"{format_time(alert.first_seen)} / {format_time(alert.last_seen)}",
            "count": str(alert.count),
            "assignee": alert.assignee or "—",
            "acked": f"{alert.acked_by} · {format_time(alert.acked_at)}" if alert.acked_by and alert.acked_at
            else alert.acked_by or "—",
        }
        for name, text in values.items():
            self.fields[name].setText(text)

    def _show_sop(self) -> None:
        alert = self.alert(self._selected)
        procedure = self._procedure(alert) if alert else None
        done = checked_steps(procedure, self._history) if procedure else {}
        self.sop.show_procedure(self._selected, procedure, done, editable=bool(alert and alert.is_open))

    def _update_buttons(self) -> None:
        alert = self.alert(self._selected)
        state = alert.state if alert else None
        is_open = state in OPEN_STATES
        self.ack_button.setEnabled(state is AlertState.RAISED)
        self.start_button.setEnabled(is_open and state is not AlertState.IN_PROGRESS)
        self.resolve_button.setEnabled(is_open)
        self.close_button.setEnabled(state is AlertState.RESOLVED)
        self.assign_button.setEnabled(is_open and bool(self.assignee_box.currentText().strip()))
        self.note_button.setEnabled(alert is not None and bool(self.note_edit.text().strip()))
        room = self.room_for(alert) if alert is not None and is_open else ""
        self.call_button.setVisible(bool(room))
        self.call_button.setText(self.tr("Call %1").replace("%1", room))
        if self._permitted is not None:
            for action, button in (("ack", self.ack_button), ("start", self.start_button),
                                   ("resolve", self.resolve_button), ("close", self.close_button),
                                   ("assign", self.assign_button), ("note", self.note_button)):
                button.setEnabled(button.isEnabled() and action in self._permitted)

    def start_selected(self) -> None:
        """Start handling the selected alert (its procedure opens), if it is not started and the role may."""
        if self.start_button.isEnabled():
            self._request("start")

    def _request(self, action: str, data: dict[str, Any] | None = None) -> None:
        """Emit `action` on the selected alert; assign and note take their text from the inputs."""
        if not self._selected:
            return
        text = ""
        if action == "assign":
            text = self.assignee_box.currentText().strip()
        elif action == "note":
            text = self.note_edit.text().strip()
            if not text:
                return
            self.note_edit.clear()
        self.actionRequested.emit(AlertAction(id=uuid.uuid4().hex, alert_id=self._selected, action=action,
                                              by=self.user, ts=time.time(), source="local", text=text,
                                              data=data or {}))

    def _on_step_checked(self, index: int) -> None:
        alert = self.alert(self._selected)
        procedure = self._procedure(alert) if alert else None
        if procedure is not None:
            self._request("sop_step", data={"procedure": procedure.id, "step": index})

    def _complete_sop(self) -> None:
        """Send one `sop_done` once the history has every step, if this operator checked the last one."""
        alert = self.alert(self._selected)
        procedure = self._procedure(alert) if alert else None
        if procedure is None or (self._selected, procedure.id) in self._sop_done_sent:
            return
        done = checked_steps(procedure, self._history)
        if len(done) < len(procedure.steps) or is_done(procedure, self._history):
            return
        if max(done.values(), key=lambda a: (a.ts, a.id)).by != self.user:
            return  # the console of whoever checked the last step reports completion, so it is sent once
        self._sop_done_sent.add((self._selected, procedure.id))
        self._request("sop_done", data={"procedure": procedure.id, "steps": len(procedure.steps)})

    def _describe(self, action: AlertAction) -> str:
        label = self._action_labels.get(action.action, action.action)
        if action.action == "sop_step":
            return label.replace("%1", str(int(action.data.get("step", 0)) + 1))
        return label
