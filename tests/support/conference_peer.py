"""One participant of a conference test, run inside the test's network namespace: it joins a room through
`feeds.conference.member.RoomMember`, publishes a test pattern (or only watches), and writes what it saw."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from feeds.conference.member import RoomMember, TestPattern, Tone


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--display", required=True)
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--talk", default="", metavar="FROM-TO",
                        help="publish a microphone too, with a tone between these seconds after start (else silence)")
    parser.add_argument("--seconds", type=float, default=10)
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

    def tracks() -> list:
        made = [TestPattern(640, 360, len(args.display))]
        return [*made, Tone(talking)] if args.talk else made

    member = RoomMember(args.api, args.room, args.display, on_frame, on_event,
                        publish=tracks if args.publish else None)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    member.start()
    deadline = time.time() + args.seconds
    while time.time() < deadline and not stop.is_set():
        time.sleep(0.2)
        with lock:
            args.stats.write_text(json.dumps({
                "frames": {names.get(k) or str(k): v for k, v in frames.items()},
                "frames_by_id": {str(k): v for k, v in frames.items()},
                "shapes": {names.get(k) or str(k): v for k, v in shapes.items()},
                "events": events, "state": member.state, "id": member.own_id}, ensure_ascii=False))
    member.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
