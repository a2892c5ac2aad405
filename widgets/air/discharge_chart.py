"""Discharge monitoring of one factory station: a real-time chart per parameter with its permitted limits.

Key ``discharge/<station>/#``. Options: ``params`` (default ph, cod, tss, nh4, temp, flow); ``range``:
"24h" (default) or "7d". The limit lines are the station's permit from the [air.limits.<station>]
configuration (parameters without one use QCVN 40:2011/BTNMT column B): the limits its alerts use.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from feeds.air.settings import AirSettings
from feeds.air.stations import DISCHARGE_PARAMS
from feeds.core.records import Record
from widgets.air.bands import LIMIT_COLOUR
from widgets.air.range_bar import RangeBar
from widgets.air.series import RANGES, Series, finite_point, usable
from widgets.base.registry import register_tile
from widgets.base.tile import Tile

OK_COLOUR = "#58a6ff"
OVER_COLOUR = "#f85149"
DISCHARGE_RANGES = ("24h", "7d")


@register_tile
class DischargeChartTile(Tile):
    type_name = "discharge_chart"
    historyWanted = Signal(list)  # keys whose cached history the tile would like (see TileGrid)

    def build(self, body: QWidget) -> None:
        opts = self.spec.options
        parts = self.spec.key.split("/")
        if len(parts) < 2 or parts[0] != "discharge" or not parts[1] or parts[1] == "#":
            raise ValueError("a discharge chart needs key = \"discharge/<station>/#\"")
        self.station = parts[1]
        self.params = list(opts.get("params", list(DISCHARGE_PARAMS)))
        if not all(isinstance(p, str) for p in self.params):
            raise ValueError("options.params must be an array of parameter names")
        air: AirSettings = self.context.section("air") or AirSettings()  # the limits it alerts on
        self.limits = {p: air.limit(self.station, p) for p in self.params}
        self.range_name = str(opts.get("range", "24h"))
        if self.range_name not in DISCHARGE_RANGES:
            raise ValueError(f"options.range must be one of {', '.join(DISCHARGE_RANGES)}")
        self.series = {p: Series(keep_s=RANGES["7d"] + 3600) for p in self.params}
        self.latest_ts = 0.0
        self.over: dict[str, bool] = dict.fromkeys(self.params, False)
        self.asked = False

        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.ranges = RangeBar(DISCHARGE_RANGES, self.range_name)
        self.ranges.changed.connect(self.set_range)
        top.addWidget(self.ranges, 1)
        self.summary = QLabel("")
        self.summary.setObjectName("unit")
        top.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(top)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(None)
        layout.addWidget(self.view, 1)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.limit_lines: dict[str, list[pg.InfiniteLine]] = {}
        columns = 3 if len(self.params) > 4 else 2 if len(self.params) > 1 else 1
        for i, param in enumerate(self.params):
            label, unit, _ = DISCHARGE_PARAMS.get(param, (param, "", None))
            plot = self.view.addPlot(row=i // columns, col=i % columns,
                                     axisItems={"bottom": pg.DateAxisItem()})
            plot.setTitle(f"{label} {f'({unit})' if unit else ''}", color="#c9d1d9", size="10pt")
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen("#8b949e")
                plot.getAxis(axis).setPen("#30363d")
            lines = []
            for bound in self.limits[param]:
                if bound is None:
                    continue
                line = pg.InfiniteLine(pos=bound, angle=0, movable=False,
                                       pen=pg.mkPen(LIMIT_COLOUR, width=2, style=Qt.PenStyle.DashLine))
                plot.addItem(line)  # counted in the range: the limit is always in view
                lines.append(line)
            self.limit_lines[param] = lines
            curve = pg.PlotDataItem(pen=pg.mkPen(OK_COLOUR, width=2), skipFiniteCheck=True)
            plot.addItem(curve)
            self.plots[param], self.curves[param] = plot, curve

    def _param_of(self, key: str) -> str | None:
        parts = key.split("/")
        if len(parts) != 3 or parts[0] != "discharge" or parts[1] != self.station:
            return None
        return parts[2] if parts[2] in self.series else None

    def show_records(self, records: list[Record]) -> None:
        changed = set()
        for record in records:
            if not usable(record):
                continue
            param = self._param_of(record.key)
            if param is not None and self.series[param].add(float(record.ts), float(record.value)):
                changed.add(param)
                self.latest_ts = max(self.latest_ts, float(record.ts))
                self.mark_fresh(float(record.ts))
        if changed:
            self.refresh(changed)
        if changed and not self.asked:
            self.asked = True
            self.historyWanted.emit([f"discharge/{self.station}/{p}" for p in self.params])

    def show_key_history(self, history: dict[str, list[tuple[float, float]]]) -> None:
        """Cached points of the station's parameters (answer to historyWanted)."""
        changed = set()
        for key, points in history.items():
            param = self._param_of(key)
            if param is None:
                continue
            for ts, value in points:
                if not finite_point(ts, value):
                    continue
                if self.series[param].add(float(ts), float(value)):
                    changed.add(param)
                    self.latest_ts = max(self.latest_ts, float(ts))
        if changed:
            self.refresh(changed)

    def exceeds(self, param: str, value: float) -> bool:
        lo, hi = self.limits[param]
        return (hi is not None and value > hi) or (lo is not None and value < lo)

    def refresh(self, params: set[str] | None = None) -> None:
        start = self.latest_ts - RANGES[self.range_name]
        for param in params if params is not None else self.params:
            ts, values = self.series[param].window(start)
            over = bool(len(values)) and self.exceeds(param, float(values[-1]))
            if over != self.over[param] or params is None:
                self.curves[param].setPen(pg.mkPen(OVER_COLOUR if over else OK_COLOUR, width=2))
                self.over[param] = over
            self.curves[param].setData(ts, values)
            self.plots[param].setXRange(start, self.latest_ts, padding=0.01)
        bad = [DISCHARGE_PARAMS.get(p, (p,))[0] for p in self.params if self.over[p]]
        self.summary.setText(self.tr("Over the limit: %1").replace("%1", ", ".join(bad)) if bad
                             else self.tr("Within limits"))
        self.summary.setStyleSheet(f"color: {OVER_COLOUR if bad else '#3fb950'};")

    def set_range(self, name: str) -> None:
        if name in DISCHARGE_RANGES:
            self.range_name = name
            self.ranges.select(name)
            self.refresh()
