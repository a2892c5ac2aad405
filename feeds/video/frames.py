"""What a stream worker hands over: the newest frame, and the stream's health (no OpenCV here)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np


class StreamState(str, enum.Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    LOST = "lost"
    ERROR = "error"  # the address cannot work (malformed, unopenable file): shown as an error, retried slowly


@dataclass(frozen=True, slots=True)
class StreamHealth:
    address: str
    state: StreamState
    since: float  # wall-clock time the state was entered
    last_frame_ts: float | None = None  # wall-clock time of the newest frame
    fps: float = 0.0  # frames received per second (measured)
    detail: str = ""
    source_size: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Frame:
    """The newest picture: BGRA (Qt's Format_RGB32 on little-endian), scaled to fit the requested size."""

    image: np.ndarray
    ts: float  # wall-clock time the frame was received
    grabbed_mono: float  # monotonic time it was received (for latency measurement)
    seq: int  # frames received by this worker so far
    source_size: tuple[int, int]
