"""The PDF view with the member's own layer of marks painted over it: notes, highlights, ink.

Marks are kept in PDF points from the page's top-left, so they stay on their words at any zoom. In reading
mode a finger turns pages (the viewer's swipe); in pen, highlight or note mode it draws instead."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget

from feeds.meetings.annotations import Mark, MarkSet


class Tool(str, Enum):
    READ = "read"
    INK = "ink"
    HIGHLIGHT = "highlight"
    NOTE = "note"


class MarksView(QPdfView):
    marksChanged = Signal()
    noteRequested = Signal(int, float, float)  # page, x, y in points: the viewer asks for the note's text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks = MarkSet("")
        self.tool = Tool.READ
        self.colour = "#d1242f"  # the pen: red ink, apart from the yellow of highlights and notes
        self._stroke: list[tuple[float, float]] = []
        self._page = 0

    # geometry --------------------------------------------------------------------------------------------------
    def page_scale(self, page: int) -> float:
        """Logical pixels per PDF point for PAGE as it is shown now."""
        size = self.document().pagePointSize(page) if self.document() else QSizeF()
        if size.isEmpty():
            return 1.0
        margins = self.documentMargins()
        if self.zoomMode() == QPdfView.ZoomMode.FitInView:
            width = self.viewport().width() - margins.left() - margins.right()
            height = self.viewport().height() - margins.top() - margins.bottom()
            return max(0.01, min(width / size.width(), height / size.height()))
        if self.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            return max(0.01, (self.viewport().width() - margins.left() - margins.right()) / size.width())
        return self.zoomFactor() * self.logicalDpiX() / 72.0

    def page_rect(self, page: int) -> QRectF:
        """Where PAGE is drawn in the viewport (single-page mode: the current page, centred across)."""
        size = self.document().pagePointSize(page)
        scale = self.page_scale(page)
        w, h = size.width() * scale, size.height() * scale
        margins = self.documentMargins()
        total = w + margins.left() + margins.right()
        x = (max(total, self.viewport().width()) - w) / 2 - self.horizontalScrollBar().value()
        y = margins.top() - self.verticalScrollBar().value()
        return QRectF(x, y, w, h)

    def to_points(self, position: QPointF) -> tuple[float, float]:
        page = self.pageNavigator().currentPage()
        rect, scale = self.page_rect(page), self.page_scale(page)
        return (position.x() - rect.x()) / scale, (position.y() - rect.y()) / scale

    def to_pixels(self, page: int, point: tuple[float, float]) -> QPointF:
        rect, scale = self.page_rect(page), self.page_scale(page)
        return QPointF(rect.x() + point[0] * scale, rect.y() + point[1] * scale)

    # painting --------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.document() is None or self.document().pageCount() == 0:
            return
        page = self.pageNavigator().currentPage()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = self.page_scale(page)
        for mark in self.marks.on_page(page):
            self._paint(painter, page, mark, scale)
        if self._stroke:
            self._paint(painter, page, Mark("", page, "ink" if self.tool is Tool.INK else "highlight",
                                            tuple(self._stroke), colour=self.colour), scale)
        painter.end()

    def _paint(self, painter: QPainter, page: int, mark: Mark, scale: float) -> None:
        colour = QColor(mark.colour)
        if mark.kind == "highlight" and len(mark.points) >= 2:
            first, last = self.to_pixels(page, mark.points[0]), self.to_pixels(page, mark.points[-1])
            colour.setAlpha(90)
            painter.fillRect(QRectF(first, last).normalized(), colour)
        elif mark.kind == "ink" and len(mark.points) >= 2:
            path = QPainterPath(self.to_pixels(page, mark.points[0]))
            for point in mark.points[1:]:
                path.lineTo(self.to_pixels(page, point))
            painter.setPen(QPen(colour, max(1.0, mark.width * scale), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                Qt.PenJoinStyle.RoundJoin))
            painter.drawPath(path)
        elif mark.kind == "note":
            at = self.to_pixels(page, mark.points[0])
            size = 14 * max(1.0, scale)
            painter.setPen(QPen(QColor("#8a6d00"), 1.5))
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(at.x(), at.y(), size, size), 3, 3)

    # drawing with a finger or pen -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.tool is Tool.READ:
            super().mousePressEvent(event)
            return
        self._page = self.pageNavigator().currentPage()
        if self.tool is Tool.NOTE:
            x, y = self.to_points(event.position())
            self.noteRequested.emit(self._page, x, y)
            return
        self._stroke = [self.to_points(event.position())]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.tool in (Tool.INK, Tool.HIGHLIGHT) and self._stroke:
            point = self.to_points(event.position())
            if self.tool is Tool.HIGHLIGHT:
                self._stroke = [self._stroke[0], point]
            elif len(self._stroke) < 4000:
                self._stroke.append(point)
            self.viewport().update()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.tool in (Tool.INK, Tool.HIGHLIGHT) and self._stroke:
            stroke, self._stroke = self._stroke, []
            if len(stroke) == 1:
                stroke.append(stroke[0])
            kind = "ink" if self.tool is Tool.INK else "highlight"
            self.marks.add(Mark.new(self._page, kind, stroke if kind == "ink" else [stroke[0], stroke[-1]],
                                    colour=self.colour if kind == "ink" else "#f2cc60", width=2.5))
            self.viewport().update()
            self.marksChanged.emit()
            return
        super().mouseReleaseEvent(event)

    def add_note(self, page: int, x: float, y: float, text: str) -> None:
        self.marks.add(Mark.new(page, "note", [(x, y)], text))
        self.viewport().update()
        self.marksChanged.emit()

    def undo(self) -> None:
        if self.marks.remove_last(self.pageNavigator().currentPage()) is not None:
            self.viewport().update()
            self.marksChanged.emit()
