"""One participant of a conference test, run inside the test's network namespace: it joins a room through
`feeds.conference.member.RoomMember`, publishes a test pattern (or only watches), and writes what it saw."""

from __future__ import annotations

import argparse
import asyncio
import fractions
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import av
from aiortc.mediastreams import MediaStreamTrack

from feeds.conference.member import RoomMember
from feeds.conference.tracks import TestPattern, Tone


class Clip(MediaStreamTrack):
    """An encoded VP8 clip, read once, sent as it is, looped, at 25 frames a second (aiortc's player would read
    a looped file as fast as it can), counting what it sent."""

    kind = "video"

    def __init__(self, path: Path, fps: float = 25.0) -> None:
        super().__init__()
        with av.open(str(path)) as container:
            self.packets = [bytes(p) for p in container.demux(video=0) if p.size]
        self.fps, self.count, self.start = fps, 0, 0.0

    async def recv(self) -> av.Packet:
        if not self.start:
            self.start = time.time()
        wait = self.start + self.count / self.fps - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        packet = av.Packet(self.packets[self.count % len(self.packets)])
        packet.pts, packet.time_base = self.count * 3600, fractions.Fraction(1, 90000)
        self.count += 1
        return packet


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--display", required=True)
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--no-watch", action="store_true", help="publish only: receive nobody's video")
    parser.add_argument("--talk", default="", metavar="FROM-TO",
                        help="publish a microphone too, with a tone between these seconds after start (else silence)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clip", type=Path, help="send this encoded VP8 clip as it is, looped (cheap: no encoding)")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--stats", type=Path, required=True)
    args = parser.parse_args()
    frames: Counter[int] = Counter()
    names: dict[int, str] = {}
    events: list[dict] = []
    lock = threading.Lock()

    def on_frame(participant: int, frame, at: float) -> None:
        with lock:
            frames[participant] += 1
            names.setdefault(participant, "")
            shapes[participant] = list(frame.shape)

    def on_event(event: dict) -> None:
        with lock:
            events.append({**event, "at": time.time()})
            if event.get("event") == "joined":
                names[event["id"]] = event["display"]

    shapes: dict[int, list[int]] = {}
    began = time.time()
    low, _, high = args.talk.partition("-")

    def talking() -> bool:
        return bool(args.talk) and float(low) <= time.time() - began <= float(high)

    sent: list[TestPattern] = []

    def tracks() -> list:
        if args.clip:
            clip = Clip(args.clip)
            sent.append(clip)
            made = [clip]
        else:
            pattern = TestPattern(args.width, args.height, len(args.display))
            sent.append(pattern)
            made = [pattern]
        return [*made, Tone(talking)] if args.talk else made

    member = RoomMember(args.api, args.room, args.display, on_frame, on_event,
                        publish=tracks if args.publish else None, watch=not args.no_watch)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    member.start()
    deadline = time.time() + args.seconds
    while time.time() < deadline and not stop.is_set():
        time.sleep(0.2)
        with lock:
            partial = args.stats.with_suffix(".partial")
            partial.write_text(json.dumps({
                "frames": {names.get(k) or str(k): v for k, v in frames.items()},
                "frames_by_id": {str(k): v for k, v in frames.items()},
                "shapes": {names.get(k) or str(k): v for k, v in shapes.items()},
                "events": events, "state": member.state, "id": member.own_id, "began": began,
                "sent": sum(t.count for t in sent), "written": time.time(),
                "sent_since": getattr(sent[0], "start", began) if sent else began}, ensure_ascii=False))
            os.replace(partial, args.stats)  # readers never see half a file
    member.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
