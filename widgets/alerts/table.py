"""The alert list's Qt model: one row per alert, upserted in place, with a sort/filter proxy."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from feeds.core.records import ALERT_STATES, OPEN_STATES, SEVERITY_RANK, Alert, AlertState, Severity

COLUMNS = ("severity", "state", "title", "entity", "count", "first_seen", "age", "assignee")
COLUMN = {name: i for i, name in enumerate(COLUMNS)}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_RANK = {state: i for i, state in enumerate(ALERT_STATES)}
DONE_STATES = frozenset({AlertState.RESOLVED, AlertState.CLOSED})

# (row background, severity text) per severity, chosen for the dark theme; done rows are dimmed.
_COLOURS = {
    Severity.INFO: ("#15223a", "#8fb3e0"),
    Severity.WARNING: ("#3a2a08", "#f2b632"),
    Severity.CRITICAL: ("#4d1619", "#ff7b72"),
    Severity.EMERGENCY: ("#5e0c45", "#ff5fd7"),
}
_TEXT = QBrush(QColor("#e6edf3"))
_DIM_TEXT = QBrush(QColor("#6e7681"))
_DIM_BACKGROUND = QBrush(QColor("#12171e"))
_BACKGROUNDS = {s: QBrush(QColor(bg)) for s, (bg, _) in _COLOURS.items()}
_SEVERITY_TEXT = {s: QBrush(QColor(fg)) for s, (_, fg) in _COLOURS.items()}


def alert_title(alert: Alert, language: str) -> str:
    return (alert.title_en or alert.title) if language == "en" else alert.title


def alert_detail(alert: Alert, language: str) -> str:
    return (alert.detail_en or alert.detail) if language == "en" else alert.detail


def format_age(seconds: float, language: str) -> str:
    """'3 phút 12 giây' / '3 min 12 s'; the two largest units only ('2 giờ 5 phút', '1 d 3 h')."""
    units = (("ngày", "d", 86400), ("giờ", "h", 3600), ("phút", "min", 60), ("giây", "s", 1))
    remaining = max(0, int(seconds))
    parts = []
    for vi, en, size in units:
        amount, remaining = divmod(remaining, size)
        if amount or parts:
            parts.append(f"{amount} {en if language == 'en' else vi}")
        if len(parts) == 2:
            break
    return " ".join(parts) or ("0 s" if language == "en" else "0 giây")


def format_time(ts: float) -> str:
    return time.strftime("%d/%m %H:%M:%S", time.localtime(ts))


def alert_age(alert: Alert, now: float) -> float:
    """Running while the alert is open; frozen at its resolution once resolved or closed."""
    end = alert.ts if alert.state in DONE_STATES else now
    return max(0.0, end - alert.first_seen)


class AlertTableModel(QAbstractTableModel):
    """Alerts in arrival order; `upsert` changes rows in place, so views keep selection and scroll."""

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.now = time.time()
        self.alerts: list[Alert] = []
        self.rows: dict[str, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self.headers = (self.tr("Severity"), self.tr("State"), self.tr("Title"), self.tr("Entity"),
                        self.tr("Count"), self.tr("First seen"), self.tr("Age"), self.tr("Assignee"))
        self.severity_labels = {Severity.INFO: self.tr("Info"), Severity.WARNING: self.tr("Warning"),
                                Severity.CRITICAL: self.tr("Critical"), Severity.EMERGENCY: self.tr("Emergency")}
        self.state_labels = {AlertState.RAISED: self.tr("Raised"), AlertState.ACKNOWLEDGED: self.tr("Acknowledged"),
                             AlertState.ASSIGNED: self.tr("Assigned"), AlertState.IN_PROGRESS: self.tr("In progress"),
                             AlertState.RESOLVED: self.tr("Resolved"), AlertState.CLOSED: self.tr("Closed")}

    def upsert(self, alerts: Iterable[Alert]) -> list[Alert]:
        """Insert new alerts and replace older versions (newest `ts` wins); returns the new ones."""
        fresh: dict[str, Alert] = {}
        changed: set[int] = set()
        for alert in alerts:
            row = self.rows.get(alert.id)
            if row is None:
                known = fresh.get(alert.id)
                if known is None or alert.ts >= known.ts:
                    fresh[alert.id] = alert
            elif alert.ts >= self.alerts[row].ts and alert != self.alerts[row]:
                self.alerts[row] = alert
                changed.add(row)
        for first, last in _runs(sorted(changed)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        if fresh:
            start = len(self.alerts)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            for offset, alert in enumerate(fresh.values()):
                self.rows[alert.id] = start + offset
                self.alerts.append(alert)
            self.endInsertRows()
        return list(fresh.values())

    def set_now(self, now: float) -> None:
        """Advance the clock of the age column (only that column is repainted and re-sorted)."""
        self.now = now
        if self.alerts:
            age = COLUMN["age"]
            self.dataChanged.emit(self.index(0, age), self.index(len(self.alerts) - 1, age),
                                  [Qt.ItemDataRole.DisplayRole, SORT_ROLE])

    def alert_at(self, row: int) -> Alert:
        return self.alerts[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.alerts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        alert = self.alerts[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(alert, column)
        if role == SORT_ROLE:
            return self._sort_key(alert, column)
        done = alert.state in DONE_STATES
        if role == Qt.ItemDataRole.BackgroundRole:
            return _DIM_BACKGROUND if done else _BACKGROUNDS[alert.severity]
        if role == Qt.ItemDataRole.ForegroundRole:
            if done:
                return _DIM_TEXT
            return _SEVERITY_TEXT[alert.severity] if column == "severity" else _TEXT
        if role == Qt.ItemDataRole.FontRole and column == "severity" and not done:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column == "title":
            return alert_detail(alert, self.language) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "count":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, alert: Alert, column: str) -> str:
        if column == "severity":
            return "● " + self.severity_labels[alert.severity]
        if column == "state":
            return self.state_labels[alert.state]
        if column == "title":
            return alert_title(alert, self.language)
        if column == "count":
            return str(alert.count)
        if column == "first_seen":
            return format_time(alert.first_seen)
        if column == "age":
            return format_age(alert_age(alert, self.now), self.language)
        return getattr(alert, column)

    def _sort_key(self, alert: Alert, column: str) -> Any:
        if column == "severity":
            return SEVERITY_RANK[alert.severity]
        if column == "state":
            return STATE_RANK[alert.state]
        if column == "count":
            return alert.count
        if column == "first_seen":
            return alert.first_seen
        if column == "age":
            return alert_age(alert, self.now)
        return self._display(alert, column).casefold()


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Consecutive row numbers grouped into (first, last) ranges: one dataChanged per range."""
    start = previous = None
    for row in rows:
        if previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None:
            yield start, previous
        start = previous = row
    if start is not None:
        yield start, previous


class AlertFilterProxy(QSortFilterProxyModel):
    """Minimum severity, state ("open", "all" or one state), domain and free-text filters."""

    def __init__(self, source: AlertTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.min_rank = 0
        self.state = "open"
        self.domain = ""
        self.text = ""

    def set_filter(self, **values: Any) -> None:
        """Change any of min_rank, state, domain, text and re-filter once."""
        self._begin_change()
        for name, value in values.items():
            if not hasattr(self, name):
                raise AttributeError(name)
            setattr(self, name, value.strip().casefold() if name == "text" else value)
        self._end_change()

    def _begin_change(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10; invalidateRowsFilter() is deprecated there
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        alert = self.sourceModel().alert_at(source_row)
        if SEVERITY_RANK[alert.severity] < self.min_rank:
            return False
        if self.state == "open" and alert.state not in OPEN_STATES:
            return False
        if self.state not in ("open", "all") and alert.state.value != self.state:
            return False
        if self.domain and alert.domain != self.domain:
            return False
        if self.text:
            haystack = " ".join((alert.title, alert.title_en, alert.entity, alert.detail, alert.detail_en,
                                 alert.assignee, alert.type)).casefold()
            return self.text in haystack
        return True
