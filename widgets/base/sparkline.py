"""A trend sparkline: one pyqtgraph curve in a bare GraphicsView (no ViewBox, no axes).

A full PlotWidget re-enters Python for a dozen items on every paint; with feed threads busy each
re-entry waits for the GIL, which made a wall of sparklines stall the GUI for hundreds of ms.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget


class Sparkline(pg.GraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=None)
        self.setMinimumHeight(36)
        self.curve = pg.PlotCurveItem(pen=pg.mkPen("#8b949e", width=2), antialias=True)
        self.addItem(self.curve)
        self.setInteractive(False)

    def show_values(self, values: Sequence[float], colour: str) -> None:
        """Draw the values evenly spaced left to right, scaled to the widget's height."""
        if not values:
            self.curve.setData([], [])
            return
        # Scene y grows downwards: plot -value so larger values are higher.
        ys = [-float(v) for v in values]
        self.curve.setData(list(range(len(ys))), ys, pen=pg.mkPen(colour, width=2))
        low, high = min(ys), max(ys)
        span = (high - low) or max(abs(high), 1.0) * 0.1
        self.setRange(QRectF(0, low - span * 0.1, max(len(ys) - 1, 1), span * 1.2), padding=0)
