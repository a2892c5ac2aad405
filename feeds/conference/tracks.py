"""What a member sends: a camera or any picture the program has (the newest frame, paced), a microphone, and the
synthetic ones rooms and tests use where there is no webcam or sound card (moving bars, a tone)."""

from __future__ import annotations

import asyncio
import fractions
import logging
import threading
import time
from collections.abc import Callable

import numpy as np
from aiortc import VideoStreamTrack
from aiortc.mediastreams import MediaStreamTrack
from av import AudioFrame, VideoFrame

log = logging.getLogger(__name__)


class FrameTrack(VideoStreamTrack):
    """Sends the newest picture it was given (`push`, from any thread: a camera's worker, a screen grab) at FPS;
    the same picture again while nothing newer came, a dark one before the first."""

    def __init__(self, fps: float = 15.0, width: int = 640, height: int = 360) -> None:
        super().__init__()
        self.fps = fps
        self._lock = threading.Lock()
        self._newest: np.ndarray = np.full((height, width, 3), 24, np.uint8)
        self.sent = 0
        self._started = 0.0

    def push(self, image: np.ndarray) -> None:
        """IMAGE: BGR (3 channels) or BGRA (4), any size with even sides."""
        with self._lock:
            self._newest = image

    async def recv(self) -> VideoFrame:
        if not self._started:
            self._started = time.time()
        wait = self._started + self.sent / self.fps - time.time()
        if wait < -1.0:  # sent nothing for a while (a new connection after an outage): no burst to catch up
            self._started = time.time() - self.sent / self.fps
        elif wait > 0:
            await asyncio.sleep(wait)
        with self._lock:
            image = self._newest
        frame = VideoFrame.from_ndarray(np.ascontiguousarray(image), format="bgra" if image.shape[2] == 4 else "bgr24")
        frame.pts, frame.time_base = int(self.sent * 90000 / self.fps), fractions.Fraction(1, 90000)
        self.sent += 1
        return frame


def open_microphone(address: str) -> MediaStreamTrack | None:
    """The microphone at ADDRESS: `alsa://DEVICE` (`alsa://default`), `pulse://DEVICE`, `tone://` (a test tone);
    "" or one that cannot be opened: None (the member joins without sound, and says so)."""
    scheme, _, device = address.partition("://")
    if not address:
        return None
    if scheme == "tone":
        return Tone()
    if scheme in ("alsa", "pulse"):
        from aiortc.contrib.media import MediaPlayer

        try:
            return MediaPlayer(device or "default", format=scheme).audio
        except (OSError, ValueError) as exc:  # av raises OSError subclasses for a missing device
            log.error("microphone %s cannot be opened: %s", address, exc)
            return None
    log.error("microphone %s: unknown scheme (alsa://, pulse:// or tone://)", address)
    return None


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


