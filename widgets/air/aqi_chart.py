"""AQI and pollutant charts: one or several stations, the six VN_AQI bands or the national limit,
ranges 24 h / 7 days / 30 days, and a crosshair reading time, value and band.

Key ``air/#`` (or ``air/<station>/#`` for one station). Options:
``series`` — "aqi" (default) or a pollutant (so2, no2, co, o3, pm10, pm25: its hourly means);
``stations`` — the stations to draw (default: every station seen); ``range`` — "24h", "7d" or "30d".
"""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from feeds.air.aqi import POLLUTANTS
from feeds.air.stations import NATIONAL_LIMITS, POLLUTANT_LABELS
from feeds.core.records import Record
from widgets.air.bands import BAND_EDGES, BANDS, LIMIT_COLOUR, PALETTE, aqi_band, band_label, station_name
from widgets.air.range_bar import RangeBar
from widgets.air.series import RANGES, Series, finite_point, usable
from widgets.base.registry import register_tile
from widgets.base.tile import Tile

LEGEND_MAX = 12  # more stations than this: names only in the crosshair readout
THICK_UP_TO = 8  # curves drawn 2 px wide; more stations than this are drawn 1 px wide


def local_time_text(ts: float) -> str:
    return time.strftime("%H:%M %d/%m", time.localtime(ts))


@register_tile
class AqiChartTile(Tile):
    type_name = "aqi_chart"
    historyWanted = Signal(list)  # keys whose cached history the tile would like (see TileGrid)

    def build(self, body: QWidget) -> None:
        opts = self.spec.options
        self.series_name = str(opts.get("series", "aqi"))
        if self.series_name != "aqi" and self.series_name not in POLLUTANTS:
            raise ValueError(f"options.series must be \"aqi\" or one of {', '.join(POLLUTANTS)}, "
                             f"got {self.series_name!r}")
        self.range_name = str(opts.get("range", "24h"))
        if self.range_name not in RANGES:
            raise ValueError(f"options.range must be one of {', '.join(RANGES)}, got {self.range_name!r}")
        stations = opts.get("stations", [])
        if not isinstance(stations, list) or not all(isinstance(s, str) for s in stations):
            raise ValueError("options.stations must be an array of station ids")
        self.only = list(stations)
        names = opts.get("names", {})
        self.names = dict(names) if isinstance(names, dict) else {}
        self.suffix = "aqi" if self.series_name == "aqi" else f"{self.series_name}/1h"
        self.series: dict[str, Series] = {}
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.tops: dict[str, float] = {}  # highest value of each station in the range shown
        self.requested: set[str] = set()
        self.latest_ts = 0.0
        self.y_top = 0.0

        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.ranges = RangeBar(tuple(RANGES), self.range_name)
        self.ranges.changed.connect(self.set_range)
        top.addWidget(self.ranges, 1)
        self.readout = QLabel("")
        self.readout.setObjectName("unit")
        top.addWidget(self.readout, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(top)

        self.plot_widget = pg.PlotWidget(background=None, axisItems={"bottom": pg.DateAxisItem()})
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTextPen("#8b949e")
            self.plot.getAxis(axis).setPen("#30363d")
        # The legend sits under the plot, not over the curves.
        self.legend = pg.LegendItem(labelTextColor="#c9d1d9", verSpacing=-8, horSpacing=14, colCount=4)
        self.plot.layout.addItem(self.legend, 4, 1)
        layout.addWidget(self.plot_widget, 1)

        self.band_items: list[pg.LinearRegionItem] = []
        self.limit_line: pg.InfiniteLine | None = None
        if self.series_name == "aqi":
            self.plot.setLabel("left", "AQI", color="#8b949e")
            for b, lo, hi in zip(BANDS, BAND_EDGES[:-1], BAND_EDGES[1:]):
                colour = QColor(b.colour_hex)
                colour.setAlpha(55)
                region = pg.LinearRegionItem(values=(lo, hi), orientation="horizontal", brush=colour,
                                             pen=pg.mkPen(None), movable=False)
                region.setZValue(-20)
                self.plot.addItem(region, ignoreBounds=True)
                self.band_items.append(region)
        else:
            limit, period = NATIONAL_LIMITS[self.series_name]
            self.plot.setLabel("left", f"{POLLUTANT_LABELS[self.series_name]} (µg/m³)", color="#8b949e")
            self.limit_line = pg.InfiniteLine(
                pos=limit, angle=0, movable=False, pen=pg.mkPen(LIMIT_COLOUR, width=2, style=Qt.PenStyle.DashLine),
                label=self.tr("limit %1 µg/m³ (%2)").replace("%1", f"{limit:g}").replace("%2", period),
                labelOpts={"color": LIMIT_COLOUR, "position": 0.08, "anchors": [(0, 1), (0, 1)]})
            self.plot.addItem(self.limit_line, ignoreBounds=True)

        pen = pg.mkPen("#e6edf3", width=1, style=Qt.PenStyle.DotLine)
        self.cross_v = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self.cross_h = pg.InfiniteLine(angle=0, movable=False, pen=pen)
        for line in (self.cross_v, self.cross_h):
            line.setVisible(False)
            line.setZValue(30)
            self.plot.addItem(line, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self._apply_range()

    # -- data -------------------------------------------------------------------------------------------
    def _station_of(self, key: str) -> str | None:
        parts = key.split("/")
        if len(parts) < 3 or parts[0] != "air" or "/".join(parts[2:]) != self.suffix:
            return None
        station = parts[1]
        if self.only and station not in self.only:
            return None
        return station

    def series_keys(self) -> list[str]:
        return [f"air/{s}/{self.suffix}" for s in self.series]

    def show_records(self, records: list[Record]) -> None:
        changed: set[str] = set()
        fresh: list[str] = []
        for record in records:
            if not usable(record):
                continue
            station = self._station_of(record.key)
            if station is None:
                continue
            series = self.series.get(station)
            if series is None:
                series = self.series[station] = Series()
                fresh.append(record.key)
            if series.add(float(record.ts), float(record.value)):
                changed.add(station)
                self.latest_ts = max(self.latest_ts, float(record.ts))
                # An hourly mean is known at the end of its hour.
                self.mark_fresh(float(record.ts) + (3600.0 if self.series_name != "aqi" else 0.0))
        if changed:
            self.refresh(changed)
        wanted = [k for k in fresh if k not in self.requested]
        if wanted:
            self.requested.update(wanted)
            self.historyWanted.emit(wanted)

    def show_key_history(self, history: dict[str, list[tuple[float, float]]]) -> None:
        """Cached points of some of the tile's keys (answer to historyWanted)."""
        changed = set()
        for key, points in history.items():
            station = self._station_of(key)
            if station is None:
                continue
            series = self.series.setdefault(station, Series())
            for ts, value in points:
                if finite_point(ts, value) and series.add(float(ts), float(value)):
                    changed.add(station)
                    self.latest_ts = max(self.latest_ts, float(ts))
        if changed:
            self.refresh(changed)

    def show_history(self, points: list[tuple[float, float]]) -> None:
        """Single-key history (a tile on one exact key such as air/sam-son/aqi)."""
        if self.spec.key and not self.spec.key.endswith("/#"):
            self.show_key_history({self.spec.key: points})

    # -- drawing ----------------------------------------------------------------------------------------
    def _curve(self, station: str) -> pg.PlotCurveItem:
        curve = self.curves.get(station)
        if curve is None:
            colour = PALETTE[len(self.curves) % len(PALETTE)]
            if len(self.series) == 1 and self.series_name == "aqi" and not self.only[1:]:
                colour = "#e6edf3"  # a single curve stands out best in white over the bands
            # Thin lines once the chart gets crowded: wide pens cost 5× the paint time (50 stations).
            width = 2 if len(self.curves) < THICK_UP_TO else 1
            if len(self.curves) == THICK_UP_TO:
                for other in self.curves.values():
                    other.setPen(pg.mkPen(other.opts["pen"].color(), width=1))
            curve = pg.PlotCurveItem(pen=pg.mkPen(colour, width=width), skipFiniteCheck=True)
            curve.setZValue(10)
            self.plot.addItem(curve)
            if len(self.curves) < LEGEND_MAX:
                self.legend.addItem(curve, station_name(station, self.names))
            self.curves[station] = curve
        return curve

    def refresh(self, stations: set[str] | None = None) -> None:
        """Redraw the given stations' curves (all by default) for the current range."""
        start = self.latest_ts - RANGES[self.range_name]
        for station in sorted(stations if stations is not None else self.series):
            ts, values = self.series[station].window(start)
            self._curve(station).setData(ts, values)
            self.tops[station] = float(values.max()) if len(values) else 0.0
        self._set_y(max(self.tops.values(), default=0.0))

    def _set_y(self, top: float) -> None:
        if self.series_name == "aqi":
            edge = next((e for e in BAND_EDGES[1:] if e >= top * 1.05), 500.0)
            ceiling = max(200.0, edge)
        else:
            ceiling = max(top, NATIONAL_LIMITS[self.series_name][0]) * 1.15
        if ceiling != self.y_top:
            self.y_top = ceiling
            self.plot.setYRange(0, ceiling, padding=0)

    def _apply_range(self) -> None:
        end = self.latest_ts or time.time()
        self.plot.setXRange(end - RANGES[self.range_name], end, padding=0.01)

    def set_range(self, name: str) -> None:
        if name not in RANGES:
            return
        self.range_name = name
        self.ranges.select(name)
        self.refresh()
        self._apply_range()

    def refresh_age(self, now: float) -> None:
        super().refresh_age(now)
        if self.latest_ts:
            self._apply_range()

    # -- crosshair --------------------------------------------------------------------------------------
    def _mouse_moved(self, pos: QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(pos):
            self.cross_v.setVisible(False)
            self.cross_h.setVisible(False)
            return
        point = self.plot.vb.mapSceneToView(pos)
        self.crosshair_at(point.x(), point.y())

    def crosshair_at(self, x: float, y: float) -> str:
        """Put the crosshair on the point nearest (x, y) and return its reading."""
        best = None
        for station, series in self.series.items():
            hit = series.value_at(x)
            if hit is None:
                continue
            distance = abs(hit[1] - y)
            if best is None or distance < best[0]:
                best = (distance, station, hit)
        if best is None:
            self.readout.setText("")
            return ""
        _, station, (ts, value) = best
        self.cross_v.setPos(ts)
        self.cross_h.setPos(value)
        self.cross_v.setVisible(True)
        self.cross_h.setVisible(True)
        if self.series_name == "aqi":
            text = f"{local_time_text(ts)} · {station_name(station, self.names)}: AQI {value:.0f}"
            label = band_label(aqi_band(value), self.context.language)
            text += f" ({label})" if label else ""
        else:
            limit = NATIONAL_LIMITS[self.series_name][0]
            text = (f"{local_time_text(ts)} · {station_name(station, self.names)}: "
                    f"{POLLUTANT_LABELS[self.series_name]} {value:.1f} µg/m³")
            if value > limit:
                text += " " + self.tr("(above the limit)")
        self.readout.setText(text)
        return text
