"""The demo's conference: Debian's Janus started on 127.0.0.1 with the program's configuration for the demo's
rooms, and a simulated participant in each (a commune's camera — the simulator's intersection — and a voice that
speaks now and then), so `controlroom demo` shows a live room with no server of its own.

Media goes over the machine's own network address (Janus leaves loopback out of ICE): on a machine with no
network interface up, the room's participants are listed but their pictures do not come. Nothing here runs on
the GUI thread; a missing `janus` is said once in the log and on the call pages."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from feeds.conference.janus_config import JanusListen, write_janus_config
from feeds.conference.member import RoomMember
from feeds.conference.naming import Who, display_for
from feeds.conference.settings import ConferenceSettings
from feeds.conference.tracks import FrameTrack, Tone
from feeds.core.secrets import get_secret
from feeds.video.frames import Frame
from feeds.video.streams import VideoStream

log = logging.getLogger(__name__)

TALK_S, QUIET_S = 6.0, 14.0  # the simulated commune speaks this long, then listens this long


def _listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


class EmbeddedConference:
    def __init__(self, settings: ConferenceSettings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.janus: subprocess.Popen[bytes] | None = None
        self.members: list[RoomMember] = []
        self.cameras: list[VideoStream] = []
        self.problem = ""  # why there is no demo conference, for the call pages
        self.starting: threading.Thread | None = None
        self._began = time.monotonic()

    def start(self) -> None:
        """Start once (called when a room is first wanted: nothing runs for a demo nobody joins)."""
        if self.starting is not None:
            return
        self.starting = threading.Thread(target=self._start, name="conference-demo", daemon=True)
        self.starting.start()

    def _start(self) -> None:
        rooms = list(self.settings.rooms.values())
        if not rooms:
            return
        address = rooms[0].address
        if not _listening(address.host, address.port):
            if shutil.which("janus") is None:
                self.problem = "Janus is not installed (apt-get install janus): the demo has no conference"
                log.warning(self.problem)
                return
            try:
                config = write_janus_config(self.folder, self.settings,
                                            JanusListen(address.host, address.port, (20000, 20200)), get_secret)
                with (self.folder / "janus.log").open("ab") as out:
                    self.janus = subprocess.Popen(["janus", "-C", str(config), "-F", str(self.folder)],
                                                  stdout=out, stderr=subprocess.STDOUT)
            except OSError as exc:
                self.problem = f"the demo's Janus did not start: {exc}"
                log.error(self.problem)
                return
            deadline = time.monotonic() + 15
            while not _listening(address.host, address.port):
                if time.monotonic() > deadline or self.janus.poll() is not None:
                    self.problem = f"the demo's Janus did not start (see {self.folder / 'janus.log'})"
                    log.error(self.problem)
                    return
                time.sleep(0.2)
            for n, room in enumerate(rooms):  # (another demo process's Janus already there: it has them)
                self._simulated_participant(room.address.api, room.address.room, room.description, n)
        log.info("demo conference on %s", address.api)

    def _simulated_participant(self, api: str, room: int, unit: str, n: int) -> None:
        track = FrameTrack(fps=10)
        camera = VideoStream(f"sim://camera/{n + 2}", lambda frame, t=track: self._frame(t, frame), size=(640, 360),
                             fps=10, name="commune-camera")
        self.cameras.append(camera.start())
        member = RoomMember(api, room, display_for(Who("Chủ tịch UBND", unit)), lambda *_a: None, lambda _e: None,
                            publish=lambda: [track, Tone(self._talking)], watch=False)
        member.start()
        self.members.append(member)

    @staticmethod
    def _frame(track: FrameTrack, frame: Frame) -> None:
        track.push(frame.image)

    def _talking(self) -> bool:
        return (time.monotonic() - self._began) % (TALK_S + QUIET_S) < TALK_S

    def stop(self) -> None:
        if self.starting is not None:
            self.starting.join(timeout=20)
        for member in self.members:
            member.stop()
        for camera in self.cameras:
            camera.stop()
        if self.janus is not None:
            self.janus.terminate()
            try:
                self.janus.wait(10)
            except subprocess.TimeoutExpired:
                self.janus.kill()
