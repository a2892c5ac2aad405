"""Being in a conference at a console or a leader's tablet: pick a room, join and leave, microphone, camera and
screen sharing, the layout, a self-view, and — for the chair — mute, spotlight or remove the participant tapped,
and lock the room. Every action is a button big enough for a finger; the panel only shows and asks (signals), the
desktop's controller does it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from widgets.conference.conference_tile import LAYOUTS, ConferenceView, seat_event, seat_frame

TOUCH = 56  # px: the smallest button height a finger hits without looking twice


class TappableView(ConferenceView):
    """The conference view, where a tap on a participant selects them (for the chair's buttons)."""

    seatTapped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selected: int | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = QPointF(event.position())
        for participant, cell in self.cells().items():
            if cell.contains(point):
                self.selected = None if self.selected == participant else participant
                self.seatTapped.emit(participant)
                self.update()
                return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        cell = self.cells().get(self.selected) if self.selected is not None else None
        if cell is not None:
            painter = QPainter(self)
            painter.setPen(QPen(QColor("#58a6ff"), 6))
            painter.drawRect(cell.adjusted(3, 3, -3, -3))
            painter.end()


def _button(text: str, checkable: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    button.setMinimumWidth(TOUCH * 2)
    button.setCheckable(checkable)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class CallPanel(QWidget):
    joinRequested = Signal(str)  # the room's name in [conference.rooms]
    leaveRequested = Signal()
    microphoneToggled = Signal(bool)  # on
    cameraToggled = Signal(bool)
    shareToggled = Signal(bool)  # share this screen as the presentation
    chairRequested = Signal(str, int)  # mute, unmute, spotlight, unspotlight or remove; the participant
    lockToggled = Signal(bool)

    def __init__(self, rooms: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        """ROOMS: (name, description) of the rooms this person may pick."""
        super().__init__(parent)
        self.setObjectName("callPanel")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.rooms = QComboBox()
        self.rooms.setMinimumHeight(TOUCH)
        for name, description in rooms:
            self.rooms.addItem(description or name, name)
        self.join = _button(self.tr("Join"))
        self.leave = _button(self.tr("Leave"))
        self.status = QLabel(self.tr("Not in a conference"))
        self.status.setObjectName("callStatus")
        self.status.setWordWrap(True)
        top.addWidget(self.rooms, 2)
        top.addWidget(self.join)
        top.addWidget(self.leave)
        top.addWidget(self.status, 3)
        layout.addLayout(top)
        self.view = TappableView()
        self.view.lost_text = self.tr("signal lost")
        self.view.presenting_text = self.tr("Presentation")
        self.view.message = self.tr("Pick a room and join")
        self.view.setMinimumHeight(240)
        layout.addWidget(self.view, 1)
        self.self_view = QLabel(self.view)
        self.self_view.setObjectName("selfView")
        self.self_view.setFixedSize(240, 135)
        self.self_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.self_view.setStyleSheet("background: #000; color: #e6edf3; border: 2px solid #30363d;")
        self.self_view.hide()
        controls = QHBoxLayout()
        self.microphone = _button(self.tr("Microphone on"), checkable=True)
        self.camera = _button(self.tr("Camera on"), checkable=True)
        self.share = _button(self.tr("Share screen"), checkable=True)
        for button in (self.microphone, self.camera):
            button.setChecked(True)
        self.layouts = {name: _button(label, checkable=True) for name, label in (
            ("gallery", self.tr("Gallery")), ("speaker", self.tr("Speaker")),
            ("presentation", self.tr("Presentation")))}
        for name, button in self.layouts.items():
            button.setAutoExclusive(True)
            button.setChecked(name == "gallery")
            button.clicked.connect(lambda _c=False, n=name: self.set_layout(n))
        for button in (self.microphone, self.camera, self.share, *self.layouts.values()):
            controls.addWidget(button)
        layout.addLayout(controls)
        chair = QHBoxLayout()
        self.selected_label = QLabel(self.tr("Tap a participant to act on them"))
        self.mute = _button(self.tr("Mute"))
        self.spotlight = _button(self.tr("Spotlight"))
        self.remove = _button(self.tr("Remove"))
        self.lock = _button(self.tr("Lock room"), checkable=True)
        chair.addWidget(self.selected_label, 2)
        for button in (self.mute, self.spotlight, self.remove, self.lock):
            chair.addWidget(button)
        layout.addLayout(chair)
        self.chair_buttons = (self.mute, self.spotlight, self.remove, self.lock)
        self.join.clicked.connect(lambda: self.joinRequested.emit(str(self.rooms.currentData())))
        self.leave.clicked.connect(self.leaveRequested.emit)
        self.microphone.toggled.connect(self._microphone)
        self.camera.toggled.connect(self._camera)
        self.share.toggled.connect(self.shareToggled.emit)
        self.lock.toggled.connect(self.lockToggled.emit)
        self.mute.clicked.connect(self._mute)
        self.spotlight.clicked.connect(self._spotlight)
        self.remove.clicked.connect(lambda: self._chair("remove"))
        self.view.seatTapped.connect(lambda _p: self._selection())
        self.set_joined(False, chair=False)

    # what the controller tells it ---------------------------------------------------------------------------------
    def set_joined(self, joined: bool, chair: bool) -> None:
        self.join.setEnabled(not joined)
        self.rooms.setEnabled(not joined)
        self.leave.setEnabled(joined)
        for button in (self.microphone, self.camera, self.share):
            button.setEnabled(joined)
        for button in self.chair_buttons:
            button.setVisible(chair)
            button.setEnabled(joined)
        self.selected_label.setVisible(chair)
        if not joined:
            self.view.seats.clear()
            self.view.selected = self.view.spotlight = self.view.speaker = None
            self.lock.setChecked(False)
            self.view.message = self.tr("Pick a room and join")
            self.view.relayout()
            self.self_view.hide()
            self.share.setChecked(False)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def show_self(self, frame: np.ndarray | None) -> None:
        """The picture we send (BGRA), small in the corner; None: the camera is off or missing."""
        if frame is None:
            self.self_view.setPixmap(QPixmap())
            self.self_view.setText(self.tr("Camera off"))
        else:
            height, width = frame.shape[:2]
            image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_RGB32)
            self.self_view.setPixmap(QPixmap.fromImage(image).scaled(
                self.self_view.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        self.self_view.move(self.view.width() - self.self_view.width() - 8,
                            self.view.height() - self.self_view.height() - 48)
        self.self_view.show()
        self.self_view.raise_()

    def show_frame(self, participant: int, frame: np.ndarray) -> None:
        seat_frame(self.view, participant, frame)

    def show_event(self, event: dict[str, object]) -> None:
        seat_event(self.view, event, self.tr("Reconnecting to the conference…"),
                   self.tr("Nobody else is in the room yet"))
        if event.get("event") == "left" and event.get("id") == self.view.selected:
            self.view.selected = None
        self._selection()

    def set_speaker(self, participant: int | None) -> None:
        self.view.set_speaker(participant)

    def set_spotlight(self, participant: int | None) -> None:
        if self.view.set_spotlight(participant):
            self._selection()

    def set_layout(self, name: str) -> None:
        if name in LAYOUTS:
            self.view.layout_name = name
            self.layouts[name].setChecked(True)
            self.view.relayout()

    # the buttons -------------------------------------------------------------------------------------------------
    def _microphone(self, on: bool) -> None:
        self.microphone.setText(self.tr("Microphone on") if on else self.tr("Microphone off"))
        self.microphoneToggled.emit(on)

    def _camera(self, on: bool) -> None:
        self.camera.setText(self.tr("Camera on") if on else self.tr("Camera off"))
        self.cameraToggled.emit(on)

    def _selection(self) -> None:
        seat = self.view.seats.get(self.view.selected) if self.view.selected is not None else None
        if seat is None:
            self.selected_label.setText(self.tr("Tap a participant to act on them"))
        else:
            self.selected_label.setText(seat.who.name + (f" — {seat.who.unit}" if seat.who.unit else ""))
        for button in (self.mute, self.spotlight, self.remove):
            button.setEnabled(seat is not None)
        if seat is not None:
            self.mute.setText(self.tr("Let speak") if seat.muted_by_chair else self.tr("Mute"))
            self.spotlight.setText(self.tr("End spotlight") if self.view.selected == self.view.spotlight
                                   else self.tr("Spotlight"))

    def _mute(self) -> None:
        seat = self.view.seats.get(self.view.selected) if self.view.selected is not None else None
        if seat is not None:
            self._chair("unmute" if seat.muted_by_chair else "mute")

    def _spotlight(self) -> None:
        self._chair("unspotlight" if self.view.selected == self.view.spotlight else "spotlight")

    def _chair(self, action: str) -> None:
        if self.view.selected is not None:
            self.chairRequested.emit(action, self.view.selected)
