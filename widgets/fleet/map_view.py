"""The fishing-vessel map: an offline Leaflet page in a QWebEngineView, fed incrementally over QWebChannel,
beside a panel of counts and a sortable, searchable vessel list.

Records never reach the page one by one: the widget keeps a `FleetModel`, marks changed vessels dirty,
and a timer sends the dirty rows as one JSON batch (one signal emission) at most every `FLUSH_MS`.
"""

from __future__ import annotations

import html
import itertools
import json
import logging
import time

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from feeds.fleet.geofence import VesselState
from feeds.fleet.records import length_class
from widgets.fleet.fleet_model import COUNTS, STATE_CODE, TRACK_S, FleetModel, Vessel, degrees_minutes
from widgets.fleet.map_page import build_map_html, map_dir

log = logging.getLogger(__name__)
FLUSH_MS = 250
STATE_COLOURS = {"distress": "#ff3bff", "lost_signal": "#8b949e", "at_port": "#58a6ff", "violating": "#f85149",
                 "near_boundary": "#e3b341", "inside": "#3fb950", "active": "#3fb950"}


def state_label(state: str) -> str:
    """The translated name of a state or a count."""
    labels = {
        "active": QCoreApplication.translate("VesselMap", "Active"),
        "inside": QCoreApplication.translate("VesselMap", "Inside"),
        "near_boundary": QCoreApplication.translate("VesselMap", "Near boundary"),
        "violating": QCoreApplication.translate("VesselMap", "Violating"),
        "distress": QCoreApplication.translate("VesselMap", "Distress"),
        "lost_signal": QCoreApplication.translate("VesselMap", "Lost signal"),
        "at_port": QCoreApplication.translate("VesselMap", "At port"),
    }
    return labels.get(state, state)


def age_text(seconds: float) -> str:
    if seconds < 90:
        return QCoreApplication.translate("VesselMap", "%1 s ago").replace("%1", str(int(seconds)))
    if seconds < 5400:
        return QCoreApplication.translate("VesselMap", "%1 min ago").replace("%1", str(int(seconds // 60)))
    return QCoreApplication.translate("VesselMap", "%1 h ago").replace("%1", f"{seconds / 3600:.1f}")


class MapBridge(QObject):
    """The object the page sees as `bridge`: Python → page signals, page → Python slots."""

    batch = Signal(str)
    command = Signal(str)
    pageReady = Signal()
    vesselClicked = Signal(str)
    batchDrawn = Signal(int, float)

    @Slot()
    def ready(self) -> None:
        self.pageReady.emit()

    @Slot(str)
    def select(self, vessel_id: str) -> None:
        self.vesselClicked.emit(vessel_id)

    @Slot(int, float)
    def drawn(self, seq: int, ms: float) -> None:
        self.batchDrawn.emit(seq, ms)


class MapPage(QWebEnginePage):
    """Logs the page's console messages (a script error on the wall must reach the log)."""

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:
        log.log(logging.WARNING if level != QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel
                else logging.DEBUG, "map page: %s (%s:%d)", message, source.rsplit("/", 1)[-1], line)


class VesselMapView(QWebEngineView):
    """The page and its channel; batches sent before the page is ready are held and sent on ready."""

    def __init__(self, tile_url: str | None = None, parent: QWidget | None = None, profile=None) -> None:
        super().__init__(parent)
        self.setPage(MapPage(profile, self) if profile is not None else MapPage(self))
        self.bridge = MapBridge(self)
        self.channel = QWebChannel(self)
        self.channel.registerObject("bridge", self.bridge)
        self.page().setWebChannel(self.channel)
        self.page().setBackgroundColor(Qt.GlobalColor.black)
        self.ready = False
        self._held: list[list] = []
        self._held_commands: list[str] = []
        self._seq = itertools.count(1)
        self.last_seq = 0
        self.bridge.pageReady.connect(self._on_ready)
        self.setHtml(build_map_html(tile_url), QUrl.fromLocalFile(str(map_dir()) + "/"))

    def _on_ready(self) -> None:
        self.ready = True
        if self._held:
            rows, self._held = self._held, []
            self.send_rows(rows)
        for text in self._held_commands:
            self.bridge.command.emit(text)
        self._held_commands = []

    def send_rows(self, rows: list[list]) -> int:
        """One batch to the page; its sequence number (0 when held until the page is ready)."""
        if not rows:
            return 0
        if not self.ready:
            self._held.extend(rows)
            return 0
        self.last_seq = next(self._seq)
        self.bridge.batch.emit(json.dumps({"seq": self.last_seq, "rows": rows}, separators=(",", ":")))
        return self.last_seq

    def run_command(self, op: str, **args) -> None:
        text = json.dumps({"op": op, **args}, ensure_ascii=False)
        if self.ready:
            self.bridge.command.emit(text)
        else:
            self._held_commands.append(text)


class FleetTableModel(QAbstractTableModel):
    COLUMNS = ("id", "name", "state", "speed", "age")

    def __init__(self, fleet: FleetModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fleet = fleet
        self.ids: list[str] = []
        self.now = time.time()

    def refresh(self, now: float) -> None:
        self.now = now
        self.beginResetModel()
        self.ids = sorted(self.fleet.vessels)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's own signature)
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's own signature)
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Registration"), self.tr("Name"), self.tr("State"), self.tr("Speed (kn)"),
                    self.tr("Last report"))[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        vessel = self.fleet.vessels[self.ids[index.row()]]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "id":
                return vessel.id
            if column == "name":
                return vessel.name
            if column == "state":
                return state_label(vessel.state)
            if column == "speed":
                return "" if vessel.sog is None else f"{vessel.sog:.1f}"
            return age_text(max(0.0, self.now - vessel.ts))
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return {"id": vessel.id, "name": vessel.name, "state": STATE_CODE[vessel.state],
                    "speed": vessel.sog or 0.0, "age": -vessel.ts}[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            from PySide6.QtGui import QColor
            return QColor(STATE_COLOURS.get(vessel.state, "#c9d1d9"))
        return None


class VesselPanel(QWidget):
    """Counts, a state filter, a search box and the sortable list."""

    vesselActivated = Signal(str)
    filterChanged = Signal(list)

    def __init__(self, fleet: FleetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet = fleet
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 10, 0)
        grid = QGridLayout()
        self.count_labels: dict[str, QLabel] = {}
        self.filters: dict[str, QCheckBox] = {}
        for i, name in enumerate(COUNTS):
            box = QCheckBox(state_label(name))
            box.setChecked(True)
            box.setStyleSheet(f"color: {STATE_COLOURS[name]};")
            box.toggled.connect(self._filter_changed)
            value = QLabel("0")
            value.setObjectName("vesselCount")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setStyleSheet(f"color: {STATE_COLOURS[name]}; font-weight: bold;")
            grid.addWidget(box, i, 0)  # one state per row: Vietnamese labels are long and must not clip
            grid.addWidget(value, i, 1)
            self.count_labels[name] = value
            self.filters[name] = box
        layout.addLayout(grid)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search registration or name"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.table_model = FleetTableModel(fleet, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.search.returnPressed.connect(self._activate_first)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._activate)
        layout.addWidget(self.table, 1)

    def _filter_changed(self) -> None:
        states = [s.value for s in VesselState
                  if self.filters.get(s.value, self.filters["active"]).isChecked()]
        self.filterChanged.emit(states)

    def _activate(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        self.vesselActivated.emit(self.table_model.ids[source.row()])

    def _activate_first(self) -> None:
        if self.proxy.rowCount():
            self._activate(self.proxy.index(0, 0))

    def refresh(self, now: float) -> None:
        for name, value in self.fleet.counts().items():
            self.count_labels[name].setText(str(value))
        self.table_model.refresh(now)


class VesselMapWidget(QWidget):
    """Map + panel. `show_records` takes VesselPosition / VesselStateChange records (others are ignored).

    `trackWanted(key, since)` asks for the stored track of a clicked vessel; whoever holds the cache answers
    (synchronously) with `merge_track`. Without an answer the track is what arrived since the start.
    """

    trackWanted = Signal(str, float)

    def __init__(self, tile_url: str | None = None, panel: bool = True, parent: QWidget | None = None,
                 profile=None) -> None:
        super().__init__(parent)
        self.fleet = FleetModel()
        self.view = VesselMapView(tile_url, profile=profile)
        self.panel = VesselPanel(self.fleet) if panel else None
        self.selected: str | None = None
        self.following: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.panel:
            splitter = QSplitter()
            splitter.addWidget(self.view)
            side = QWidget()
            side_layout = QVBoxLayout(side)
            side_layout.setContentsMargins(0, 0, 0, 0)
            self.follow_box = QCheckBox(self.tr("Follow the selected vessel"))
            self.follow_box.toggled.connect(self._follow_toggled)
            side_layout.addWidget(self.panel, 1)
            side_layout.addWidget(self.follow_box)
            splitter.addWidget(side)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 1)
            splitter.setSizes([700, 300])
            side.setMinimumWidth(320)
            layout.addWidget(splitter)
            self.panel.vesselActivated.connect(self.centre_on)
            self.panel.filterChanged.connect(self.set_filter)
        else:
            layout.addWidget(self.view)
        self.view.bridge.vesselClicked.connect(self.show_details)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)
        self._panel_due = False

    def show_records(self, records: list) -> None:
        if self.fleet.apply(records):
            self._panel_due = True
            if not self._flush_timer.isActive():
                self._flush_timer.start(FLUSH_MS)

    def flush(self) -> int:
        """Send every changed vessel to the page in one batch; the batch's sequence number."""
        seq = self.view.send_rows(self.fleet.take_dirty_rows())
        if self.following:
            self.view.run_command("follow", id=self.following)
        return seq

    def refresh(self, now: float) -> None:
        """Once a second: counts and list (ages move even without records)."""
        if self.panel and (self._panel_due or now - getattr(self, "_panel_at", 0) > 10):
            self._panel_due = False
            self._panel_at = now
            self.panel.refresh(now)

    def set_filter(self, states: list[str]) -> None:
        self.view.run_command("filter", states=states)

    def centre_on(self, vessel_id: str) -> None:
        self.view.run_command("centre", id=vessel_id)
        self.show_details(vessel_id)

    def follow(self, vessel_id: str | None) -> None:
        self.following = vessel_id
        self.view.run_command("follow", id=vessel_id or "")

    def _follow_toggled(self, on: bool) -> None:
        self.follow(self.selected if on else None)

    def details_html(self, vessel: Vessel, now: float) -> str:
        def row(label: str, value: str) -> str:
            return f"<tr><td>{html.escape(label)}</td><td><b>{html.escape(value)}</b></td></tr>"
        report = time.strftime("%H:%M:%S %d/%m/%Y", time.localtime(vessel.ts)) if vessel.ts else "—"
        rows = [
            row(self.tr("Name"), vessel.name or "—"),
            row(self.tr("Owner"), vessel.owner or "—"),
            row(self.tr("Length class"), length_class(vessel.length_m)),
            row(self.tr("State"), state_label(vessel.state)),
            row(self.tr("Position"), degrees_minutes(vessel.lat, vessel.lon)),
            row(self.tr("Speed"), "—" if vessel.sog is None else f"{vessel.sog:.1f} kn"),
            row(self.tr("Course"), "—" if vessel.cog is None else f"{vessel.cog:.0f}°"),
            row(self.tr("Last report"), f"{report} ({age_text(max(0.0, now - vessel.ts))})"),
        ]
        if vessel.boundary_nm is not None:
            rows.append(row(self.tr("To the boundary"), f"{vessel.boundary_nm:.1f} nm"))
        return f"<div class='vessel-id'>{html.escape(vessel.id)}</div><table>{''.join(rows)}</table>"

    def show_details(self, vessel_id: str) -> None:
        vessel = self.fleet.vessels.get(vessel_id)
        if vessel is None:
            return
        self.selected = vessel_id
        if self.panel and self.follow_box.isChecked():
            self.follow(vessel_id)
        now = time.time()
        self.trackWanted.emit(f"vessel/{vessel_id}", now - TRACK_S)
        self.view.run_command("details", id=vessel_id, html=self.details_html(vessel, now),
                              track=self.fleet.track(vessel_id, now))

    def merge_track(self, vessel_id: str, positions: list) -> None:
        self.fleet.merge_track(vessel_id, [(p.ts, p.lat, p.lon) for p in positions])

    def search(self, text: str) -> list[str]:
        return [v.id for v in self.fleet.search(text)]
