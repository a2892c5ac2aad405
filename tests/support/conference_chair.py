"""The chair of a conference test, run inside the test's network namespace: joins the room as a RoomMember with
the room's secret, does one thing to the participant of a display name, and prints what came of it as JSON."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time

from feeds.conference.member import RoomMember
from feeds.conference.signalling import JanusError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--secret", default="")
    parser.add_argument("--action", choices=("mute", "unmute", "remove", "lock", "unlock", "spotlight"),
                        required=True)
    parser.add_argument("--display", default="", help="the participant acted on")
    args = parser.parse_args()
    names: dict[int, str] = {}
    joined = threading.Event()

    def on_event(event: dict) -> None:
        if event.get("event") == "joined":
            names[event["id"]] = event["display"]
        if event.get("event") == "state" and event.get("state") == "joined":
            joined.set()

    member = RoomMember(args.api, args.room, "Chủ trì — UBND tỉnh", lambda *a: None, on_event,
                        secret=args.secret or None)
    member.start()
    result: dict = {}
    try:
        if args.display and not joined.wait(15):
            raise JanusError(0, "the chair could not join")
        deadline = time.time() + 10
        target = None
        while args.display and target is None and time.time() < deadline:
            target = next((i for i, n in names.items() if n == args.display), None)
            time.sleep(0.1)
        if args.display and target is None:
            raise JanusError(0, f"nobody called {args.display} in the room")
        work = {"mute": lambda: member.mute(target, True), "unmute": lambda: member.mute(target, False),
                "remove": lambda: member.remove(target), "lock": lambda: member.lock(True),
                "unlock": lambda: member.lock(False), "spotlight": lambda: member.set_spotlight(target)}
        work[args.action]().result(10)
        result = {"ok": True, "target": target}
    except JanusError as exc:
        result = {"ok": False, "code": exc.code, "error": str(exc)}
    finally:
        member.stop()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
