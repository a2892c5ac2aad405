"""A conference on the wall or a terminal: each participant's newest frame with name, unit, microphone and camera
state and connection quality, in a gallery (a grid by how many there are), with the active speaker large and the
others in a filmstrip, or with shared content large and the speakers small. A participant the chair puts in the
spotlight is large on every screen. A participant whose video stops keeps its last picture, greyed, marked
"mất tín hiệu" like a lost camera.

Frames come already scaled to their cell (`boxes`, read by the room's thread) and in the screen's pixel format, so
a repaint is a copy of the cells that changed, not a rescale of every picture."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from feeds.conference.naming import Who, parse_display
from widgets.base.registry import register_tile
from widgets.base.tile import Tile

LAYOUTS = ("gallery", "speaker", "presentation")
QUALITY_COLOURS = {"good": "#3fb950", "fair": "#d29922", "poor": "#f85149"}
BAND = 40  # the name band's height, px


@dataclass
class Seat:
    who: Who
    image: QImage | None = None
    pixels: np.ndarray | None = None  # the frame the image points into (kept alive with it)
    grey: QImage | None = None  # the last picture greyed, made once when the video is lost
    stalled: bool = False
    muted_by_chair: bool = False
    quality: str = ""  # good, fair or poor ("" not measured yet)
    frames: int = 0

    @property
    def mic_off(self) -> bool:
        return self.who.mic_off or self.muted_by_chair


def gallery_cells(count: int, width: float, height: float) -> list[QRectF]:
    """COUNT cells filling WIDTH×HEIGHT, as square-ish as a 16:9 picture likes."""
    if count <= 0:
        return []
    best = (1, count)
    best_size = 0.0
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        cell_w, cell_h = width / cols, height / rows
        size = min(cell_w, cell_h * 16 / 9)
        if size > best_size:
            best, best_size = (cols, rows), size
    cols, rows = best
    cell_w, cell_h = width / cols, height / rows
    return [QRectF((n % cols) * cell_w, (n // cols) * cell_h, cell_w, cell_h) for n in range(count)]


def large_and_strip(large: int, others: list[int], width: float, height: float, side: bool
                    ) -> list[tuple[int, QRectF]]:
    """One participant large, the others small: in a filmstrip below, or (SIDE) in a column on the right."""
    if not others:
        return [(large, QRectF(0, 0, width, height))]
    if side:
        column = width * 0.22
        cell = min(height / len(others), column * 9 / 16 + BAND)
        return [(large, QRectF(0, 0, width - column, height))] + [
            (who, QRectF(width - column, n * cell, column, cell)) for n, who in enumerate(others)]
    strip = height * 0.22
    cell = width / max(len(others), 4)
    return [(large, QRectF(0, 0, width, height - strip))] + [
        (who, QRectF(n * cell, height - strip, cell, strip)) for n, who in enumerate(others)]


class ConferenceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seats: dict[int, Seat] = {}
        self.layout_name = "gallery"
        self.speaker: int | None = None
        self.spotlight: int | None = None
        self.message = ""
        self.lost_text = "mất tín hiệu"
        self.presenting_text = "Trình chiếu"
        self.boxes: dict[int, tuple[int, int]] = {}  # the picture size per participant, for the room's thread
        self._cells: dict[int, QRectF] | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.name_font = QFont(self.font().family(), 13, QFont.Weight.Bold)
        self.unit_font = QFont(self.font().family(), 10)
        self.badge_font = QFont(self.font().family(), 9, QFont.Weight.Bold)
        self.message_font = QFont(self.font().family(), 16)

    def large(self) -> int | None:
        """Who is shown large: the spotlight, else the presentation (presentation layout), else the speaker."""
        if self.spotlight in self.seats:
            return self.spotlight
        if self.layout_name == "presentation":
            shared = [i for i, s in self.seats.items() if s.who.presentation]
            if shared:
                return shared[-1]
        if self.layout_name in ("speaker", "presentation") and self.speaker in self.seats:
            return self.speaker
        return None

    def set_speaker(self, participant: int | None) -> bool:
        """True if the speaker changed (and the cells are placed again)."""
        changed = participant != self.speaker
        if changed:
            self.speaker = participant
            self.relayout()
        return changed

    def set_spotlight(self, participant: int | None) -> bool:
        changed = participant != self.spotlight
        if changed:
            self.spotlight = participant
            self.relayout()
        return changed

    def relayout(self) -> None:
        """Seats, speaker, spotlight or size changed: place the cells again on the next paint."""
        self._cells = None
        self.update()

    def cells(self) -> dict[int, QRectF]:
        if self._cells is None:
            w, h = float(self.width()), float(self.height())
            large = self.large()
            if large is not None and len(self.seats) > 1:
                others = [i for i in self.seats if i != large]
                placed = large_and_strip(large, others, w, h, side=self.layout_name == "presentation")
            else:
                placed = list(zip(self.seats, gallery_cells(len(self.seats), w, h)))
            self._cells = {who: cell.adjusted(3, 3, -3, -3) for who, cell in placed}
            self.boxes = {who: (int(cell.width()), int(cell.height())) for who, cell in self._cells.items()}
        return self._cells

    def seat_changed(self, participant: int) -> None:
        cell = self.cells().get(participant)
        if cell is not None:
            self.update(cell.toAlignedRect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cells = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dirty = QRectF(event.rect())
        painter.fillRect(dirty, QColor("#0d1117"))
        if not self.seats:
            painter.setPen(QColor("#8b949e"))
            painter.setFont(self.message_font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        large = self.large()
        for participant, cell in self.cells().items():
            if cell.intersects(dirty):
                self._seat(painter, self.seats[participant], cell,
                           participant == self.speaker and participant != large, participant == self.spotlight)
        painter.end()

    def _seat(self, painter: QPainter, seat: Seat, cell: QRectF, speaking: bool, spotlit: bool) -> None:
        painter.fillRect(cell, QColor("#161b22"))
        image = seat.image
        if image is not None and seat.stalled:
            if seat.grey is None:
                seat.grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
            image = seat.grey
        if image is not None:
            size = image.size()
            if size.width() > cell.width() + 1 or size.height() > cell.height() + 1 or (
                    size.width() < cell.width() - 2 and size.height() < cell.height() - 2):
                size = size.scaled(cell.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)  # until frames fit
            target = QRectF(cell.x() + (cell.width() - size.width()) / 2,
                            cell.y() + (cell.height() - size.height()) / 2, size.width(), size.height())
            if target.size() == QRectF(image.rect()).size():
                painter.drawImage(target.topLeft(), image)
            else:
                painter.drawImage(target, image)
        if speaking or spotlit:
            painter.setPen(QPen(QColor("#f0b429" if spotlit else "#3fb950"), 4))
            painter.drawRect(cell.adjusted(2, 2, -2, -2))
        self._band(painter, seat, cell)
        if seat.stalled or seat.image is None:
            painter.setPen(QColor("#f85149"))
            painter.setFont(self.name_font)
            text = self.lost_text if seat.stalled else ("camera ✕" if seat.who.camera_off else "…")
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)

    def _band(self, painter: QPainter, seat: Seat, cell: QRectF) -> None:
        """Name and unit, then the microphone, camera and connection badges on the right."""
        band = QRectF(cell.x(), cell.bottom() - BAND, cell.width(), BAND)
        painter.fillRect(band, QColor(0, 0, 0, 160))
        right = band.right() - 8
        if seat.quality:
            colour = QColor(QUALITY_COLOURS.get(seat.quality, "#8b949e"))
            bars = {"good": 3, "fair": 2, "poor": 1}.get(seat.quality, 0)
            for n in range(3):
                height = 8 + 5 * n
                bar = QRectF(right - 24 + n * 8, band.bottom() - 8 - height, 5, height)
                painter.fillRect(bar, colour if n < bars else QColor("#484f58"))
            right -= 32
        for off, label in ((seat.mic_off, "MIC"), (seat.who.camera_off, "CAM")):
            if off:
                box = QRectF(right - 38, band.y() + 10, 36, BAND - 20)
                painter.fillRect(box, QColor("#b62324"))
                painter.setPen(QColor("#ffffff"))
                painter.setFont(self.badge_font)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
                painter.drawLine(QPointF(box.left() + 3, box.bottom() - 3), QPointF(box.right() - 3, box.top() + 3))
                right -= 42
        text = band.adjusted(10, 2, -(band.right() - right) - 4, -2)
        painter.setPen(QColor("#e6edf3"))
        painter.setFont(self.name_font)
        name = f"{self.presenting_text}: {seat.who.name}" if seat.who.presentation else seat.who.name
        if seat.who.unit and band.height() >= BAND:
            upper, lower = QRectF(text.x(), text.y(), text.width(), text.height() * 0.58), \
                QRectF(text.x(), text.y() + text.height() * 0.55, text.width(), text.height() * 0.45)
            painter.drawText(upper, Qt.AlignmentFlag.AlignVCenter, painter.fontMetrics().elidedText(
                name, Qt.TextElideMode.ElideRight, int(upper.width())))
            painter.setFont(self.unit_font)
            painter.setPen(QColor("#c9d1d9"))
            painter.drawText(lower, Qt.AlignmentFlag.AlignVCenter, painter.fontMetrics().elidedText(
                seat.who.unit, Qt.TextElideMode.ElideRight, int(lower.width())))
        else:
            painter.drawText(text, Qt.AlignmentFlag.AlignVCenter, painter.fontMetrics().elidedText(
                name, Qt.TextElideMode.ElideRight, int(text.width())))


def seat_frame(view: ConferenceView, participant: int, frame: np.ndarray) -> None:
    """Show FRAME (BGRA) as PARTICIPANT's newest picture."""
    seat = view.seats.get(participant)
    if seat is None:  # a frame decoded after its participant left: no seat comes back for it
        return
    height, width = frame.shape[:2]
    seat.pixels = np.ascontiguousarray(frame)
    seat.image = QImage(seat.pixels.data, width, height, seat.pixels.strides[0], QImage.Format.Format_RGB32)
    seat.grey = None
    seat.stalled = False
    seat.frames += 1
    view.seat_changed(participant)


def seat_event(view: ConferenceView, event: dict[str, object], rejoining: str, alone: str) -> None:
    """A room event: who joined, left, renamed (microphone or camera), lost video, was muted by the chair."""
    kind, participant = event.get("event"), event.get("id")
    if isinstance(participant, int):
        seat = view.seats.get(participant)
        if kind in ("joined", "renamed"):
            who = parse_display(str(event.get("display", participant)))
            if seat is None:
                view.seats[participant] = Seat(who)
                view.relayout()
            else:
                seat.who = who
                if who.camera_off:  # no last picture kept of a camera turned off on purpose
                    seat.image = seat.pixels = seat.grey = None
                    seat.stalled = False
        elif kind == "left" and seat is not None:
            view.seats.pop(participant, None)
            view.relayout()
        elif kind in ("stalled", "video_stopped") and seat is not None:
            seat.stalled = True
        elif kind == "moderated" and seat is not None and event.get("kind") == "audio":
            seat.muted_by_chair = bool(event.get("muted"))
        elif kind == "quality" and seat is not None:
            seat.quality = str(event.get("quality", ""))
    elif kind == "state":
        state = event.get("state")
        if state == "rejoining":
            view.seats.clear()
            view.message = rejoining
            view.relayout()
        elif state == "joined":
            view.message = alone
    view.update()


@register_tile
class ConferenceTile(Tile):
    """`options.room` names a room of [conference.rooms]; `options.layout` is gallery, speaker or presentation."""

    type_name = "conference"

    def build(self, body: QWidget) -> None:
        layout_name = str(self.spec.options.get("layout", "gallery"))
        if layout_name not in LAYOUTS:
            raise ValueError(f"options.layout must be one of {', '.join(LAYOUTS)}, got {layout_name!r}")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = ConferenceView()
        self.view.layout_name = layout_name
        self.view.lost_text = self.tr("signal lost")
        self.view.presenting_text = self.tr("Presentation")
        self.view.message = self.tr("Joining the conference…")
        layout.addWidget(self.view)

    @property
    def room(self) -> str:
        return str(self.spec.options.get("room", ""))

    def wants(self, record: object) -> bool:
        return False

    def no_room(self) -> None:
        self.view.message = self.tr("No room %1 in [conference.rooms]").replace("%1", self.room or "?")
        self.view.update()

    def show_frame(self, participant: int, frame: np.ndarray) -> None:
        seat_frame(self.view, participant, frame)
        self.mark_fresh(time.time())

    def show_event(self, event: dict[str, object]) -> None:
        seat_event(self.view, event, self.tr("Reconnecting to the conference…"),
                   self.tr("Nobody else is in the room yet"))

    def set_speaker(self, participant: int | None) -> None:
        self.view.set_speaker(participant)

    def set_spotlight(self, participant: int | None) -> None:
        self.view.set_spotlight(participant)
