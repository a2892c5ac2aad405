"""Live video: one Qt-free worker thread per stream that hands the newest frame, already scaled, to a callback.

Addresses: rtsp:// (TCP transport), http(s):// (MJPEG and whatever FFmpeg opens), file:// (looped at the
file's frame rate, for rehearsals), device://N (a local webcam) and sim://camera/N (a drawn intersection
with a burnt-in clock). The worker grabs every frame (the network buffer never fills) and converts/scales
only at the display rate; stale frames are dropped, never queued.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

# The one place the FFmpeg capture options are set: before OpenCV is imported anywhere in the program.
# analyzeduration: probe 1 s of the stream instead of FFmpeg's 5 s default (opening an RTSP camera took 1.7 s on
# loopback, 1.1 s with this), so a main/sub switch or a reconnect shows pictures sooner. A deployment can override
# the whole variable.
os.environ.setdefault("OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;tcp|analyzeduration;1000000")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

import cv2
import numpy as np

from feeds.core.text import ascii_text
from feeds.video.frames import Frame, StreamHealth, StreamState

# Parallelism comes from one thread per stream; OpenCV's own thread pool only adds hand-off overhead on the
# small per-frame resizes (measured: 2.7 ms wall for 1.9 ms of work).
cv2.setNumThreads(1)

log = logging.getLogger(__name__)

SCHEMES = ("rtsp", "rtsps", "http", "https", "file", "device", "sim")


def check_address(address: str) -> None:
    """Raise ValueError when an address cannot be a video stream."""
    url = urlsplit(address)
    if url.scheme not in SCHEMES:
        raise ValueError(f"unknown video address scheme {url.scheme + '://' if url.scheme else address!r}; "
                         f"known: {', '.join(s + '://' for s in SCHEMES)}")
    if url.scheme in ("rtsp", "rtsps", "http", "https") and not url.hostname:
        raise ValueError(f"{address!r} has no host")
    if url.scheme == "device" and not url.netloc.isdigit():
        raise ValueError(f"{address!r}: expected device://N with N a camera number")
    if url.scheme == "sim":
        parts = (url.netloc + url.path).strip("/").split("/")
        if len(parts) != 2 or parts[0] != "camera" or not parts[1].isdigit():
            raise ValueError(f"{address!r}: expected sim://camera/N")
    if url.scheme == "file" and not (url.netloc + url.path):
        raise ValueError(f"{address!r} names no file")


def fit_size(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with the source's aspect ratio inside `box` (never larger than needed)."""
    sw, sh = source
    bw, bh = max(2, box[0]), max(2, box[1])
    if sw <= 0 or sh <= 0:
        return bw, bh
    scale = min(bw / sw, bh / sh)
    return max(2, int(sw * scale)), max(2, int(sh * scale))


# -- captures: grab()/retrieve()/release(), like cv2.VideoCapture -----------------------------------------------

class SimCamera:
    """sim://camera/N — an intersection seen from a pole: roads, vehicles moving, the name and a clock."""

    def __init__(self, number: int, size: tuple[int, int] = (1280, 720), fps: float = 25.0, name: str = "") -> None:
        self.number = number
        self.size = size
        self.fps = fps
        self.name = ascii_text(name) or f"CAM {number:02d}"
        rng = random.Random(number)
        # (lane: 0 horizontal east, 1 horizontal west, 2 vertical south, 3 vertical north), phase, speed, colour
        self.vehicles = [(rng.randrange(4), rng.random(), 0.05 + rng.random() * 0.12,
                          tuple(int(c) for c in rng.choice([(40, 40, 200), (200, 200, 200), (30, 160, 230),
                                                            (60, 60, 60), (200, 120, 40), (20, 20, 150)])),
                          rng.random() < 0.3) for _ in range(8 + number % 5)]
        self.t0 = time.monotonic()
        self.next_due = self.t0
        self.opened = True
        self._last_ts = time.time()

    def isOpened(self) -> bool:
        return self.opened

    def grab(self) -> bool:
        now = time.monotonic()
        if now < self.next_due:
            time.sleep(self.next_due - now)
        self.next_due = max(self.next_due + 1 / self.fps, time.monotonic() - 1 / self.fps)
        self._last_ts = time.time()
        return self.opened

    def retrieve(self) -> tuple[bool, np.ndarray]:
        return True, self.render(self.size)

    def render(self, size: tuple[int, int]) -> np.ndarray:
        w, h = size
        s = h / 360.0
        img = np.empty((h, w, 3), np.uint8)
        img[:] = (70, 105, 80)  # verges
        road = int(70 * s)
        cx, cy = w // 2, h // 2
        img[cy - road // 2:cy + road // 2, :] = (70, 70, 70)
        img[:, cx - road // 2:cx + road // 2] = (70, 70, 70)
        dash = max(1, int(2 * s))
        for x in range(0, w, int(30 * s)):
            if abs(x - cx) > road // 2:
                cv2.line(img, (x, cy), (x + int(15 * s), cy), (200, 200, 200), dash)
        for y in range(0, h, int(30 * s)):
            if abs(y - cy) > road // 2:
                cv2.line(img, (cx, y), (cx, y + int(15 * s)), (200, 200, 200), dash)
        for k in range(6):  # zebra crossings
            off = -road // 2 + int((k + 0.5) * road / 6)
            cv2.line(img, (cx + off, cy - road // 2 - int(14 * s)), (cx + off, cy - road // 2 - int(4 * s)),
                     (230, 230, 230), max(1, int(5 * s)))
            cv2.line(img, (cx - road // 2 - int(14 * s), cy + off), (cx - road // 2 - int(4 * s), cy + off),
                     (230, 230, 230), max(1, int(5 * s)))
        t = time.monotonic() - self.t0
        light_ns = (t // 8) % 2 == 0
        for lane, phase, speed, colour, bike in self.vehicles:
            pos = (phase + t * speed) % 1.0
            length, width = (int(10 * s), int(6 * s)) if bike else (int(30 * s), int(15 * s))
            if lane in (0, 1):
                x = int(pos * (w + length)) - length if lane == 0 else w - int(pos * (w + length))
                y = cy + (road // 4 if lane == 0 else -road // 4)
                cv2.rectangle(img, (x, y - width // 2), (x + length, y + width // 2), colour, -1)
            else:
                y = int(pos * (h + length)) - length if lane == 2 else h - int(pos * (h + length))
                x = cx + (-road // 4 if lane == 2 else road // 4)
                cv2.rectangle(img, (x - width // 2, y), (x + width // 2, y + length), colour, -1)
        for (px, py), green in (((cx + road // 2 + int(8 * s), cy - road // 2 - int(20 * s)), light_ns),
                                ((cx - road // 2 - int(20 * s), cy + road // 2 + int(8 * s)), not light_ns)):
            cv2.circle(img, (px, py), max(2, int(5 * s)), (40, 200, 40) if green else (40, 40, 220), -1)
        font, scale, thick = cv2.FONT_HERSHEY_SIMPLEX, 0.55 * s, max(1, int(1.5 * s))
        stamp = time.strftime("%d/%m/%Y %H:%M:%S", time.localtime(self._last_ts)) + f".{int(self._last_ts * 10) % 10}"
        for text, org in ((self.name, (int(8 * s), int(22 * s))), (stamp, (int(8 * s), h - int(10 * s)))):
            (tw, th), _ = cv2.getTextSize(text, font, scale, thick)
            cv2.rectangle(img, (org[0] - 3, org[1] - th - 4), (org[0] + tw + 3, org[1] + 5), (0, 0, 0), -1)
            cv2.putText(img, text, org, font, scale, (255, 255, 255), thick, cv2.LINE_AA)
        return img

    def get(self, prop: int) -> float:
        return {cv2.CAP_PROP_FRAME_WIDTH: self.size[0], cv2.CAP_PROP_FRAME_HEIGHT: self.size[1],
                cv2.CAP_PROP_FPS: self.fps}.get(prop, 0.0)

    def release(self) -> None:
        self.opened = False


class _Looped:
    """file:// — a recorded clip played at its own frame rate, from the start again at the end."""

    def __init__(self, path: str, params: list[int]) -> None:
        self.path, self.params = path, params
        self.cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG, params)
        fps = self.cap.get(cv2.CAP_PROP_FPS) if self.cap.isOpened() else 0
        self.period = 1 / fps if 1 <= fps <= 120 else 1 / 25
        self.next_due = time.monotonic()

    def isOpened(self) -> bool:
        return self.cap.isOpened()

    def grab(self) -> bool:
        now = time.monotonic()
        if now < self.next_due:
            time.sleep(self.next_due - now)
        self.next_due = max(self.next_due + self.period, time.monotonic() - self.period)
        if self.cap.grab():
            return True
        self.cap.release()  # end of the clip: open it again (seeking is unreliable across containers)
        self.cap = cv2.VideoCapture(self.path, cv2.CAP_FFMPEG, self.params)
        return self.cap.isOpened() and self.cap.grab()

    def retrieve(self) -> tuple[bool, np.ndarray | None]:
        return self.cap.retrieve()

    def get(self, prop: int) -> float:
        return self.cap.get(prop)

    def release(self) -> None:
        self.cap.release()


def open_capture(address: str, open_timeout_s: float, read_timeout_s: float, name: str = "",
                 threads: int = 1) -> Any:
    """A capture for the address (check `isOpened()`); raises ValueError for an address that cannot work."""
    check_address(address)
    url = urlsplit(address)
    params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout_s * 1000),
              cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(read_timeout_s * 1000),
              cv2.CAP_PROP_N_THREADS, max(1, threads)]  # decoder threads: 1 per grid stream, more when large
    if url.scheme == "sim":
        query = parse_qs(url.query)
        size = (1280, 720)
        if "size" in query:
            w, _, h = query["size"][0].partition("x")
            size = (int(w), int(h))
        return SimCamera(int((url.netloc + url.path).strip("/").split("/")[1]), size,
                         float(query.get("fps", ["25"])[0]), name)
    if url.scheme == "file":
        path = unquote(url.netloc + url.path) if url.netloc not in ("", "localhost") else unquote(url.path)
        if not os.path.isfile(path):
            raise ValueError(f"no such file: {path}")
        return _Looped(path, params)
    if url.scheme == "device":
        return cv2.VideoCapture(int(url.netloc), cv2.CAP_ANY)
    return cv2.VideoCapture(address, cv2.CAP_FFMPEG, params)


# -- the worker ---------------------------------------------------------------------------------------------------

FrameCallback = Callable[[Frame], None]
HealthCallback = Callable[[StreamHealth], None]


class VideoStream:
    """One stream, one thread: open (with timeouts), grab every frame, deliver the newest at `fps` scaled to
    `size`; on failure release, back off (capped exponential) and reopen."""

    def __init__(self, address: str, on_frame: FrameCallback, on_health: HealthCallback | None = None,
                 size: tuple[int, int] = (640, 360), fps: float = 25.0, open_timeout_s: float = 5.0,
                 read_timeout_s: float = 2.5, stall_after_s: float = 1.5, min_backoff_s: float = 0.5,
                 max_backoff_s: float = 10.0, still_every_s: float = 0.0, name: str = "", threads: int = 1) -> None:
        self.address = address
        self.name = name
        self.on_frame = on_frame
        self.on_health = on_health
        self.size = size
        self.fps = fps
        self.threads = threads
        self.still_every_s = still_every_s  # > 0: open, take one picture, close, every this many seconds
        self.open_timeout_s = open_timeout_s
        self.read_timeout_s = read_timeout_s
        self.stall_after_s = stall_after_s
        self.min_backoff_s = min_backoff_s
        self.max_backoff_s = max_backoff_s
        self.health = StreamHealth(address, StreamState.CONNECTING, time.time())
        self.received = 0  # frames grabbed (decoded by FFmpeg)
        self.delivered = 0  # frames converted, scaled and handed on
        self.busy_s = 0.0  # thread CPU time spent (for the wall's decode budget)
        self.grab_cpu_s = 0.0  # CPU time inside grab(): receive + demux + decode (with threads=1, all of it)
        self.opens = 0
        self._counted = 0.0  # CPU time of the current session already added to busy_s
        self._last_frame_mono: float | None = None
        self._rate_window: list[float] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- control (any thread) --
    def start(self) -> VideoStream:
        self._thread = threading.Thread(target=self._run, name=f"video-{self.name or self.address}", daemon=True)
        self._thread.start()
        _watchdog.add(self)
        return self

    def stop(self, wait_s: float = 0.0) -> None:
        self._stop.set()
        _watchdog.remove(self)
        if wait_s and self._thread is not None:
            self._thread.join(wait_s)

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def set_size(self, size: tuple[int, int]) -> None:
        self.size = size

    def set_fps(self, fps: float) -> None:
        self.fps = fps

    # -- the thread --
    def _set(self, state: StreamState, detail: str = "", source_size: tuple[int, int] | None = None) -> None:
        with self._lock:
            old = self.health
            if state == old.state and detail == old.detail and source_size in (None, old.source_size):
                return
            last = (time.time() - (time.monotonic() - self._last_frame_mono)) if self._last_frame_mono else None
            self.health = StreamHealth(self.address, state, old.since if state == old.state else time.time(),
                                       last, self.measured_fps(), detail, source_size or old.source_size)
            health = self.health
        if state in (StreamState.LOST, StreamState.ERROR) and old.state != state:
            log.warning("video %s (%s): %s %s", self.name, self.address, state.value, detail)
        if self.on_health is not None and not self._stop.is_set():
            self.on_health(health)

    def measured_fps(self) -> float:
        window = self._rate_window
        if len(window) < 2 or time.monotonic() - window[-1] > 2.0:
            return 0.0
        return (len(window) - 1) / max(1e-6, window[-1] - window[0])

    def check_stall(self, now: float) -> None:
        """Called by the watchdog: no frame for `stall_after_s` while live → stalled."""
        if self.health.state == StreamState.LIVE and self._last_frame_mono is not None \
                and now - self._last_frame_mono > self.stall_after_s and not self.still_every_s:
            self._set(StreamState.STALLED, f"no frame for {now - self._last_frame_mono:.1f} s")

    def _run(self) -> None:
        backoff = self.min_backoff_s
        while not self._stop.is_set():
            cpu0 = time.thread_time()
            ok, _failure = self._session()
            self.busy_s += time.thread_time() - cpu0 - self._counted
            self._counted = 0.0
            if self._stop.is_set():
                break
            if self.still_every_s and ok:
                self._stop.wait(self.still_every_s)
                continue
            if ok:
                backoff = self.min_backoff_s
            self._stop.wait(backoff)
            backoff = min(self.max_backoff_s, max(backoff * 2, 0.05))
        self._set(self.health.state)

    def _session(self) -> tuple[bool, str]:
        """Open, then grab until failure or stop. Returns (whether frames came, why it ended)."""
        if self.health.state not in (StreamState.LOST, StreamState.ERROR):
            self._set(StreamState.CONNECTING)
        self.opens += 1
        try:
            cap = open_capture(self.address, self.open_timeout_s, self.read_timeout_s, self.name, self.threads)
        except (ValueError, OSError) as exc:
            self._set(StreamState.ERROR, str(exc))
            return False, str(exc)
        got = False
        try:
            if not cap.isOpened():
                scheme = urlsplit(self.address).scheme
                why = ("cannot open the file: not a video or unreadable" if scheme == "file"
                       else f"cannot connect (gave up after at most {self.open_timeout_s:g} s)")
                self._set(StreamState.ERROR if scheme == "file" else StreamState.LOST, why)
                return False, why
            src = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
            next_due = 0.0
            cpu_mark = time.thread_time()
            while not self._stop.is_set():
                before = time.thread_time()
                grabbed = cap.grab()
                self.grab_cpu_s += time.thread_time() - before
                if not grabbed:
                    if got:
                        self._set(StreamState.LOST, "stream ended or read timed out")
                    else:
                        self._set(StreamState.ERROR if urlsplit(self.address).scheme == "file" else StreamState.LOST,
                                  "no picture could be read")
                    return got, "read failed"
                now = time.monotonic()
                self.received += 1
                if self.received % 5 == 0:
                    cpu = time.thread_time()
                    self.busy_s += cpu - cpu_mark
                    self._counted += cpu - cpu_mark
                    cpu_mark = cpu
                self._last_frame_mono = now
                self._rate_window.append(now)
                if len(self._rate_window) > 26:
                    del self._rate_window[0]
                if not got:
                    got = True
                    self._set(StreamState.LIVE, "", src)
                elif self.health.state != StreamState.LIVE:
                    self._set(StreamState.LIVE, "", src)
                period = 1 / max(0.2, self.fps)
                if now < next_due - 0.5 * period and not self.still_every_s:
                    continue  # received and decoded by FFmpeg, but not converted: the display does not need it
                # half a period of tolerance: network jitter must not drop frames when display rate = stream rate
                next_due = max(next_due + period, now - 0.5 * period)
                frame = self._convert(cap, src)
                if frame is not None:
                    src = (frame.shape[1], frame.shape[0]) if not isinstance(cap, SimCamera) else cap.size
                    self.delivered += 1
                    self.on_frame(Frame(frame, time.time(), now, self.received, src))
                if self.still_every_s:
                    return True, "still taken"
            return got, "stopped"
        finally:
            cap.release()

    def _convert(self, cap: Any, src: tuple[int, int]) -> np.ndarray | None:
        if isinstance(cap, SimCamera):  # drawn directly at the size shown
            image = cap.render(fit_size(cap.size, self.size))
            return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)
        ok, image = cap.retrieve()
        if not ok or image is None:
            return None
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        h, w = image.shape[:2]
        tw, th = fit_size((w, h), self.size)
        # INTER_AREA costs 12× linear at non-integer ratios (5 ms for 720p → a 3×3 tile); linear is fine down to
        # 0.4×, below that halve first (area at exactly 2× is cheap) so no source pixel is skipped entirely.
        while tw * 2.5 <= w:
            w, h = w // 2, h // 2
            image = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
        if (tw, th) != (w, h):
            image = cv2.resize(image, (tw, th), interpolation=cv2.INTER_LINEAR)
        return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)


class _Watchdog:
    """One thread for every stream: marks a live stream stalled when its frames stop (its own thread is
    blocked in a read)."""

    def __init__(self) -> None:
        self.streams: set[VideoStream] = set()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def add(self, stream: VideoStream) -> None:
        with self.lock:
            self.streams.add(stream)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="video-watchdog", daemon=True)
                self.thread.start()

    def remove(self, stream: VideoStream) -> None:
        with self.lock:
            self.streams.discard(stream)

    def _run(self) -> None:
        while True:
            time.sleep(0.25)
            with self.lock:
                streams = list(self.streams)
                if not streams:
                    self.thread = None
                    return
            now = time.monotonic()
            for stream in streams:
                stream.check_stall(now)


_watchdog = _Watchdog()


def backoff_schedule(min_s: float = 0.5, max_s: float = 10.0, n: int = 8) -> list[float]:
    """The waits between reconnect attempts (for documentation and tests)."""
    out, b = [], min_s
    for _ in range(n):
        out.append(b)
        b = min(max_s, max(b * 2, 0.05))
    return out

