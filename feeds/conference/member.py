"""Being in a room: publish our own video (optional), receive everyone else's, follow who joins, leaves, talks.

A `RoomMember` runs on an asyncio loop of its own (a thread), like any source: the GUI never waits on it. Each
remote participant's video is decoded on that loop and handed on as the newest frame only (`on_frame`);
participant changes, talking and the connection's state go to `on_event`. If Janus goes away or restarts the
member rejoins by itself, under the same display name, after removing what it left behind."""

from __future__ import annotations

import asyncio
import concurrent.futures
import fractions
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

from feeds.conference.signalling import JanusError, JanusSession, VideoRoom

log = logging.getLogger(__name__)

FrameSink = Callable[[int, np.ndarray, float], None]  # (participant, BGR frame, time)
EventSink = Callable[[dict[str, Any]], None]


@dataclass
class Participant:
    id: int
    display: str


class Tone(MediaStreamTrack):
    """A synthetic microphone: a 440 Hz tone (talking, for Janus's audio level) or silence, 20 ms a frame."""

    kind = "audio"

    def __init__(self, talking: Callable[[], bool] = lambda: True, rate: int = 48000) -> None:
        super().__init__()
        self.talking, self.rate, self.sent = talking, rate, 0
        self.started = 0.0

    async def recv(self) -> AudioFrame:
        samples = self.rate // 50
        if not self.started:
            self.started = time.time()
        wait = self.started + self.sent / self.rate - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        t = (np.arange(samples) + self.sent) / self.rate
        level = 0.5 if self.talking() else 0.0
        pcm = (np.sin(2 * np.pi * 440 * t) * level * 32767).astype(np.int16).reshape(1, -1)
        frame = AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = self.rate, self.sent, fractions.Fraction(1, self.rate)
        self.sent += samples
        return frame


class TestPattern(VideoStreamTrack):
    """A synthetic camera for rooms and tests without one: moving bars and a frame counter in the corner."""

    def __init__(self, width: int = 640, height: int = 360, shade: int = 0) -> None:
        super().__init__()
        self.width, self.height, self.shade, self.count = width, height, shade, 0

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        x = np.arange(self.width, dtype=np.uint16)
        row = ((x + self.count * 4) % 256).astype(np.uint8)
        image = np.empty((self.height, self.width, 3), np.uint8)
        image[:, :, 0] = row
        image[:, :, 1] = (self.shade * 40) % 256
        image[:, :, 2] = 255 - row
        image[:24, :120] = (self.count % 256)
        self.count += 1
        frame = VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts, frame.time_base = pts, time_base
        return frame


@dataclass
class RoomMember:
    api: str
    room: int
    display: str
    on_frame: FrameSink
    on_event: EventSink
    pin: str | None = None
    # makes our tracks (camera, microphone) anew at each join; None: a viewer (the wall)
    publish: Callable[[], list[MediaStreamTrack]] | None = None
    stall_s: float = 2.0  # no frame for this long: the participant's video is shown as lost
    participants: dict[int, Participant] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=f"room-{self.room}", daemon=True)
        self._stop = asyncio.Event()
        self._task: concurrent.futures.Future[None] | None = None
        self._tasks: set[asyncio.Future[None]] = set()  # kept until done (the loop holds only weak references)
        self.own_id = 0
        self.state = "joining"  # joined, rejoining, stopped
        self._last_frame: dict[int, float] = {}
        self._stalled: set[int] = set()

    # the thread --------------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.thread.start()
        self._task = asyncio.run_coroutine_threadsafe(self._run(), self.loop)

    def stop(self, timeout_s: float = 10.0) -> None:
        self.loop.call_soon_threadsafe(self._stop.set)
        if self._task is not None:
            try:
                self._task.result(timeout_s)
            except Exception:  # already logged where it happened
                pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout_s)

    def _emit(self, event: dict[str, Any]) -> None:
        try:
            self.on_event(event)
        except Exception:  # a listener's failure must not end the room
            log.exception("room %s: event listener failed", self.room)

    # the room ----------------------------------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self._session()
            except (JanusError, OSError, ValueError) as exc:
                log.warning("room %s: %s; rejoining", self.room, exc)
                self.state = "rejoining"
                self._emit({"event": "state", "state": "rejoining", "reason": str(exc)})
            if not self._stop.is_set():
                try:
                    await asyncio.wait_for(self._stop.wait(), 2.0)
                except TimeoutError:
                    pass
        self.state = "stopped"

    async def _session(self) -> None:
        session = JanusSession(self.api)
        lost = asyncio.Event()
        session.listeners.append(lambda e: lost.set() if e.get("janus") in ("lost", "timeout") else None)
        peers: list[RTCPeerConnection] = []
        self.participants = {}  # before joining: a publisher announced while we join is subscribed once
        try:
            await session.create()
            room = VideoRoom(session, self.room, self.pin)
            await room.attach()
            session.listeners.append(lambda e: self._plugin_event(e, room.handle, session, peers))
            joined = await room.join(self.display)
            self.own_id = int(joined["id"])
            if self.publish is not None:
                peers.append(await self._publish(session, room))
            for publisher in joined.get("publishers", []):
                await self._subscribe(session, publisher, peers)
            self.state = "joined"
            self._emit({"event": "state", "state": "joined", "id": self.own_id})
            stop = asyncio.ensure_future(self._stop.wait())
            gone = asyncio.ensure_future(lost.wait())
            watch = asyncio.ensure_future(self._watch())
            await asyncio.wait({stop, gone}, return_when=asyncio.FIRST_COMPLETED)
            for waiter in (stop, gone, watch):
                waiter.cancel()
            if lost.is_set() and not self._stop.is_set():
                raise JanusError(0, "the connection to Janus was lost")
        finally:
            for peer in peers:
                await peer.close()
            await session.destroy()

    async def _publish(self, session: JanusSession, room: VideoRoom) -> RTCPeerConnection:
        peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))  # on premises: no STUN on the internet
        assert self.publish is not None
        tracks = self.publish()  # a track ends with the connection it was sent on: new ones each time
        for track in tracks:
            peer.addTrack(track)
        kinds = {t.kind for t in tracks}
        await peer.setLocalDescription(await peer.createOffer())
        answer = await session.request(room.handle, {"request": "configure", "audio": "audio" in kinds,
                                                     "video": "video" in kinds},
                                       jsep={"type": "offer", "sdp": peer.localDescription.sdp})
        jsep = answer.get("jsep")
        if not isinstance(jsep, dict):
            raise JanusError(0, "Janus gave no answer to our offer")
        await peer.setRemoteDescription(RTCSessionDescription(jsep["sdp"], jsep["type"]))
        return peer

    async def _subscribe(self, session: JanusSession, publisher: dict[str, Any], peers: list[RTCPeerConnection]
                         ) -> None:
        feed, display = int(publisher["id"]), str(publisher.get("display", ""))
        # video only: the wall shows faces; a room's sound is the room system's (and unread audio would pile up)
        videos = [{"feed": feed, "mid": str(s["mid"])} for s in publisher.get("streams", []) or []
                  if s.get("type") == "video" and "mid" in s and not s.get("disabled")]
        if feed == self.own_id or feed in self.participants:
            return
        self.participants[feed] = Participant(feed, display)
        self._emit({"event": "joined", "id": feed, "display": display})
        handle = await session.attach()
        for attempt in range(10):  # a feed is subscribable only once its publisher's WebRTC is up (428 before)
            try:
                offer = await session.request(handle, {"request": "join", "ptype": "subscriber", "room": self.room,
                                                       "streams": videos or [{"feed": feed}], **({"pin": self.pin}
                                                                                      if self.pin else {})})
                break
            except JanusError as exc:
                if exc.code != 428 or attempt == 9:
                    raise
                await asyncio.sleep(0.3)
        peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        peers.append(peer)

        @peer.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "video":
                self._keep(asyncio.ensure_future(self._frames(feed, track)))

        jsep = offer.get("jsep")
        if not isinstance(jsep, dict):
            raise JanusError(0, f"Janus offered no media for participant {display}")
        await peer.setRemoteDescription(RTCSessionDescription(jsep["sdp"], jsep["type"]))
        await peer.setLocalDescription(await peer.createAnswer())
        await session.request(handle, {"request": "start"}, jsep={"type": "answer", "sdp": peer.localDescription.sdp})

    async def _watch(self) -> None:
        """A participant whose video stops (a dead link Janus has not noticed yet) is said to be stalled at once,
        and resumed when frames come again; the others are not held up."""
        while True:
            await asyncio.sleep(0.5)
            now = time.time()
            for feed in list(self.participants):
                quiet = now - self._last_frame.get(feed, now) > self.stall_s
                if quiet and feed not in self._stalled:
                    self._stalled.add(feed)
                    self._emit({"event": "stalled", "id": feed})
                elif not quiet and feed in self._stalled:
                    self._stalled.discard(feed)
                    self._emit({"event": "resumed", "id": feed})

    async def _frames(self, feed: int, track: MediaStreamTrack) -> None:
        """Decode on this loop; hand on each frame as the newest (the receiver drops what it cannot show)."""
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                self._emit({"event": "video_stopped", "id": feed})
                return
            if not isinstance(frame, VideoFrame):
                continue
            self._last_frame[feed] = time.time()
            try:
                self.on_frame(feed, frame.to_ndarray(format="bgr24"), time.time())
            except Exception:
                log.exception("room %s: frame sink failed", self.room)

    def _plugin_event(self, event: dict[str, Any], handle: int, session: JanusSession,
                      peers: list[RTCPeerConnection]) -> None:
        if event.get("sender") != handle:
            return
        data = (event.get("plugindata") or {}).get("data") or {}
        for publisher in data.get("publishers", []) or []:
            self._keep(asyncio.ensure_future(self._guarded(self._subscribe(session, publisher, peers))))
        for key in ("unpublished", "leaving"):
            gone = data.get(key)
            if isinstance(gone, int) and gone in self.participants:
                self.participants.pop(gone)
                self._emit({"event": "left", "id": gone})
        if data.get("videoroom") in ("talking", "stopped-talking") and "id" in data:
            self._emit({"event": data["videoroom"], "id": int(data["id"])})
        if data.get("videoroom") == "event" and data.get("moderation") == "muted" and "id" in data:
            self._emit({"event": "muted", "id": int(data["id"])})

    def _keep(self, task: asyncio.Future[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Any) -> None:
        try:
            await work
        except (JanusError, OSError, ValueError) as exc:
            log.warning("room %s: a participant could not be followed: %s", self.room, exc)
