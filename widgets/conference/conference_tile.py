"""A conference on the wall: each participant's newest frame with their name, in a gallery (a grid by how many
there are) or with the active speaker large and the others in a filmstrip. A participant whose video stops
keeps its last picture, greyed, marked "mất tín hiệu" like a lost camera."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from widgets.base.registry import register_tile
from widgets.base.tile import Tile

LAYOUTS = ("gallery", "speaker")


@dataclass
class Seat:
    name: str
    image: QImage | None = None
    stalled: bool = False
    frames: int = 0


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


class ConferenceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seats: dict[int, Seat] = {}
        self.layout_name = "gallery"
        self.speaker: int | None = None
        self.message = ""
        self.lost_text = "mất tín hiệu"

    def cells(self) -> list[tuple[int, QRectF]]:
        ids = list(self.seats)
        w, h = float(self.width()), float(self.height())
        if self.layout_name == "speaker" and self.speaker in self.seats and len(ids) > 1:
            others = [i for i in ids if i != self.speaker]
            strip = h * 0.22
            cells = [(self.speaker, QRectF(0, 0, w, h - strip))]
            width = w / max(len(others), 4)
            return cells + [(i, QRectF(n * width, h - strip, width, strip)) for n, i in enumerate(others)]
        return list(zip(ids, gallery_cells(len(ids), w, h)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0d1117"))
        if not self.seats:
            painter.setPen(QColor("#8b949e"))
            painter.setFont(QFont(self.font().family(), 16))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            return
        for participant, cell in self.cells():
            self._seat(painter, self.seats[participant], cell.adjusted(3, 3, -3, -3), participant == self.speaker)
        painter.end()

    def _seat(self, painter: QPainter, seat: Seat, cell: QRectF, speaking: bool) -> None:
        painter.fillRect(cell, QColor("#161b22"))
        if seat.image is not None:
            image = seat.image.convertToFormat(QImage.Format.Format_Grayscale8) if seat.stalled else seat.image
            scaled = image.size().scaled(cell.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(cell.x() + (cell.width() - scaled.width()) / 2,
                            cell.y() + (cell.height() - scaled.height()) / 2, scaled.width(), scaled.height())
            painter.drawImage(target, image)
        if speaking:
            painter.setPen(QPen(QColor("#3fb950"), 4))
            painter.drawRect(cell)
        band = QRectF(cell.x(), cell.bottom() - 34, cell.width(), 34)
        painter.fillRect(band, QColor(0, 0, 0, 150))
        painter.setPen(QColor("#e6edf3"))
        painter.setFont(QFont(self.font().family(), 13, QFont.Weight.Bold))
        painter.drawText(band.adjusted(10, 0, -10, 0), Qt.AlignmentFlag.AlignVCenter, seat.name)
        if seat.stalled or seat.image is None:
            painter.setPen(QColor("#f85149"))
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, self.lost_text if seat.stalled else "…")


@register_tile
class ConferenceTile(Tile):
    """`options.room` names a room of [conference.rooms]; `options.layout` is gallery or speaker."""

    type_name = "conference"

    def build(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = ConferenceView()
        self.view.layout_name = str(self.spec.options.get("layout", "gallery"))
        if self.view.layout_name not in LAYOUTS:
            raise ValueError(f"options.layout must be one of {', '.join(LAYOUTS)}, got {self.view.layout_name!r}")
        self.view.lost_text = self.tr("signal lost")
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
        seat = self._seat(participant)
        height, width = frame.shape[:2]
        seat.image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()
        seat.stalled = False
        seat.frames += 1
        self.mark_fresh(time.time())
        self.view.update()

    def _seat(self, participant: int) -> Seat:
        return self.view.seats.setdefault(participant, Seat(str(participant)))

    def show_event(self, event: dict[str, object]) -> None:
        kind, participant = event.get("event"), event.get("id")
        if kind == "joined" and isinstance(participant, int):
            self._seat(participant).name = str(event.get("display", participant))
        elif kind == "left" and isinstance(participant, int):
            self.view.seats.pop(participant, None)
        elif kind in ("stalled", "video_stopped") and isinstance(participant, int) and participant in self.view.seats:
            self.view.seats[participant].stalled = True
        elif kind == "state":
            state = event.get("state")
            if state == "rejoining":
                self.view.seats.clear()
                self.view.message = self.tr("Reconnecting to the conference…")
            elif state == "joined":
                self.view.message = self.tr("Nobody else is in the room yet")
        self.view.update()

    def set_speaker(self, participant: int | None) -> None:
        if participant != self.view.speaker:
            self.view.speaker = participant
            self.view.update()
