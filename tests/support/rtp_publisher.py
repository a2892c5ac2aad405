"""A participant whose video reaches the room as plain RTP, the way another site's Janus or a hardware encoder
sends it: it adds a remote publisher to the room (`add_remote_publisher`), then ffmpeg sends an encoded VP8 clip
to the port Janus answered, copied as it is at its own 25 fps (no encoding, next to no CPU). It writes how many
frames ffmpeg has sent."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from feeds.conference.signalling import JanusSession, VideoRoom

VIDEO_SSRC = 1000  # mindex 0 (Janus tells a remote publisher's streams by SSRC: 1000 + 10·mindex)


async def add(api: str, room: int, display: str, secret: str | None) -> tuple[str, int]:
    session = JanusSession(api)
    await session.create()
    try:
        videoroom = VideoRoom(session, room, secret=secret)
        await videoroom.attach()
        answer = await videoroom.add_remote_publisher(
            display, [{"type": "video", "mindex": 0, "mid": "0", "codec": "vp8"}], "127.0.0.1")
        return str(answer["ip"]), int(answer["port"])
    finally:
        await session.destroy()


def progress_frames(path: Path) -> int:
    """The last `frame=` ffmpeg's -progress wrote."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return 0
    counts = [int(line.split("=", 1)[1]) for line in lines if line.startswith("frame=")]
    return counts[-1] if counts else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--display", required=True)
    parser.add_argument("--clip", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--secret")
    parser.add_argument("--stats", type=Path, required=True)
    args = parser.parse_args()
    ip, port = asyncio.run(add(args.api, args.room, args.display, args.secret))
    progress = args.stats.with_suffix(".progress")
    began = time.time()
    ffmpeg = subprocess.Popen(["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", str(args.clip), "-an",
                               "-c:v", "copy", "-progress", str(progress), "-f", "rtp", "-ssrc", str(VIDEO_SSRC),
                               "-payload_type", "96", f"rtp://{ip}:{port}?pkt_size=1200"],
                              stdin=subprocess.DEVNULL)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    deadline = began + args.seconds
    while time.time() < deadline and not stopping and ffmpeg.poll() is None:
        time.sleep(0.2)
        partial = args.stats.with_suffix(".partial")
        partial.write_text(json.dumps({"sent": progress_frames(progress), "sent_since": began, "began": began,
                                       "written": time.time()}))
        os.replace(partial, args.stats)
    ffmpeg.terminate()
    ffmpeg.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
