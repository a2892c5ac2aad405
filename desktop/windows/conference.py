"""Binds conference tiles to room members: one viewer per tile in its room, frames and events to the tile on
the GUI thread (newest frame per participant only), the active speaker from talking events."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.windows.tile_grid import TileGrid
from feeds.conference.member import RoomMember
from feeds.conference.settings import ConferenceSettings
from feeds.conference.speaker import ActiveSpeaker
from feeds.core.secrets import get_secret
from widgets.conference.conference_tile import ConferenceTile, ConferenceView

log = logging.getLogger(__name__)


class ConferenceScreen(Protocol):
    """What shows a room: the wall's conference tile, a console's or tablet's call panel."""

    view: ConferenceView

    def show_frame(self, participant: int, frame: np.ndarray) -> None: ...

    def show_event(self, event: dict[str, Any]) -> None: ...

    def set_speaker(self, participant: int | None) -> None: ...

    def set_spotlight(self, participant: int | None) -> None: ...


class RoomBridge(QObject):
    """Room loop → GUI thread. Frames: the newest per participant, one delivery pending at a time."""

    framesReady = Signal()
    eventReady = Signal(object)

    def __init__(self, tile: ConferenceScreen) -> None:
        super().__init__()
        self.tile = tile
        self.view = tile.view  # its `boxes` are read on the room's thread: a Python attribute, not the widget
        self.closed = False
        self.speaker = ActiveSpeaker()
        self._lock = threading.Lock()
        self._newest: dict[int, np.ndarray] = {}
        self._pending = False
        self.framesReady.connect(self._deliver)
        self.eventReady.connect(self._event)

    def box(self, participant: int) -> tuple[int, int] | None:  # room thread: the size its frames are shown at
        return self.view.boxes.get(participant)

    def on_frame(self, participant: int, frame: np.ndarray, at: float) -> None:  # room thread
        with self._lock:
            self._newest[participant] = frame  # replacing one the GUI has not taken yet: it was stale
            send, self._pending = not self._pending, True
        if send and not self.closed:
            self.framesReady.emit()

    def on_event(self, event: dict[str, Any]) -> None:  # room thread
        if not self.closed:
            self.eventReady.emit(event)

    @Slot()
    def _deliver(self) -> None:
        with self._lock:
            frames, self._newest, self._pending = self._newest, {}, False
        if not self.closed:
            for participant, frame in frames.items():
                self.tile.show_frame(participant, frame)

    @Slot(object)
    def _event(self, event: dict[str, Any]) -> None:
        if self.closed:
            return
        self.tile.show_event(event)
        if event["event"] == "spotlight":
            spotlight = event.get("id")
            self.tile.set_spotlight(spotlight if isinstance(spotlight, int) else None)
        now, who = time.monotonic(), event.get("id")
        if isinstance(who, int):
            if event["event"] == "talking":
                self.speaker.talking(who, now)
            elif event["event"] == "stopped-talking" or (event["event"] == "moderated" and event.get("muted")):
                self.speaker.stopped(who, now)
            elif event["event"] == "left":
                self.speaker.left(who, now)
        self.tile.set_speaker(self.speaker.update(now))

    def tick(self) -> None:
        if not self.closed:
            self.tile.set_speaker(self.speaker.update(time.monotonic()))


class ConferenceManager(QObject):
    def __init__(self, settings: ConferenceSettings | None, display: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or ConferenceSettings()
        self.display = display
        self.members: dict[int, tuple[RoomMember, RoomBridge]] = {}  # id(tile) → its room member
        # bridges of tiles gone, kept until their member's thread has ended: a QObject must not lose its last
        # reference on another thread (see CameraManager)
        self.retired: list[tuple[RoomMember, RoomBridge]] = []
        self.started = False
        self.room_wanted: list[Callable[[], None]] = []
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self._tick)

    def attach(self, grid: TileGrid) -> None:
        grid.tilesChanged.connect(lambda g=grid: self._scan(g))
        self._scan(grid)

    def start(self) -> None:
        self.started = True
        self.ticker.start(250)
        for member, _ in self.members.values():
            member.start()

    def _scan(self, grid: TileGrid) -> None:
        for tile in grid.tiles:
            if isinstance(tile, ConferenceTile) and id(tile) not in self.members:
                self._bind(tile)

    def _bind(self, tile: ConferenceTile) -> None:
        room = self.settings.rooms.get(tile.room)
        if room is None:
            tile.no_room()
            return
        for listener in self.room_wanted:  # (the demo starts its Janus when a room is first shown)
            listener()
        bridge = RoomBridge(tile)
        member = RoomMember(room.address.api, room.address.room, self.display, bridge.on_frame, bridge.on_event,
                            pin=get_secret(room.pin_name), frame_box=bridge.box)
        key = id(tile)
        self.members[key] = (member, bridge)
        tile.destroyed.connect(lambda _o=None: self._forget(key))
        if self.started:
            member.start()

    def _forget(self, key: int) -> None:
        found = self.members.pop(key, None)
        self.retired = [(m, b) for m, b in self.retired if m.thread.is_alive()]
        if found is not None:
            member, bridge = found
            bridge.closed = True
            if member.thread.is_alive():
                threading.Thread(target=member.stop, name="room-leave", daemon=True).start()
                self.retired.append(found)
            else:
                member.stop()  # never started: only its loop to close

    def _tick(self) -> None:
        for _, bridge in self.members.values():
            bridge.tick()

    def stop(self) -> None:
        self.ticker.stop()
        for member, bridge in self.members.values():
            bridge.closed = True
            member.stop()
        self.members.clear()
