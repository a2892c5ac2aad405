"""Live camera streams (issue #3): the decode worker, the camera tile and its binding, on real RTSP over loopback."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop.config.layouts import ScreenLayout, place
from desktop.config.loader import default_config_text, parse_config
from desktop.windows.cameras import CameraManager
from desktop.windows.terminal import TerminalWindow
from feeds.core.records import Measurement
from feeds.video.config import CameraConfig
from feeds.video.frames import StreamState
from feeds.video.streams import VideoStream, backoff_schedule, check_address
from tests.support.waiting import wait_until
from widgets.base.registry import tile_types
from widgets.base.spec import TileSpec
from widgets.base.tile import TileContext
from widgets.video.camera_tile import SIGNAL_LOST, CameraTile

SHOTS = Path(os.environ.get("CONTROLROOM_SHOTS", "/tmp/controlroom-shots"))


def sim_cameras(n: int = 9) -> dict[str, CameraConfig]:
    return {f"cam{i:02d}": CameraConfig(f"cam{i:02d}", f"Nút giao số {i}", f"sim://camera/{i}?size=1280x720",
                                        f"sim://camera/{i}?size=640x360") for i in range(1, n + 1)}


def camera_layout(ids: list[str], preset: str = "3x3", **options) -> ScreenLayout:
    tiles = [TileSpec(type="camera", key="traffic/#", options={"camera": c, **options}) for c in ids]
    return place("cams", tiles, preset=preset, title="Camera giao thông")


def wall(qtbot, cameras: dict[str, CameraConfig], layout: ScreenLayout, cache, size=(1600, 900), **kw):
    window = TerminalWindow("wall-1", 0, TileContext(language="vi"), cache)
    qtbot.addWidget(window)
    window.resize(*size)
    window.apply("cams", layout)
    manager = CameraManager(cameras, "vi", **kw)
    manager.attach(window.grid)
    window.show()
    qtbot.waitExposed(window)
    return window, manager


def camera_tiles(window) -> list[CameraTile]:
    return [t for t in window.grid.tiles if isinstance(t, CameraTile)]


def listening(port: int) -> bool:
    """Whether a TCP socket listens on `port`, as the kernel lists it (a probe connection would take the one
    client of a one-client server)."""
    rows = [row.split() for row in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return any(row[1].endswith(f":{port:04X}") and row[3] == "0A" for row in rows)  # 0A: LISTEN


def mean_level(image: QImage) -> float:
    step = max(1, image.width() // 40)
    values = [QImage.pixelColor(image, x, y).lightness() for x in range(0, image.width(), step)
              for y in range(0, image.height(), step)]
    return sum(values) / len(values)


def test_three_by_three_wall_of_simulated_cameras_shows_pictures(app, qtbot, cache):
    window, manager = wall(qtbot, sim_cameras(), camera_layout([f"cam{i:02d}" for i in range(1, 10)]), cache)
    tiles = camera_tiles(window)
    qtbot.waitUntil(lambda: all(t.view.frames_painted >= 3 for t in tiles), timeout=10000)
    window.grid.dispatch([Measurement("traffic/cam01/violations", 12, time.time(), "traffic"),
                          Measurement("traffic/cam01/flow", 840, time.time(), "traffic")])
    for tile in tiles:
        tile.refresh_age(time.time())
    assert set(manager.decoding().values()) == {"sub"}  # 3×3 tiles are smaller than the 640×360 sub-stream
    assert "12" in tiles[0].stats_text() and "840" in tiles[0].stats_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = window.grab()
    shot.save(str(SHOTS / "wall-3x3-sim.png"))
    for tile in tiles:
        picture = tile.view.grab().toImage()
        assert mean_level(picture) > 40, f"tile {tile.camera} is black"
        assert all(t.health.state == StreamState.LIVE for t in tiles)
    manager.stop()
    assert manager.join(5)


# -- real RTSP on loopback ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    from tests.support.rtsp_server import make_clip

    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", size="640x360", fps=25, seconds=4)


def rtsp_camera(url: str) -> dict[str, CameraConfig]:
    return {"rtsp1": CameraConfig("rtsp1", "Camera RTSP", url, "")}


class LoopLag:
    """The longest gap between ticks of a 20 ms GUI timer: how responsive the event loop stayed."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.worst = 0.0
        self.last = time.monotonic()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(20)

    def _tick(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self.last - 0.02)
        self.last = now


def test_rtsp_stream_shows_frames_then_signal_lost_then_recovers(app, qtbot, cache, clip):
    from tests.support.rtsp_server import RtspServer

    server = RtspServer(clip).start()
    try:
        window, manager = wall(qtbot, rtsp_camera(server.url), camera_layout(["rtsp1", "rtsp1"], preset="2x2"), cache)
        tile = camera_tiles(window)[0]
        qtbot.waitUntil(lambda: tile.view.frames_painted >= 5, timeout=15000)
        first = tile.view.image.copy()
        qtbot.wait(400)
        second = tile.view.image.copy()
        assert mean_level(second) > 40, "the RTSP picture is black"
        # the burnt-in clock/frame counter (bottom left) and testsrc's moving pattern advance
        h = first.height()
        assert first.copy(0, int(h * 0.8), first.width() // 2, h // 5) != second.copy(0, int(h * 0.8),
                                                                                    first.width() // 2, h // 5)
        assert tile.health.state == StreamState.LIVE
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "rtsp-live.png"))

        lag = LoopLag()
        killed = time.monotonic()
        server.stop()
        qtbot.waitUntil(lambda: tile.health.state == StreamState.LOST, timeout=3000)
        lost_after = time.monotonic() - killed
        tile.refresh_age(time.time())
        qtbot.wait(100)
        window.grab().save(str(SHOTS / "rtsp-lost.png"))
        assert "lost at" in tile.lost_text() and tile.view.image is not None  # last frame kept (greyed)
        assert tile.view.grey is not None and SIGNAL_LOST == "MẤT TÍN HIỆU / SIGNAL LOST"
        assert lost_after < 3.0
        assert lag.worst < 0.25, f"GUI stalled {lag.worst:.2f} s while the stream died"

        server = RtspServer(clip, port=server.port).start()
        back = time.monotonic()
        painted = tile.view.frames_painted
        qtbot.waitUntil(lambda: tile.health.state == StreamState.LIVE and tile.view.frames_painted > painted,
                        timeout=10000)
        assert time.monotonic() - back < 10
        manager.stop()
        assert manager.join(8)
    finally:
        server.stop()


def test_main_stream_when_maximised_without_black_flash_and_hidden_tiles_stop(app, qtbot, cache):
    window, manager = wall(qtbot, sim_cameras(4), camera_layout([f"cam{i:02d}" for i in range(1, 5)], "2x2"), cache,
                           size=(1100, 700))
    tiles = camera_tiles(window)
    qtbot.waitUntil(lambda: all(t.view.frames_painted >= 2 for t in tiles), timeout=10000)
    assert manager.decoding() == {f"cam{i:02d}": "sub" for i in range(1, 5)}
    big = tiles[0]
    others = [manager.bindings[id(t)].stream for t in tiles[1:]]
    window.grid.maximise(big)
    manager.refresh()
    assert big.view.image is not None  # the last picture stays until the main stream's first frame
    painted = big.view.frames_painted
    qtbot.waitUntil(lambda: big.view.frames_painted > painted + 2, timeout=10000)
    assert manager.decoding() == {"cam01": "main"}
    assert big.view.image.width() > 640  # main-stream pixels
    window.grab().save(str(SHOTS / "wall-maximised-main.png"))
    received = [s.received for s in others]
    qtbot.wait(600)
    assert all(not s.alive() or s.received == r for s, r in zip(others, received))
    qtbot.waitUntil(lambda: not any(s.alive() for s in others), timeout=5000)
    assert [s.received for s in others] == received or all(s.received - r <= 1 for s, r in zip(others, received))
    window.grid.maximise(None)
    manager.refresh()
    qtbot.waitUntil(lambda: len(manager.decoding()) == 4, timeout=3000)
    assert manager.decoding()["cam01"] == "sub"
    window.hide()
    manager.refresh()
    assert manager.decoding() == {}
    manager.stop()
    assert manager.join(5)


def test_carousel_cycles_cameras_every_n_seconds(app, qtbot, cache):
    layout = camera_layout(["cam01"], "1", cameras=["cam01", "cam02", "cam03"], carousel_s=0.5)
    window, manager = wall(qtbot, sim_cameras(3), layout, cache, size=(640, 420))
    tile = camera_tiles(window)[0]
    changes: list[tuple[float, str]] = []
    tile.cameraChanged.connect(lambda c: changes.append((time.monotonic(), c)))
    qtbot.waitUntil(lambda: len(changes) >= 3, timeout=5000)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(changes)]
    assert all(0.35 < g < 0.8 for g in gaps), gaps
    assert [c for _, c in changes[:3]] in (["cam02", "cam03", "cam01"], ["cam03", "cam01", "cam02"],
                                             ["cam01", "cam02", "cam03"])
    qtbot.waitUntil(lambda: manager.decoding().get(tile.camera) is not None, timeout=2000)
    assert list(manager.decoding()) == [tile.camera]  # one worker, following the carousel
    manager.stop()
    assert manager.join(5)


def test_bad_addresses_give_a_clear_error_and_leak_nothing(app, qtbot, cache, tmp_path):
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(os.urandom(50_000))
    cameras = {"bad": CameraConfig("bad", "Sai địa chỉ", "rtsp:///no-host"),
               "corrupt": CameraConfig("corrupt", "Tệp hỏng", corrupt.as_uri()),
               "blackhole": CameraConfig("blackhole", "Không định tuyến", "rtsp://10.255.255.1:554/cam")}
    threads_before = threading.active_count()
    window, manager = wall(qtbot, cameras, camera_layout(["bad", "corrupt", "blackhole", "nosuch"], "2x2"), cache,
                           open_timeout_s=1.0, read_timeout_s=1.0)
    tiles = {t.camera: t for t in camera_tiles(window)}
    qtbot.waitUntil(lambda: all(t.health is not None and t.health.state in (StreamState.ERROR, StreamState.LOST)
                                for t in tiles.values()), timeout=4000)
    assert tiles["bad"].health.state == StreamState.ERROR and "no host" in tiles["bad"].lost_text()
    assert tiles["corrupt"].health.state == StreamState.ERROR
    assert "Cannot show camera" in tiles["corrupt"].lost_text()
    assert tiles["nosuch"].health.state == StreamState.ERROR and "unknown camera" in tiles["nosuch"].lost_text()
    assert tiles["blackhole"].health.state == StreamState.LOST
    window.grab().save(str(SHOTS / "camera-errors.png"))
    manager.stop()
    assert manager.join(5)
    qtbot.waitUntil(lambda: threading.active_count() <= threads_before + 1, timeout=3000)  # (+ the watchdog)
    with pytest.raises(ValueError):
        check_address("ftp://example/x")
    with pytest.raises(ValueError):
        check_address("sim://camera/x")


def test_hundred_reconnect_cycles_leak_no_thread_or_descriptor():
    def fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    from tests.support.rtsp_server import free_port

    port = free_port()  # nothing listens: every open is refused at once
    VideoStream(f"rtsp://127.0.0.1:{port}/x", lambda f: None, min_backoff_s=0.001, max_backoff_s=0.002).start().stop(2)
    threads, descriptors = threading.active_count(), fds()
    stream = VideoStream(f"rtsp://127.0.0.1:{port}/x", lambda f: None, min_backoff_s=0.001, max_backoff_s=0.002,
                         open_timeout_s=1.0).start()
    wait_until(lambda: stream.opens >= 100, 60, lambda: f"100 opens, have {stream.opens}")
    assert fds() <= descriptors + 2  # (a capture being opened right now)
    stream.stop(5)
    assert not stream.alive()
    wait_until(lambda: threading.active_count() <= threads and fds() <= descriptors, 0.5,
               lambda: f"{threads} threads and {descriptors} descriptors, have {threading.active_count()} and {fds()}")
    assert backoff_schedule(0.5, 10.0, 8) == [0.5, 1, 2, 4, 8, 10, 10, 10]


def test_snapshot_hotspot_and_push_a_camera_to_the_wall(app, qtbot, cache, tmp_path):
    from desktop.scenes import layout_of
    from desktop.windows.operator import OperatorWindow

    layout = camera_layout([f"cam{i:02d}" for i in range(1, 10)])
    context = TileContext(language="vi")
    console = OperatorWindow(context, cache, {"cams": layout}, ("wall-1/0",), "tester")
    qtbot.addWidget(console)
    console.resize(1600, 950)
    console.show_layout("cams")
    manager = CameraManager(sim_cameras(), "vi", snapshot_dir=tmp_path / "evidence")
    manager.attach(console.grid)
    hotspot = manager.attach_operator(console)
    console.show()
    qtbot.waitExposed(console)
    tiles = camera_tiles(console)
    qtbot.mouseClick(tiles[4], __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    assert hotspot.tile is not None and hotspot.tile.camera == "cam05"
    qtbot.waitUntil(lambda: hotspot.tile.view.frames_painted >= 2, timeout=10000)
    assert manager.decoding()["cam05"] in ("main", "sub")
    path = hotspot.snapshot()
    assert path is not None and path.exists() and path.name.startswith("cam05-") and path.suffix == ".png"
    assert not QImage(str(path)).isNull()
    console.grab().save(str(SHOTS / "operator-hotspot.png"))
    pushed = []
    console.pushRequested.connect(pushed.append)
    hotspot.push("wall-1/0")
    assert len(pushed) == 1 and pushed[0].target == "wall-1/0"
    sent = layout_of(pushed[0])
    assert [t.options["camera"] for t in sent.tiles] == ["cam05"] and sent.rows == sent.cols == 1
    window, wall_manager = wall(qtbot, sim_cameras(), sent, cache, size=(960, 600))
    qtbot.waitUntil(lambda: camera_tiles(window)[0].view.frames_painted >= 2, timeout=10000)
    assert wall_manager.decoding() == {"cam05": "main"}  # a full-screen tile is larger than the sub-stream
    for m in (manager, wall_manager):
        m.stop()
        assert m.join(5)


def test_decode_budget_degrades_with_a_visible_notice(app, qtbot, cache):
    window, manager = wall(qtbot, sim_cameras(4), camera_layout([f"cam{i:02d}" for i in range(1, 5)], "2x2"), cache,
                           size=(1100, 700), budget=False)
    tiles = camera_tiles(window)
    qtbot.waitUntil(lambda: all(t.view.frames_painted >= 1 for t in tiles), timeout=10000)
    manager.set_level(1)
    assert all(b.stream.fps == 10 for b in manager.bindings.values()) and tiles[0].degraded
    manager.set_level(3)
    assert all(b.stream.still_every_s == 5 for b in manager.bindings.values())
    assert "still" in tiles[0].degraded
    painted = tiles[0].view.frames_painted
    qtbot.wait(1500)
    assert tiles[0].view.frames_painted - painted <= 2  # a still every few seconds, not a stream
    window.grab().save(str(SHOTS / "budget-stills.png"))
    manager.set_level(0)
    assert not tiles[0].degraded
    manager.stop()
    assert manager.join(8)


def test_demo_configuration_has_a_camera_wall_and_traffic_statistics():
    from feeds.sim.scenarios import make_scenario

    config = parse_config(default_config_text(), "demo.toml", tile_types())
    cams = config.layouts["giao-thong"]
    assert (cams.rows, cams.cols, len(cams.tiles)) == (3, 3, 9)
    assert {t.options["camera"] for t in cams.tiles} <= set(config.section("cameras"))
    assert config.feeds["traffic"].address == "sim://traffic"
    assert all(config.layouts[name].tiles[0].type != "camera" for name in ("dieu-hanh", "tong-quan", "lanh-dao"))
    records = make_scenario("traffic", {"seed": 7, "speed": 1.0, "scale": 0, "source": "traffic"}).start(time.time())
    assert {r.key for r in records} >= {"traffic/cam01/violations", "traffic/cam09/flow"}
    bad = default_config_text() + '\n[cameras.x]\nname = "X"\nmain = "ftp://nowhere/x"\n'
    with pytest.raises(ValueError, match=r"cameras\.x\.main"):
        parse_config(bad, "bad.toml", tile_types())


def test_mjpeg_over_http(app, qtbot, cache, clip):
    """http:// — MJPEG as IP cameras serve it (ffmpeg as a one-client HTTP server on loopback)."""
    import subprocess

    from tests.support.rtsp_server import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/cam.mjpg"
    server = subprocess.Popen(["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", str(clip), "-c:v", "mjpeg",
                               "-q:v", "5", "-f", "mpjpeg", "-listen", "1", url], stdin=subprocess.DEVNULL)
    try:
        qtbot.waitUntil(lambda: listening(port) or server.poll() is not None, timeout=10_000)
        assert server.poll() is None, "ffmpeg exited"
        window, manager = wall(qtbot, {"mjpeg": CameraConfig("mjpeg", "MJPEG", url)}, camera_layout(["mjpeg"], "1"),
                               cache, size=(800, 500))
        tile = camera_tiles(window)[0]
        qtbot.waitUntil(lambda: tile.view.frames_painted >= 5, timeout=10000)
        assert tile.health.state == StreamState.LIVE and mean_level(tile.view.image) > 40
        manager.stop()
        assert manager.join(5)
    finally:
        server.kill()
        server.wait(5)


def test_overload_degrades_automatically_and_recovers(app, qtbot, cache):
    window, manager = wall(qtbot, sim_cameras(4), camera_layout([f"cam{i:02d}" for i in range(1, 5)], "2x2"), cache,
                           size=(1100, 700))
    manager._budget_timer.stop()  # driven by hand below: the machine's real load must not interfere
    tiles = camera_tiles(window)
    qtbot.waitUntil(lambda: all(t.view.frames_painted >= 1 for t in tiles), timeout=10000)
    cores = os.cpu_count() or 1

    def second(load: float) -> None:
        manager._last_check = (time.monotonic() - 1.0, time.process_time() - load * cores)
        manager._check_budget()

    for _ in range(3):
        second(0.97)
    assert manager.level == 1 and "reduced frame rate" in tiles[0].degraded
    for _ in range(6):
        second(0.97)
    assert manager.level == 3 and all(b.stream.still_every_s for b in manager.bindings.values())
    for _ in range(30):
        second(0.0)
    assert manager.level == 0 and not tiles[0].degraded
    manager.stop()
    assert manager.join(8)


def test_file_addresses_loop_for_rehearsals(tmp_path):
    from tests.support.rtsp_server import make_clip

    short = make_clip(tmp_path / "one-second.mp4", size="320x180", fps=25, seconds=1, clock=False)
    frames = []
    stream = VideoStream(short.as_uri(), frames.append, size=(160, 90), fps=25).start()
    time.sleep(2.5)  # a duration, not a wait: 2.5 s of playing, the 1 s clip has to loop (at its own rate)
    stream.stop(3)
    assert stream.received >= 50  # a 25-frame clip played past its end: it looped
    assert stream.health.state == StreamState.LIVE and frames[-1].image.shape == (90, 160, 4)
    assert stream.received <= 2.5 * 25 + 5  # at the clip's own frame rate, not as fast as it decodes
