"""Conference media through a real Janus inside a private network namespace: participants publishing a test
pattern, a wall watching, one participant killed, Janus restarted — everybody back, nobody twice."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feeds.conference.settings import parse_conference
from feeds.core.config import SectionContext
from tests.support.broker import end_process
from tests.support.janus import JanusProcess
from tests.support.netns import inside, network_namespace
from tests.support.paths import ROOT
from tests.support.waiting import wait_until

PORT = 18088  # inside the namespace: nothing else listens there


@pytest.fixture
def room(tmp_path: Path):
    with network_namespace() as namespace:
        settings = parse_conference({"rooms": {"xa": {"address": f"janus://127.0.0.1:{PORT}/room/1234"}}},
                                    SectionContext("site.toml"))
        janus = JanusProcess(tmp_path / "janus", settings, port=PORT, namespace=namespace).start()
        peers: list[subprocess.Popen[bytes]] = []

        def peer(display: str, publish: bool, seconds: float = 30, talk: str = "") -> tuple[subprocess.Popen[bytes],
                                                                                             Path]:
            stats = tmp_path / f"{display}.json"
            args = [sys.executable, "-m", "tests.support.conference_peer", "--api", janus.api, "--room", "1234",
                    "--display", display, "--seconds", str(seconds), "--stats", str(stats),
                    *(["--talk", talk] if talk else [])]
            with (tmp_path / f"{display}.log").open("wb") as log:
                proc = subprocess.Popen(inside(namespace, [*args, *(["--publish"] if publish else [])]), cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=log)
            peers.append(proc)
            return proc, stats

        yield janus, peer
        for proc in peers:
            end_process(proc)
        janus.stop()


def _stats(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _id(stats: Path, display: str) -> int | None:
    return next((e["id"] for e in _stats(stats).get("events", []) if e.get("display") == display), None)


def test_a_wall_sees_every_participant_and_loses_only_the_one_that_died(room):
    _, peer = room
    hai_linh, _ = peer("Phường Hải Lĩnh", publish=True)
    peer("Xã Ngọc Lặc", publish=True)
    _, wall = peer("Tường IOC", publish=False)
    wait_until(lambda: all(_stats(wall).get("frames", {}).get(n, 0) > 50 for n in ("Phường Hải Lĩnh", "Xã Ngọc Lặc")),
               30, lambda: f"frames from both participants on the wall: {_stats(wall).get('frames')}")
    seen = _stats(wall)
    assert seen["shapes"]["Xã Ngọc Lặc"] == [360, 640, 4]  # BGRA, as the screen wants it
    hai_linh.send_signal(signal.SIGKILL)  # the commune's connection dies without a goodbye
    before = _stats(wall).get("frames", {}).get("Xã Ngọc Lặc", 0)
    wait_until(lambda: any(e["event"] in ("stalled", "left") and e["id"] == _id(wall, "Phường Hải Lĩnh")
                           for e in _stats(wall).get("events", [])), 10, "the wall to see that video is lost")
    wait_until(lambda: _stats(wall).get("frames", {}).get("Xã Ngọc Lặc", 0) > before + 50, 10, "the others to go on")


def _present(stats: Path) -> dict[int, str]:
    """Who the wall has in the room now: joined and not left since, by id."""
    present: dict[int, str] = {}
    for event in _stats(stats).get("events", []):
        if event["event"] == "joined":
            present[event["id"]] = event["display"]
        elif event["event"] == "left":
            present.pop(event["id"], None)
        elif event["event"] == "state" and event["state"] == "rejoining":
            present.clear()
    return present


def test_after_janus_restarts_everybody_is_back_once(room):
    janus, peer = room
    peer("Phường Hải Lĩnh", publish=True, seconds=60)
    _, wall = peer("Tường IOC", publish=False, seconds=60)
    wait_until(lambda: _stats(wall).get("frames", {}).get("Phường Hải Lĩnh", 0) > 30, 30, "the first frames")
    before = set(_present(wall))
    janus.stop()
    time.sleep(1)
    janus.start()

    def back() -> bool:
        now = _present(wall)
        frames = _stats(wall).get("frames_by_id", {})
        return bool(now) and not set(now) & before and all(frames.get(str(i), 0) > 30 for i in now)

    wait_until(back, 40, lambda: f"the participant's video back on the wall: {_stats(wall)}")
    assert sorted(_present(wall).values()) == ["Phường Hải Lĩnh"]  # back, and only once


def test_the_active_speaker_follows_who_talks(room):
    from feeds.conference.speaker import ActiveSpeaker

    _, peer = room
    peer("Phường Hải Lĩnh", publish=True, seconds=40, talk="3-9")
    peer("Xã Ngọc Lặc", publish=True, seconds=40, talk="11-17")
    _, wall = peer("Tường IOC", publish=False, seconds=40)

    def talked() -> list[str]:
        names = {e["id"]: e["display"] for e in _stats(wall).get("events", []) if e["event"] == "joined"}
        return [names.get(e["id"], "?") for e in _stats(wall).get("events", []) if e["event"] == "talking"]

    wait_until(lambda: "Xã Ngọc Lặc" in talked(), 40, lambda: f"both to talk: {talked()}")
    assert talked().index("Phường Hải Lĩnh") < talked().index("Xã Ngọc Lặc")
    speaker, chosen = ActiveSpeaker(), []
    names = {e["id"]: e["display"] for e in _stats(wall)["events"] if e["event"] == "joined"}
    for event in _stats(wall)["events"]:
        if event["event"] == "talking":
            speaker.talking(event["id"], event["at"])
        elif event["event"] == "stopped-talking":
            speaker.stopped(event["id"], event["at"])
        now = speaker.update(event["at"] + 1.5)
        if now is not None and (not chosen or chosen[-1] != names[now]):
            chosen.append(names[now])
    assert chosen == ["Phường Hải Lĩnh", "Xã Ngọc Lặc"]
