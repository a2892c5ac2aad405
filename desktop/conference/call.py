"""A person's conference: the call panel bound to a room member that publishes this terminal's camera and
microphone, a second member that shares the screen as the presentation, and the chair's actions — each checked
(and audited) against the identity rules where it is carried out. Nothing here waits on the network: the members
run on their own loops, and what comes of an action returns as a queued signal."""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from desktop.windows.conference import RoomBridge
from feeds.conference.member import RoomMember
from feeds.conference.naming import Who, display_for
from feeds.conference.settings import ConferenceSettings, RoomSettings
from feeds.conference.signalling import JanusError
from feeds.conference.tracks import FrameTrack, open_microphone
from feeds.core.secrets import get_secret
from feeds.identity.roles import Decision, Target
from feeds.video.frames import Frame
from feeds.video.streams import VideoStream
from widgets.conference.call_panel import CallPanel

log = logging.getLogger(__name__)

SHARE_FPS = 5  # a shared screen changes slowly; what matters is that text stays sharp
SHARE_SIZE = (1280, 720)
PAGE_SIZE = (1280, 1280)  # a portrait page keeps its text readable: up to 1280 high


class CallController(QObject):
    selfFrame = Signal(object)  # camera worker → GUI: the newest picture we send (for the self-view)
    outcome = Signal(str)  # room thread → GUI: what came of an action, for the status line
    removed = Signal()  # room thread → GUI: the chair removed us
    sharingStopped = Signal()  # the paper viewer's button follows

    def __init__(self, panel: CallPanel, settings: ConferenceSettings, who: Callable[[], Who],
                 check: Callable[[str, Target], Decision], language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.settings = settings
        self.who = who
        self.check = check
        self.language = language
        self.room: RoomSettings | None = None
        self.member: RoomMember | None = None
        self.sharer: RoomMember | None = None
        self.bridge: RoomBridge | None = None
        self.camera: VideoStream | None = None
        self.track: FrameTrack | None = None
        self.share_track: FrameTrack | None = None
        self.chair = False
        self.share_source: Callable[[], QImage] | None = None  # what is shared: None, the screen
        self._shared_key = 0
        self.retired: list[tuple[RoomMember, RoomBridge | None]] = []
        self._preview_pending = False
        self._preview_lock = threading.Lock()
        self._preview: np.ndarray | None = None
        self.share_timer = QTimer(self)
        self.share_timer.timeout.connect(self._grab_screen)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(lambda: self.bridge.tick() if self.bridge is not None else None)
        panel.joinRequested.connect(self.join)
        panel.leaveRequested.connect(self.leave)
        panel.microphoneToggled.connect(self._microphone)
        panel.cameraToggled.connect(self._camera)
        panel.shareToggled.connect(self._share)
        panel.chairRequested.connect(self._chair)
        panel.lockToggled.connect(self._lock)
        self.selfFrame.connect(self._show_self)
        self.outcome.connect(panel.show_status)
        self.removed.connect(self._removed)

    def _refused(self, decision: Decision) -> None:
        self.panel.show_status(self.tr("Refused: %1").replace("%1", decision.reason(self.language)))

    # joining and leaving ----------------------------------------------------------------------------------------
    def join(self, name: str) -> None:
        room = self.settings.rooms.get(name)
        if room is None or self.member is not None:
            return
        decision = self.check("conference.publish", Target(detail=name))  # a call page sends camera and sound
        if not decision.allowed:
            self._refused(decision)
            return
        self.chair = self.check("conference.chair", Target(detail=name)).allowed
        self.room = room
        self.track = FrameTrack()
        self.camera = self._open_camera(self.track)
        self.bridge = RoomBridge(self.panel)
        person = self.who()
        own_share = display_for(Who(person.name, person.unit, presentation=True))
        bridge = self.bridge
        self.member = RoomMember(room.address.api, room.address.room, display_for(person), bridge.on_frame,
                                 lambda event: self._on_event(bridge, event), pin=get_secret(room.pin_name),
                                 publish=self._tracks,
                                 frame_box=self.bridge.box, skip=lambda display: display == own_share,
                                 secret=get_secret(room.secret_name) if self.chair else None,
                                 mic_on=self.panel.microphone.isChecked(), camera_on=self.panel.camera.isChecked())
        self.member.start()
        self.ticker.start(250)
        self.panel.set_joined(True, self.chair)
        self.panel.view.message = self.tr("Joining the conference…")
        self.panel.show_status(self.tr("Joining %1…").replace("%1", room.description))
        if self.camera is None:
            self.panel.show_self(None)

    def _tracks(self) -> list[Any]:
        """A fresh track set for each join (a track ends with the connection it was sent on)."""
        self.track = FrameTrack()
        tracks: list[Any] = [self.track]
        microphone = open_microphone(self.settings.microphone)
        if microphone is not None:
            tracks.append(microphone)
        elif self.settings.microphone:
            self.outcome.emit(self.tr("The microphone %1 cannot be opened: joined without sound").replace(
                "%1", self.settings.microphone))
        return tracks

    def _open_camera(self, track: FrameTrack) -> VideoStream | None:
        if not self.settings.camera:
            return None
        stream = VideoStream(self.settings.camera, self._camera_frame, size=(640, 360), fps=15,
                             name="conference-camera")
        stream.start()
        return stream

    def _camera_frame(self, frame: Frame) -> None:  # camera worker thread
        if self.track is not None:
            self.track.push(frame.image)
        with self._preview_lock:
            self._preview = frame.image
            send, self._preview_pending = not self._preview_pending, True
        if send:
            self.selfFrame.emit(None)

    def _show_self(self, _unused: object) -> None:
        with self._preview_lock:
            frame, self._preview, self._preview_pending = self._preview, None, False
        if frame is not None and self.member is not None:
            self.panel.show_self(frame if self.panel.camera.isChecked() else None)

    def _on_event(self, bridge: RoomBridge, event: dict[str, Any]) -> None:  # room thread, this member's bridge
        bridge.on_event(event)
        if bridge.closed:
            return
        if event.get("event") == "moderated" and self.member is not None and event.get("id") == self.member.own_id \
                and event.get("kind") == "audio":
            self.outcome.emit(self.tr("The chair muted your microphone") if event.get("muted")
                              else self.tr("The chair lets you speak again"))
        if event.get("event") == "state" and event.get("state") == "removed":
            self.removed.emit()
        if event.get("event") == "state":
            texts = {"joined": self.tr("In the conference: %1"), "rejoining": self.tr("Connection lost, rejoining %1…"),
                     "removed": self.tr("The chair removed you from %1")}
            text = texts.get(str(event.get("state")))
            if text is not None and self.room is not None:
                self.outcome.emit(text.replace("%1", self.room.description))

    def _removed(self) -> None:
        room = self.room.description if self.room is not None else ""
        self.leave()
        self.panel.show_status(self.tr("The chair removed you from %1").replace("%1", room))

    def leave(self) -> None:
        self._share(False)
        member, camera, bridge = self.member, self.camera, self.bridge
        self.member = self.camera = self.bridge = None
        self.ticker.stop()
        if bridge is not None:
            bridge.closed = True
        if member is not None:
            # the bridge is kept until the member's thread is gone (a QObject must not die on another thread)
            self.retired = [(m, b) for m, b in self.retired if m.thread.is_alive()] + [(member, bridge)]
            threading.Thread(target=member.stop, name="conference-leave", daemon=True).start()
        if camera is not None:
            threading.Thread(target=camera.stop, name="conference-camera-stop", daemon=True).start()
        self.panel.set_joined(False, chair=False)
        self.panel.show_status(self.tr("Not in a conference"))

    def stop(self) -> None:
        """The program ends: leave now, waiting for it."""
        self.share_timer.stop()
        for member in (self.sharer, self.member):
            if member is not None:
                member.stop()
        if self.camera is not None:
            self.camera.stop()
        self.sharer = self.member = self.camera = None

    # microphone, camera, sharing --------------------------------------------------------------------------------
    def _watch(self, future: concurrent.futures.Future[None], done: str) -> None:
        def finished(f: concurrent.futures.Future[None]) -> None:
            error = f.exception()
            self.outcome.emit(done if error is None else self.tr("Not done: %1").replace("%1", str(error)))
            if error is not None and not isinstance(error, JanusError):
                log.error("conference action failed: %s", error)
        future.add_done_callback(finished)

    def _microphone(self, on: bool) -> None:
        if self.member is not None:
            self._watch(self.member.set_microphone(on), self.tr("Microphone on") if on else self.tr("Microphone off"))

    def _camera(self, on: bool) -> None:
        if self.member is not None:
            self._watch(self.member.set_camera(on), self.tr("Camera on") if on else self.tr("Camera off"))
            if not on:
                self.panel.show_self(None)

    def _share(self, on: bool) -> None:
        if on and self.sharer is None and self.room is not None:
            self.share_track = FrameTrack(fps=SHARE_FPS, width=SHARE_SIZE[0], height=SHARE_SIZE[1])
            track = self.share_track
            person = self.who()
            self.sharer = RoomMember(self.room.address.api, self.room.address.room,
                                     display_for(Who(person.name, person.unit, presentation=True)),
                                     lambda *_a: None, self._share_event, pin=get_secret(self.room.pin_name),
                                     publish=lambda: [track], watch=False)
            self.sharer.start()
            self._grab_screen()
            self.share_timer.start(1000 // SHARE_FPS)
            self.panel.show_status(self.tr("Sharing this screen"))
        elif not on and self.sharer is not None:
            sharer, self.sharer = self.sharer, None
            self.share_source = None
            self._shared_key = 0
            self.sharingStopped.emit()
            self.share_timer.stop()
            threading.Thread(target=sharer.stop, name="conference-unshare", daemon=True).start()
            self.panel.show_status(self.tr("Sharing stopped"))
        if self.panel.share.isChecked() != (self.sharer is not None):
            self.panel.share.setChecked(self.sharer is not None)

    def _share_event(self, event: dict[str, Any]) -> None:  # the sharer's room thread
        if event.get("event") == "state" and event.get("state") == "rejoining":
            self.outcome.emit(self.tr("The shared screen is not in the room: %1").replace(
                "%1", str(event.get("reason", ""))))
        elif event.get("event") == "state" and event.get("state") == "joined":
            self.outcome.emit(self.tr("Sharing this screen"))

    def share_paper(self, on: bool, page: Callable[[], QImage]) -> bool:
        """Share a paper from the meeting viewer (the page on its screen) as the presentation, not the screen;
        False when not in a conference (said on the call page)."""
        if on and self.member is None:
            self.panel.show_status(self.tr("Join a conference first to show a paper in it"))
            return False
        self.share_source = page if on else None
        self._share(on)
        return True

    def _grab_screen(self) -> None:
        if self.share_track is None:
            return
        if self.share_source is not None:
            page = self.share_source()
            if not page.isNull() and page.cacheKey() != self._shared_key:  # the same page is not converted again
                self._shared_key = page.cacheKey()
                self.share_track.push(_pixels(page, PAGE_SIZE))
            return
        screen = self.panel.screen()
        picture = screen.grabWindow(0).toImage() if screen is not None else QImage()
        if picture.isNull() or picture.width() < 2:  # no access to the screen (a kiosk, offscreen): our window
            picture = self.panel.window().grab().toImage()
        self.share_track.push(_pixels(picture))

    # the chair -------------------------------------------------------------------------------------------------
    def _as_chair(self, what: str) -> RoomMember | None:
        """Our member if the signed-in person may chair (checked and audited now), else None (and said why)."""
        if self.member is None or self.room is None:
            return None
        decision = self.check("conference.chair", Target(detail=f"{self.room.name} {what}"))
        if not decision.allowed:
            self._refused(decision)
            return None
        return self.member

    def _chair(self, action: str, participant: int) -> None:
        member = self._as_chair(f"{action} {participant}")
        if member is None:
            return
        work = {"mute": lambda: member.mute(participant, True), "unmute": lambda: member.mute(participant, False),
                "spotlight": lambda: member.set_spotlight(participant),
                "unspotlight": lambda: member.set_spotlight(None), "remove": lambda: member.remove(participant)}
        done = {"mute": self.tr("Muted"), "unmute": self.tr("May speak again"),
                "spotlight": self.tr("In the spotlight"), "unspotlight": self.tr("Spotlight ended"),
                "remove": self.tr("Removed from the room")}
        if action in work:
            self._watch(work[action](), done[action])

    def _lock(self, locked: bool) -> None:
        member = self._as_chair(f"lock {locked}")
        if member is not None:
            self._watch(member.lock(locked), self.tr("Room locked") if locked else self.tr("Room open"))


def _pixels(image: QImage, box: tuple[int, int] = SHARE_SIZE) -> np.ndarray:
    """IMAGE as BGRA pixels, no larger than BOX, with even sides (what the encoder takes)."""
    from PySide6.QtCore import Qt

    if image.width() > box[0] or image.height() > box[1]:
        image = image.scaled(box[0], box[1], Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width() & ~1, image.height() & ~1
    pixels = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(image.height(),
                                                                                      image.bytesPerLine() // 4, 4)
    return pixels[:height, :width].copy()
