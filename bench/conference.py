"""A conference on one wall screen at its limit: 9 participants at 360p 25 fps, gallery layout, this machine.

It makes a private network namespace (root), starts Janus there with the program's configuration and nine
participants (aiortc sending an already-encoded VP8 clip at 25 fps, so the publishers' encoding does not eat
the wall's cores — on site they are other machines), then runs the wall's part — the room member, the newest-frame
bridge and the conference tile on a 1920×1080 offscreen screen — inside it too, and prints:
  `join_s`            from the wall joining to every participant's first picture on screen;
  `frames_shown_ratio` frames shown over frames sent, the worst participant (goal ≥ 0.95);
  `cpu_pct`, `rss_mb` the wall process over the measured window (100 % = one core);
  `speaker_switch_ms` a participant starts to talk → the layout follows (goal < 1000);
  `decode_ms_per_frame` the wall's CPU per frame shown, beside `ffmpeg_decode_ms_per_frame`, ffmpeg decoding the
                      same size of VP8 alone (the peer limit).

The participants run on the same two cores as the wall here (on site they are other machines), so the wall's
share of the CPU is what is left to it; `cpu_pct` says how much it got.

Run (as root): python bench/conference.py [--participants 9 --seconds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PORT = 18088
TALK_AT = 12.0  # seconds after the publishers start, one of them starts to talk


def wall(args: argparse.Namespace) -> int:
    """The wall's part, run inside the namespace: prints one JSON line of what it saw."""
    from PySide6.QtWidgets import QApplication

    from desktop.windows.conference import RoomBridge
    from feeds.conference.member import RoomMember
    from widgets.base.spec import TileSpec
    from widgets.base.tile import TileContext
    from widgets.conference.conference_tile import ConferenceTile

    app = QApplication([])
    tile = ConferenceTile(TileSpec(type="conference", title="Hội nghị", options={"room": "x", "layout": "gallery"}),
                          TileContext())
    tile.resize(1920, 1080)
    tile.show()
    shown: dict[int, int] = {}
    first: dict[int, float] = {}
    original = tile.show_frame

    def counted(participant, frame):
        shown[participant] = shown.get(participant, 0) + 1
        first.setdefault(participant, time.time())
        original(participant, frame)

    tile.show_frame = counted
    bridge = RoomBridge(tile)
    member = RoomMember(args.api, 1234, "Tường IOC", bridge.on_frame, bridge.on_event, frame_box=bridge.box)
    began = time.time()
    member.start()
    speaker_at = None
    talker = None
    window_start = cpu_start = None
    end = began + args.seconds
    while time.time() < end:
        app.processEvents()
        bridge.tick()
        now = time.time()
        if window_start is None and len(first) >= args.participants:
            window_start, cpu_start = now, time.process_time()
            shown_at_start = dict(shown)
        if talker is None:
            talker = next((i for i, s in tile.view.seats.items() if s.who.name == "Người nói"), None)
        if talker is not None and speaker_at is None and tile.view.speaker == talker:
            speaker_at = now
        time.sleep(0.002)
    window = time.time() - (window_start or began)
    cpu = time.process_time() - (cpu_start or 0.0)
    member.stop()
    names = {i: s.who.name for i, s in tile.view.seats.items()}
    print(json.dumps({"join_s": (max(first.values()) - began) if len(first) >= args.participants else None,
                      "shown": {names.get(i, str(i)): n for i, n in shown.items()},
                      "shown_in_window": {names.get(i, str(i)): n - shown_at_start.get(i, 0)
                                          for i, n in shown.items()} if window_start else {},
                      "window_s": window, "cpu_s": cpu, "speaker_at": speaker_at,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "window_start": window_start}), flush=True)
    return 0


def make_clip(folder: Path) -> Path:
    """10 s of 360p 25 fps VP8 from ffmpeg's test source: what each participant sends, already encoded."""
    clip = folder / "clip.webm"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-frames:v", "250",
                    "-c:v", "libvpx", "-b:v", "800k", "-g", "50", str(clip)], check=True)
    return clip


def ffmpeg_decode_ms(clip: Path) -> float:
    """ffmpeg decoding the same clip on one thread, per frame (the peer limit of the wall's decoding)."""
    start = time.perf_counter()
    subprocess.run(["ffmpeg", "-v", "error", "-threads", "1", "-i", str(clip), "-f", "null", "-"], check=True)
    return (time.perf_counter() - start) * 1000 / 250


def time_of(stat: dict) -> float:
    """When the participant last wrote its figures (its stats file is rewritten five times a second)."""
    return float(stat.get("written", time.time()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--wall", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.wall:
        return wall(args)
    from feeds.conference.settings import parse_conference
    from feeds.core.config import SectionContext
    from tests.support.broker import end_process
    from tests.support.janus import JanusProcess
    from tests.support.netns import inside, network_namespace

    with tempfile.TemporaryDirectory() as tmp, network_namespace() as namespace:
        folder = Path(tmp)
        clip = make_clip(folder)
        settings = parse_conference({"rooms": {"x": {"address": f"janus://127.0.0.1:{PORT}/room/1234",
                                                     "publishers": args.participants + 1}}}, SectionContext("b"))
        janus = JanusProcess(folder / "janus", settings, port=PORT, namespace=namespace).start()
        publishers = []
        try:
            for n in range(args.participants):
                stats_file = str(folder / f"p{n}.json")
                if n == 0:  # the talker: a WebRTC publisher (aiortc), video and a microphone with a tone
                    command = [sys.executable, "-m", "tests.support.conference_peer", "--api", janus.api, "--room",
                               "1234", "--display", "Người nói", "--publish", "--seconds", str(args.seconds + 20),
                               "--stats", stats_file, "--clip", str(clip), "--no-watch",
                               "--talk", f"{TALK_AT}-{TALK_AT + 30}"]
                else:  # the others: another site's stream, as plain RTP (ffmpeg copying the clip)
                    command = [sys.executable, "-m", "tests.support.rtp_publisher", "--api", janus.api, "--room",
                               "1234", "--display", f"Xã {n:02d}", "--seconds", str(args.seconds + 20), "--stats",
                               stats_file, "--clip", str(clip)]
                publishers.append(subprocess.Popen(inside(namespace, command), cwd=ROOT, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL))
            time.sleep(3)
            result = subprocess.run(inside(namespace, [sys.executable, str(Path(__file__).resolve()), "--wall",
                                                       "--api", janus.api, "--participants", str(args.participants),
                                                       "--seconds", str(args.seconds)]),
                                    cwd=ROOT, capture_output=True, text=True, timeout=args.seconds + 60)
            if result.returncode or not result.stdout.strip():
                raise SystemExit(f"the wall failed:\n{result.stderr[-3000:]}")
            seen = json.loads(result.stdout.strip().splitlines()[-1])
            if os.environ.get("BENCH_DEBUG"):
                print(json.dumps(seen, ensure_ascii=False), result.stderr[-2000:], file=sys.stderr)
            stats = [json.loads((folder / f"p{n}.json").read_text()) for n in range(args.participants)]
        finally:
            for proc in publishers:
                end_process(proc)
            janus.stop()
        ffmpeg_ms = ffmpeg_decode_ms(clip)
    # frames sent over the measured window: each participant sends its clip at 25 fps
    window = seen["window_s"]
    ratios = []
    for n, stat in enumerate(stats):  # frames shown a second over frames sent a second, per participant
        name = "Người nói" if n == 0 else f"Xã {n:02d}"
        sent_rate = stat["sent"] / max(1e-6, time_of(stat) - stat["sent_since"])
        ratios.append(seen["shown_in_window"].get(name, 0) / window / sent_rate if window and sent_rate else 0.0)
        if os.environ.get("BENCH_DEBUG"):
            print(name, "sent/s", sent_rate, "shown/s", seen["shown_in_window"].get(name, 0) / window, stat["sent"],
                  file=sys.stderr)
    talk_started = stats[0]["began"] + TALK_AT
    shown_total = sum(seen["shown_in_window"].values())
    figures = {
        "participants": args.participants,
        "join_s": seen["join_s"],
        "frames_shown_ratio": min(ratios) if ratios else 0.0,
        "frames_shown_ratio_median": sorted(ratios)[len(ratios) // 2] if ratios else 0.0,
        "cpu_pct": 100 * seen["cpu_s"] / window if window else 0.0,
        "rss_mb": seen["rss_mb"],
        "speaker_switch_ms": (seen["speaker_at"] - talk_started) * 1000 if seen["speaker_at"] else None,
        "decode_ms_per_frame": 1000 * seen["cpu_s"] / shown_total if shown_total else None,
        "ffmpeg_decode_ms_per_frame": ffmpeg_ms,
    }
    for name, value in figures.items():
        print(f"{name}: {value:.2f}" if isinstance(value, float) else f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
