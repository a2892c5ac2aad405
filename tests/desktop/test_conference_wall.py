"""A conference on the wall: `controlroom wall` with a conference tile, in the network namespace of a real Janus
with two communes publishing — their pictures and names on the wall's screenshot, looked at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from desktop.config.loader import default_config_text
from feeds.conference.settings import parse_conference
from feeds.core.config import SectionContext
from tests.support.broker import end_process
from tests.support.janus import JanusProcess
from tests.support.netns import inside, network_namespace
from tests.support.paths import ROOT

PORT = 18088

LAYOUT = """
[layouts.hoi-nghi-xa]
title = "Hội nghị trực tuyến với các xã"
title_en = "Video conference with the communes"
preset = "1"

[[layouts.hoi-nghi-xa.tiles]]
type = "conference"
title = "Phòng họp trực tuyến"
options = { room = "xa", layout = "LAYOUT" }

[conference.rooms.xa]
address = "janus://127.0.0.1:PORT/room/1234"
description = "Các xã ven biển"
""".replace("PORT", str(PORT))


def _wall(tmp_path: Path, layout: str, talk: tuple[str, str],
          displays: tuple[str, str] = ("Phường Hải Lĩnh", "Xã Ngọc Lặc")) -> QImage:
    """`controlroom wall` on a conference layout, two communes publishing (TALK: when each one's tone plays)."""
    site = tmp_path / "site.toml"
    # the wall shows the conference; the simulator's vessel alarms pop up elsewhere (a second wall screen)
    text = default_config_text().replace('screens = ["tong-quan"]', 'screens = ["hoi-nghi-xa"]', 1).replace(
        'target = "wall-1/0"', 'target = "wall-1/1"', 1)
    start = text.index("# Sign-in, roles by unit")
    site.write_text(text[:start] + LAYOUT.replace("LAYOUT", layout) + "\n" + text[start:], encoding="utf-8")
    shot = tmp_path / "wall.png"
    with network_namespace() as namespace:
        settings = parse_conference({"rooms": {"xa": {"address": f"janus://127.0.0.1:{PORT}/room/1234"}}},
                                    SectionContext("site.toml"))
        janus = JanusProcess(tmp_path / "janus", settings, port=PORT, namespace=namespace).start()
        peers = [subprocess.Popen(inside(namespace, [
            sys.executable, "-m", "tests.support.conference_peer", "--api", janus.api, "--room", "1234",
            "--display", display, "--publish", "--seconds", "40", "--stats", str(tmp_path / f"{n}.json"),
            *(["--talk", talk[n]] if talk[n] else [])]),
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for n, display in enumerate(displays)]
        try:
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            wall = subprocess.run(inside(namespace, [
                sys.executable, "-m", "desktop.commands.cli", "wall", "--config", str(site), "--cache",
                str(tmp_path / "cache.sqlite"), "--screenshot", str(shot), "--quit-after", "12"]),
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
            assert wall.returncode == 0, wall.stderr[-3000:]
        finally:
            for proc in peers:
                end_process(proc)
            janus.stop()
    image = QImage(str(shot))
    assert not image.isNull()
    target = Path(os.environ.get("CONTROLROOM_SHOTS", tmp_path)) / f"wall-conference-{layout}.png"
    image.save(str(target))
    return image


def test_two_communes_appear_on_the_wall_with_their_names(tmp_path: Path, qapp):
    image = _wall(tmp_path, "gallery", ("", ""))
    # the test pattern (bars of colour) in both participants' cells: two rows in this square window
    middle = 130 + (image.height() - 160) // 2
    for top, bottom in ((140, middle - 40), (middle + 10, image.height() - 80)):
        colours = {image.pixel(x, y) for x in range(140, image.width() - 140, 7) for y in range(top, bottom, 7)}
        assert len(colours) > 200, f"no moving picture between y={top} and y={bottom}"


def test_the_speaker_layout_puts_who_talks_large(tmp_path: Path, qapp):
    image = _wall(tmp_path, "speaker", ("", "2-30"))  # Xã Ngọc Lặc talks from two seconds in
    # the speaker's picture fills the top of the tile; the other sits in the filmstrip below
    top = {image.pixel(x, y) for x in range(140, image.width() - 140, 7) for y in range(160, 500, 7)}
    assert len(top) > 200
    strip = image.height() - 120
    left = {image.pixel(x, strip) for x in range(30, image.width() // 4, 3)}
    right = {image.pixel(x, strip) for x in range(image.width() // 2, image.width() - 30, 3)}
    assert len(left) > 20 and len(right) < len(left)  # one small picture at the strip's start, the rest empty


def test_the_presentation_layout_puts_the_shared_content_large(tmp_path: Path, qapp):
    image = _wall(tmp_path, "presentation", ("", ""),
                  ("Trình chiếu: Phường Hải Lĩnh — UBND phường", "Xã Ngọc Lặc — UBND xã"))
    # the shared content fills the left of the tile; the speaker sits small in the column on the right
    width = image.width()
    left = {image.pixel(x, y) for x in range(40, int(width * 0.7), 7) for y in range(200, 500, 7)}
    assert len(left) > 200, "no shared content on the left"
    column = {image.pixel(x, 200) for x in range(int(width * 0.8), width - 30, 2)}
    below = {image.pixel(x, image.height() - 60) for x in range(int(width * 0.8), width - 30, 2)}
    assert len(column) > 10 and len(below) < len(column)  # one small picture at the column's top
