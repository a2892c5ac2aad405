"""Being in a room: publish our own video (optional), receive everyone else's, follow who joins, leaves, talks.

A `RoomMember` runs on an asyncio loop of its own (a thread), like any source: the GUI never waits on it. Each
remote participant's video is decoded on that loop and handed on as the newest frame only (`on_frame`);
participant changes, talking and the connection's state go to `on_event`. If Janus goes away or restarts the
member rejoins by itself, under the same display name, after removing what it left behind."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import VideoFrame

from feeds.conference.naming import display_for, parse_display
from feeds.conference.recordings import recording_base
from feeds.conference.signalling import SPOTLIGHT_MARK, JanusError, JanusSession, VideoRoom

log = logging.getLogger(__name__)

FrameSink = Callable[[int, np.ndarray, float], None]  # (participant, BGRA frame, time)
EventSink = Callable[[dict[str, Any]], None]
NEARLY_FITS = 0.9  # a picture scaled by at least this is cropped to its cell instead (fit)
FrameBox = Callable[[int], "tuple[int, int] | None"]  # the size a participant is shown at, if known


def fit(frame: VideoFrame, box: tuple[int, int] | None) -> np.ndarray:
    """The frame as the screen wants it: BGRA (what a QImage RGB32 is in memory), fitted into BOX keeping its shape.
    Scaling while converting costs twice a plain conversion, so a frame that nearly fits (a gallery cell a few
    pixels smaller than the picture) is converted as it is and its edges cropped instead."""
    width, height = frame.width, frame.height
    if box is None or box[0] <= 0 or box[1] <= 0:
        return frame.to_ndarray(format="bgra")
    scale = min(box[0] / width, box[1] / height, 1.0)
    if scale >= NEARLY_FITS:
        array: np.ndarray = frame.to_ndarray(format="bgra")
        crop_x, crop_y = max(0, width - box[0]) // 2, max(0, height - box[1]) // 2
        return array[crop_y:height - crop_y, crop_x:width - crop_x]
    width, height = max(2, int(width * scale) & ~1), max(2, int(height * scale) & ~1)
    return frame.reformat(width=width, height=height, format="bgra").to_ndarray()


def without_bandwidth_estimation(sdp: str) -> str:
    """An offer without the abs-send-time header extension: aiortc would otherwise estimate the bandwidth and
    send a REMB report for many of the packets it receives, work a viewer on the site's own network does not need
    (Janus caps each publisher's bitrate itself)."""
    return "".join(line for line in sdp.splitlines(keepends=True) if "abs-send-time" not in line)


NOT_READ = "not read"  # the spotlight before the room's description was read this session
SPOTLIGHT = re.compile(re.escape(SPOTLIGHT_MARK) + r"(\d+)$")


def spotlight_of(description: str) -> int | None:
    found = SPOTLIGHT.search(description)
    return int(found.group(1)) if found else None


def connection_quality(received: int, lost: int, stalled: bool) -> str:
    """good, fair or poor from the packets received and lost since the last look (a stalled video is poor)."""
    if stalled or received + lost == 0:
        return "poor"
    share = lost / (received + lost)
    return "good" if share < 0.02 else "fair" if share < 0.08 else "poor"


@dataclass
class Participant:
    id: int
    display: str


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
    frame_box: FrameBox | None = None  # frames are scaled down to this before they are handed on
    watch: bool = True  # receive the others' video (False: a member that only publishes, like a shared screen)
    skip: Callable[[str], bool] | None = None  # publishers (by display name) not to receive: our own shared screen
    secret: str | None = None  # the room's moderation secret: this member may chair (mute, remove, lock, spotlight)
    mic_on: bool = True
    camera_on: bool = True
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
        self._kinds: dict[tuple[int, str], str] = {}  # (participant, mid) → audio or video
        self._receivers: dict[int, RTCPeerConnection] = {}  # participant → the connection we receive them on
        self._handles: dict[int, int] = {}  # participant → the Janus handle we receive them on
        self._quality: dict[int, tuple[int, int, str]] = {}  # participant → packets received, lost, quality
        self._room: VideoRoom | None = None  # while joined
        self._own_mids: dict[str, str] = {}  # what we publish: audio/video → mid
        self.spotlight: int | str | None = NOT_READ

    # the thread --------------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.thread.start()
        self._task = asyncio.run_coroutine_threadsafe(self._run(), self.loop)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Leave the room and end the thread (also for a member never started: its loop is closed)."""
        if self.loop.is_closed():
            return
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self._stop.set)
            if self._task is not None:
                try:
                    self._task.result(timeout_s)
                except Exception:  # already logged where it happened
                    pass
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout_s)
        if not self.thread.is_alive():
            self.loop.close()

    def _emit(self, event: dict[str, Any]) -> None:
        try:
            self.on_event(event)
        except Exception:  # a listener's failure must not end the room
            log.exception("room %s: event listener failed", self.room)

    # the room ----------------------------------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stop.is_set():
            pause = 2.0
            try:
                await self._session()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # whatever ended the session, the member rejoins and says why
                if not isinstance(exc, (JanusError, OSError, ValueError)):
                    log.exception("room %s: the session failed", self.room)
                log.warning("room %s: %s; rejoining", self.room, exc)
                self.state = "rejoining"
                self._emit({"event": "state", "state": "rejoining", "reason": str(exc)})
                if isinstance(exc, JanusError) and exc.code in (426, 433):  # no such room, not let in: not soon
                    pause = 10.0
            if not self._stop.is_set():
                try:
                    await asyncio.wait_for(self._stop.wait(), pause)
                except TimeoutError:
                    pass
        if self.state != "removed":
            self.state = "stopped"

    async def _session(self) -> None:
        session = JanusSession(self.api)
        lost = asyncio.Event()
        session.listeners.append(lambda e: lost.set() if e.get("janus") in ("lost", "timeout") else None)
        peers: list[RTCPeerConnection] = []
        self.participants = {}  # before joining: a publisher announced while we join is subscribed once
        for kept in (self._receivers, self._handles, self._quality, self._kinds, self._last_frame):
            kept.clear()
        self._stalled.clear()
        self.spotlight = NOT_READ
        sent: list[MediaStreamTrack] = []
        try:
            await session.create()
            room = VideoRoom(session, self.room, self.pin)
            await room.attach()
            session.listeners.append(lambda e: self._plugin_event(e, room.handle, session, peers))
            joined = await room.join(self.current_display())
            self.own_id = int(joined["id"])
            if self.publish is not None:
                peers.append(await self._publish(session, room, sent))
                if not (self.mic_on and self.camera_on):
                    await self._send_state(room)
            self._room = room
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
            self._room = None
            for track in sent:  # closing a connection does not stop its tracks: a microphone would stay open
                track.stop()
            for peer in peers:
                await peer.close()
            await session.destroy()

    async def _publish(self, session: JanusSession, room: VideoRoom, sent: list[MediaStreamTrack]
                       ) -> RTCPeerConnection:
        peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))  # on premises: no STUN on the internet
        assert self.publish is not None
        tracks = self.publish()  # new tracks for each connection (the session stops them when it ends)
        sent.extend(tracks)
        for track in tracks:
            peer.addTrack(track)
        kinds = {t.kind for t in tracks}
        await peer.setLocalDescription(await peer.createOffer())
        answer = await session.request(room.handle, {"request": "configure", "audio": "audio" in kinds,
                                                     "video": "video" in kinds,  # named if the room records:
                                                     "filename": recording_base(self.room, self.display,
                                                                                time.time())},
                                       jsep={"type": "offer", "sdp": peer.localDescription.sdp})
        jsep = answer.get("jsep")
        if not isinstance(jsep, dict):
            raise JanusError(0, "Janus gave no answer to our offer")
        await peer.setRemoteDescription(RTCSessionDescription(jsep["sdp"], jsep["type"]))
        self._own_mids = {t.kind: str(t.mid) for t in peer.getTransceivers() if t.mid is not None}
        return peer

    async def _subscribe(self, session: JanusSession, publisher: dict[str, Any], peers: list[RTCPeerConnection]
                         ) -> None:
        feed, display = int(publisher["id"]), str(publisher.get("display", ""))
        # video only: the wall shows faces; a room's sound is the room system's (and unread audio would pile up)
        videos = [{"feed": feed, "mid": str(s["mid"])} for s in publisher.get("streams", []) or []
                  if s.get("type") == "video" and "mid" in s and not s.get("disabled")]
        if feed == self.own_id or feed in self.participants or not self.watch or (self.skip and self.skip(display)):
            return
        for stream in publisher.get("streams", []) or []:
            if "mid" in stream:
                self._kinds[(feed, str(stream["mid"]))] = str(stream.get("type", ""))
        self.participants[feed] = Participant(feed, display)
        self._emit({"event": "joined", "id": feed, "display": display})
        # Janus tells a change of talking or moderation once: who joins later learns the state from the list
        if publisher.get("talking"):
            self._emit({"event": "talking", "id": feed})
        for stream in publisher.get("streams", []) or []:
            if stream.get("moderated"):
                self._emit({"event": "moderated", "id": feed, "kind": str(stream.get("type", "")),
                            "mid": str(stream.get("mid", "")), "muted": True})
        if not videos:  # sound only (a telephone, an audio-only browser): a seat, nothing to receive
            return
        try:
            await self._receive(session, feed, display, videos, peers)
        except Exception:
            # forgotten, so that the next announcement (or the retry below) subscribes again
            self.participants.pop(feed, None)
            self._emit({"event": "left", "id": feed})
            raise

    async def _receive(self, session: JanusSession, feed: int, display: str, videos: list[dict[str, Any]],
                       peers: list[RTCPeerConnection]) -> None:
        handle = await session.attach()
        for attempt in range(10):  # a feed is subscribable only once its publisher's WebRTC is up (428 before)
            try:
                offer = await session.request(handle, {"request": "join", "ptype": "subscriber", "room": self.room,
                                                       "streams": videos, **({"pin": self.pin}
                                                                             if self.pin else {})})
                break
            except JanusError as exc:
                if exc.code != 428 or attempt == 9:
                    raise
                await asyncio.sleep(0.3)
        peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        peers.append(peer)
        self._receivers[feed] = peer
        self._handles[feed] = handle

        @peer.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "video":
                self._keep(asyncio.ensure_future(self._frames(feed, track)))

        jsep = offer.get("jsep")
        if not isinstance(jsep, dict):
            raise JanusError(0, f"Janus offered no media for participant {display}")
        await peer.setRemoteDescription(RTCSessionDescription(without_bandwidth_estimation(jsep["sdp"]),
                                                              jsep["type"]))
        await peer.setLocalDescription(await peer.createAnswer())
        await session.request(handle, {"request": "start"}, jsep={"type": "answer", "sdp": peer.localDescription.sdp})

    # what the person does, from any thread: each returns at once with a future the caller may watch --------------
    def current_display(self) -> str:
        """The display name with what is off now (see feeds/conference/naming.py)."""
        who = parse_display(self.display)
        publishing = self.publish is not None
        return display_for(type(who)(who.name, who.unit, publishing and not self.mic_on,
                                     publishing and not self.camera_on, who.presentation))

    def set_microphone(self, on: bool) -> concurrent.futures.Future[None]:
        self.mic_on = on
        return self._call(self._send_state())

    def set_camera(self, on: bool) -> concurrent.futures.Future[None]:
        self.camera_on = on
        return self._call(self._send_state())

    def mute(self, participant: int, muted: bool = True) -> concurrent.futures.Future[None]:
        """The chair mutes (or lets speak again) a participant's microphone, for everyone."""
        return self._call(self._chair(lambda room: room.moderate(participant, self._mid(participant, "audio"), muted)))

    def remove(self, participant: int) -> concurrent.futures.Future[None]:
        return self._call(self._chair(lambda room: room.kick(participant)))

    def lock(self, locked: bool) -> concurrent.futures.Future[None]:
        return self._call(self._chair(lambda room: room.lock(locked)))

    def set_spotlight(self, participant: int | None) -> concurrent.futures.Future[None]:
        """Put PARTICIPANT large on every screen in the room (None: nobody); kept in the room's description,
        which only the chair may edit and every member reads."""
        return self._call(self._chair(lambda room: room.set_spotlight(participant)))

    def _call(self, work: Any) -> concurrent.futures.Future[None]:
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    def _mid(self, participant: int, kind: str) -> str:
        mid = next((m for (who, m), k in self._kinds.items() if who == participant and k == kind), None)
        if mid is None:
            raise JanusError(0, f"participant {participant} sends no {kind}")
        return mid

    async def _chair(self, action: Callable[[VideoRoom], Any]) -> None:
        """On a handle of its own: the chair acts even when not in the room (a locked room it left, say)."""
        if not self.secret:
            raise JanusError(433, "not the chair of this room (no moderation secret)")
        session = JanusSession(self.api)
        try:
            await session.create()
            chair = VideoRoom(session, self.room, self.pin, self.secret)
            await chair.attach()
            await action(chair)
        finally:
            await session.destroy()

    async def _send_state(self, room: VideoRoom | None = None) -> None:
        """Tell Janus to stop (or start again) relaying our microphone or camera, and the room our new name."""
        room = room or self._room
        if room is None or self.publish is None:
            return  # applied when we join
        streams = [{"mid": mid, "send": self.mic_on if kind == "audio" else self.camera_on}
                   for kind, mid in self._own_mids.items()]
        await room.session.request(room.handle, {"request": "configure", "streams": streams,
                                                 "display": self.current_display()})

    async def _watch(self) -> None:
        """A participant whose video stops (a dead link Janus has not noticed yet) is said to be stalled at once,
        and resumed when frames come again; the others are not held up. Every 2 s, each connection's quality."""
        turns = 0
        while True:
            await asyncio.sleep(0.5)
            now = time.time()
            for feed, participant in list(self.participants.items()):
                if parse_display(participant.display).camera_off:  # no picture on purpose: not a lost one
                    self._last_frame[feed] = now
                    continue
                quiet = now - self._last_frame.get(feed, now) > self.stall_s
                if quiet and feed not in self._stalled:
                    self._stalled.add(feed)
                    self._emit({"event": "stalled", "id": feed})
                elif not quiet and feed in self._stalled:
                    self._stalled.discard(feed)
                    self._emit({"event": "resumed", "id": feed})
            turns += 1
            if turns % 4 == 0:
                await self._measure_quality()
                await self._read_spotlight()

    async def _read_spotlight(self) -> None:
        if self._room is None:
            return
        try:
            spotlight = spotlight_of(await self._room.description())
        except JanusError as exc:
            log.info("room %s: description not read: %s", self.room, exc)
            return
        if spotlight != self.spotlight:  # the first reading of each session is always said
            self.spotlight = spotlight
            self._emit({"event": "spotlight", "id": spotlight})

    async def _measure_quality(self) -> None:
        for feed in list(self.participants):
            peer = self._receivers.get(feed)
            if peer is None:
                continue
            received = lost = 0
            for stats in (await peer.getStats()).values():
                if getattr(stats, "type", "") == "inbound-rtp" and getattr(stats, "kind", "") == "video":
                    received += int(stats.packetsReceived)
                    lost += max(0, int(stats.packetsLost))
            before = self._quality.get(feed, (0, 0, ""))
            quality = connection_quality(received - before[0], lost - before[1], feed in self._stalled)
            self._quality[feed] = (received, lost, quality)
            if quality != before[2]:
                self._emit({"event": "quality", "id": feed, "quality": quality})

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
                self.on_frame(feed, fit(frame, self.frame_box(feed) if self.frame_box else None), time.time())
            except Exception:
                log.exception("room %s: frame sink failed", self.room)

    def _plugin_event(self, event: dict[str, Any], handle: int, session: JanusSession,
                      peers: list[RTCPeerConnection]) -> None:
        if event.get("sender") != handle:
            return
        data = (event.get("plugindata") or {}).get("data") or {}
        for publisher in data.get("publishers", []) or []:
            self._keep(asyncio.ensure_future(self._guarded(partial(self._subscribe, session, publisher, peers))))
        if data.get("leaving") == "ok" and data.get("reason") == "kicked":  # the chair removed us: no rejoining
            self.state = "removed"
            self._emit({"event": "state", "state": "removed"})
            self._stop.set()
            return
        for key in ("unpublished", "leaving", "kicked"):
            gone = data.get(key)
            if isinstance(gone, int) and gone in self.participants:
                self.participants.pop(gone)
                self._emit({"event": "left", "id": gone})
                self._keep(asyncio.ensure_future(self._let_go(gone, session, peers)))
        who = data.get("id")
        if not isinstance(who, int):
            return
        if data.get("videoroom") in ("talking", "stopped-talking"):
            self._emit({"event": data["videoroom"], "id": who})
        elif data.get("videoroom") == "event" and data.get("moderation") in ("muted", "unmuted"):
            mid = str(data.get("mid", ""))
            own = {m: k for k, m in self._own_mids.items()} if who == self.own_id else {}
            kind = own.get(mid) or self._kinds.get((who, mid), "")
            self._emit({"event": "moderated", "id": who, "kind": kind, "mid": str(data.get("mid", "")),
                        "muted": data["moderation"] == "muted"})
        elif data.get("videoroom") == "event" and isinstance(data.get("display"), str) and who in self.participants:
            self.participants[who].display = data["display"]
            self._emit({"event": "renamed", "id": who, "display": data["display"]})

    async def _let_go(self, feed: int, session: JanusSession, peers: list[RTCPeerConnection]) -> None:
        """A participant left: close what received them, so nothing piles up as people come and go."""
        for kept in (self._quality, self._last_frame):
            kept.pop(feed, None)
        self._stalled.discard(feed)
        for key in [k for k in self._kinds if k[0] == feed]:
            del self._kinds[key]
        peer, handle = self._receivers.pop(feed, None), self._handles.pop(feed, None)
        if peer is not None:
            if peer in peers:
                peers.remove(peer)
            await peer.close()
        if handle is not None:
            try:
                await session.detach(handle)
            except JanusError as exc:
                log.info("room %s: handle of a participant gone: %s", self.room, exc)

    def _keep(self, task: asyncio.Future[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Callable[[], Any], tries: int = 3) -> None:
        """WORK (a participant's subscription) again after a pause if it fails, a few times, then it is logged."""
        for attempt in range(tries):
            try:
                await work()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # one participant's failure must not end the room
                log.warning("room %s: a participant could not be followed (try %d): %s", self.room, attempt + 1, exc)
                await asyncio.sleep(2.0)
