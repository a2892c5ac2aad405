"""Video wall bench: N RTSP streams served on loopback, shown by a real (offscreen) wall window.

    python bench/video_wall.py [--seconds 5] [--only 16x360]

Per configuration it prints `name: value` lines. Definitions:
  offered            frames the RTSP servers sent to the app during the window (25 fps per stream)
  frames_shown_ratio frames painted by the tiles / offered
  displayed_fps_per_tile  frames painted per tile per second
  decode_efficiency  ffmpeg's own CPU per decoded frame (`ffmpeg -benchmark -threads 2 -i clip -f null -`)
                     / the app's whole-process CPU per received frame (decode + convert + scale + paint)
  latency_added_p95_ms  95th percentile, frame received by the worker (grab returned) → painted on the tile
  cpu_percent        app process CPU over the window (100 = one core), rss_mb its resident memory
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={ROOT / 'tests/data/offscreen_screens.json'}")

from PySide6.QtCore import QEventLoop, QTimer

from desktop.application import make_application
from desktop.config.layouts import place
from desktop.windows.cameras import CameraManager
from desktop.windows.terminal import TerminalWindow
from feeds.store import Cache
from feeds.video.config import CameraConfig
from tests.support.rtsp_server import make_clip
from widgets.base.spec import TileSpec
from widgets.base.tile import TileContext
from widgets.video.camera_tile import CameraTile, VideoView

CONFIGS = [(1, "640x360"), (4, "640x360"), (9, "640x360"), (16, "640x360"), (4, "1280x720"), (9, "1280x720")]
PRESET = {1: "1", 4: "2x2", 9: "3x3", 16: "4x4"}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ffmpeg_cpu_per_frame(clip: Path) -> float:
    out = subprocess.run(["ffmpeg", "-benchmark", "-threads", "2", "-i", str(clip), "-f", "null", "-"],
                         capture_output=True, text=True, timeout=120).stderr
    bench = re.search(r"utime=([\d.]+)s stime=([\d.]+)s", out)
    frames = re.findall(r"frame=\s*(\d+)", out)
    return (float(bench.group(1)) + float(bench.group(2))) / max(1, int(frames[-1]))


def pump(app, seconds: float) -> None:
    """Run the real event loop for a while (a busy processEvents() loop would add its own CPU)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def run(app, n: int, size: str, clip: Path, seconds: float, tmp: Path) -> dict[str, float]:
    # The servers (ffmpeg + the RTSP relay) run in another process: the CPU measured here is the app's alone.
    servers = subprocess.Popen([sys.executable, "-m", "tests.support.rtsp_server", str(clip), str(n)], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    urls = servers.stdout.readline().split()

    def sent() -> int:
        servers.stdin.write("count\n")
        servers.stdin.flush()
        return sum(int(x) for x in servers.stdout.readline().split())

    cameras = {f"c{i}": CameraConfig(f"c{i}", f"Camera {i}", url, url, sub_size=(4096, 4096))
               for i, url in enumerate(urls)}
    tiles = [TileSpec(type="camera", options={"camera": f"c{i}"}) for i in range(n)]
    cache = Cache(tmp / f"bench-{n}-{size}.sqlite")
    window = TerminalWindow("wall-1", 0, TileContext(), cache)
    window.resize(1920, 1080)
    window.apply("bench", place("bench", tiles, preset=PRESET[n]))
    manager = CameraManager(cameras, budget=False)
    manager.attach(window.grid)
    window.show()
    views = [t.view for t in window.grid.tiles if isinstance(t, CameraTile)]
    deadline = time.monotonic() + 20
    while not all(v.frames_painted for v in views) and time.monotonic() < deadline:
        pump(app, 0.1)
    pump(app, 1.5)  # warm-up
    streams = [b.stream for b in manager.bindings.values()]
    painted0 = sum(v.frames_painted for v in views)
    sent0 = sent()
    received0 = sum(s.received for s in streams)
    grab0 = sum(s.grab_cpu_s for s in streams)
    paint0 = VideoView.paint_s
    for v in views:
        v.paint_latencies.clear()
    t0, cpu0 = time.monotonic(), time.process_time()
    pump(app, seconds)
    wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
    painted = sum(v.frames_painted for v in views) - painted0
    offered = sent() - sent0
    received = sum(s.received for s in streams) - received0
    grab_cpu = sum(s.grab_cpu_s for s in streams) - grab0
    paint = VideoView.paint_s - paint0
    latencies = sorted(x for v in views for x in v.paint_latencies)
    result = {"offered": offered, "frames_shown_ratio": painted / max(1, offered),
              "displayed_fps_per_tile": painted / n / wall, "cpu_percent": 100 * cpu / wall, "rss_mb": rss_mb(),
              "latency_added_p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
              "app_cpu_per_frame_ms": 1000 * cpu / max(1, received),
              "decode_cpu_per_frame_ms": 1000 * grab_cpu / max(1, received),
              "paint_ms_per_frame": 1000 * paint / max(1, painted)}
    manager.stop()
    manager.join(10)
    window.close()
    window.deleteLater()
    cache.close()
    servers.stdin.close()
    servers.wait(15)
    pump(app, 0.3)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--only", help="e.g. 16x360 or 9x720")
    args = parser.parse_args()
    app = make_application([])
    tmp = Path(tempfile.mkdtemp(prefix="video-wall-"))
    sizes = {s for _, s in CONFIGS}
    clips = {size: make_clip(tmp / f"clip-{size}.mp4", size=size, fps=25, seconds=8) for size in sizes}
    limit = {size: ffmpeg_cpu_per_frame(clip) for size, clip in clips.items()}
    for size, per_frame in limit.items():
        print(f"ffmpeg_decode_fps_per_core_{size.split('x')[1]}p: {1 / per_frame:.0f}")
    for n, size in CONFIGS:
        name = f"{n}x{size.split('x')[1]}p"
        if args.only and args.only != name.rstrip("p"):
            continue
        r = run(app, n, size, clips[size], args.seconds, tmp)
        decode_ms = r["decode_cpu_per_frame_ms"]
        r["decode_efficiency"] = limit[size] * 1000 / decode_ms if decode_ms else 0
        r["pipeline_efficiency"] = limit[size] * 1000 / r["app_cpu_per_frame_ms"] if r["app_cpu_per_frame_ms"] else 0
        for key in ("displayed_fps_per_tile", "frames_shown_ratio", "decode_efficiency", "latency_added_p95_ms",
                    "cpu_percent", "rss_mb", "offered", "pipeline_efficiency", "decode_cpu_per_frame_ms",
                    "app_cpu_per_frame_ms", "paint_ms_per_frame"):
            print(f"{name}.{key}: {r[key]:.3f}" if isinstance(r[key], float) else f"{name}.{key}: {r[key]}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
