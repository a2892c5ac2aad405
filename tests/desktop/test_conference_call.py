"""A leader in a conference from the tablet's call page, with a real Janus in a network namespace: the camera
(the simulator's camera address) and a tone go out under the leader's name and unit, a wall sees them, the
microphone turned off shows in the name, the screen shared arrives as a presentation; a wall role may not join."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from feeds.conference.settings import parse_conference
from feeds.core.config import SectionContext
from tests.support.broker import end_process
from tests.support.janus import JanusProcess
from tests.support.netns import inside, network_namespace
from tests.support.paths import ROOT
from tests.support.waiting import wait_until

PORT = 18088


def _stats(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _tablet(namespace: str, tmp_path: Path, role: str, seconds: float, share: bool = False) -> dict:
    stats = tmp_path / f"tablet-{role}.json"
    done = subprocess.run(inside(namespace, [
        sys.executable, "-m", "tests.support.call_terminal", "--address", f"janus://127.0.0.1:{PORT}/room/1234",
        "--role", role, "--seconds", str(seconds), "--shot", str(tmp_path / f"call-{role}.png"), "--stats",
        str(stats), *(["--share"] if share else [])]), cwd=ROOT, capture_output=True, text=True,
        timeout=seconds + 60)
    assert done.returncode == 0, done.stderr[-3000:]
    return _stats(stats)


def test_a_leader_joins_from_the_tablet_and_the_wall_sees_camera_name_and_presentation(tmp_path: Path):
    with network_namespace() as namespace:
        settings = parse_conference({"rooms": {"xa": {"address": f"janus://127.0.0.1:{PORT}/room/1234"}}},
                                    SectionContext("site.toml"))
        janus = JanusProcess(tmp_path / "janus", settings, {"conference/room-1234": "bi-mat"}, port=PORT,
                             namespace=namespace).start()
        wall_stats = tmp_path / "wall.json"
        peers = [subprocess.Popen(inside(namespace, [
            sys.executable, "-m", "tests.support.conference_peer", "--api", janus.api, "--room", "1234",
            "--display", display, *(["--publish"] if publish else []), "--seconds", "60", "--stats",
            str(path)]), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for display, publish, path in (("Phường Hải Lĩnh — UBND phường", True, tmp_path / "xa.json"),
                                           ("Tường IOC", False, wall_stats))]
        try:
            wait_until(lambda: _stats(wall_stats).get("state") == "joined", 20, "the wall to join")
            tablet = _tablet(namespace, tmp_path, "leader", 24, share=True)
            refused = _tablet(namespace, tmp_path, "wall", 3)
        finally:
            for proc in peers:
                end_process(proc)
            janus.stop()
    seen = _stats(wall_stats)
    names = [e.get("display") for e in seen["events"] if e["event"] in ("joined", "renamed")]
    assert "Lãnh đạo tỉnh — UBND tỉnh" in names
    assert "Lãnh đạo tỉnh — UBND tỉnh · mic tắt" in names  # the microphone turned off, said in the name
    assert "Trình chiếu: Lãnh đạo tỉnh — UBND tỉnh" in names  # the shared screen: a presentation
    # the tablet's camera on the wall (at 15 fps when the machine is not also encoding the others' test video)
    assert seen["frames"].get("Lãnh đạo tỉnh — UBND tỉnh", 0) > 20
    assert seen["frames"].get("Trình chiếu: Lãnh đạo tỉnh — UBND tỉnh", 0) > 5
    # the tablet saw the commune, with its unit, and is the chair (a leader may chair)
    assert any(s["name"] == "Phường Hải Lĩnh" and s["unit"] == "UBND phường" and s["frames"] > 50
               for s in tablet["seats"].values()), tablet
    assert tablet["chair"] and tablet["chair_buttons"] and tablet["self_view"]
    assert tablet["checked"][:2] == ["conference.publish", "conference.chair"]
    # a wall may join as a viewer only (its tile), never from a call page that publishes: refused, and said so
    assert refused["state"] == "" and refused["status"].startswith("Refused") and not refused["chair"]


def test_a_paper_is_shared_as_the_page_on_screen(app, qtbot):
    """The paper viewer's page, rendered for the conference: sharp (1280 wide), portrait, even-sided BGRA."""
    from desktop.conference.call import _pixels
    from feeds.meetings.pdf_papers import make_paper
    from widgets.meetings.pdf_viewer import PaperViewer

    data = make_paper("UBND tỉnh Thanh Hóa", "Tờ trình", [("Nội dung", "Đầu tư cảng Nghi Sơn. " * 80)], pages=3)
    viewer = PaperViewer()
    viewer.resize(1000, 700)
    viewer.show()
    assert viewer.open_bytes("Tờ trình", data)
    first = viewer.page_image()
    assert first.width() == 1280 and first.height() > first.width()  # an A4 page, upright
    pixels = _pixels(first)
    assert pixels.shape[2] == 4 and pixels.shape[0] % 2 == 0 and pixels.shape[1] % 2 == 0
    assert pixels.shape[0] <= 720  # scaled to what the shared stream carries
    assert len({tuple(p) for p in pixels[::20, ::20].reshape(-1, 4)[:2000]}) > 2  # text, not a blank page
    viewer.go(2)
    qtbot.waitUntil(lambda: viewer.page() == 2, timeout=3000)
    assert viewer.page_image().cacheKey() != first.cacheKey()


def test_the_minutes_list_the_meetings_recordings(app):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    from feeds.meetings.minutes import make_minutes
    from feeds.meetings.records import Meeting

    line = "room-1234-Ph%C6%B0%E1%BB%9Dng-1796000000000000-video-0.mjr — Phường Hải Lĩnh, hình, 12.3 MB"
    pdf = make_minutes(Meeting("h1", "Giao ban", "tinh", 0, 3600, place="Phòng họp số 1"), "", [],
                       "UBND tỉnh Thanh Hóa", [line])
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    text = " ".join(" ".join(document.getAllText(p).text() for p in range(document.pageCount())).split()).lower()
    assert "ghi hình hội nghị" in text and "phường hải lĩnh, hình, 12.3 mb" in text
    without = make_minutes(Meeting("h1", "Giao ban", "tinh", 0, 3600), "", [], "UBND tỉnh Thanh Hóa")
    buffer2 = QBuffer()
    buffer2.setData(QByteArray(without))
    buffer2.open(QIODevice.OpenModeFlag.ReadOnly)
    document2 = QPdfDocument()
    document2.load(buffer2)
    assert "ghi hình" not in document2.getAllText(0).text().lower()
