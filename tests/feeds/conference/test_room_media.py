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
SECRET = "bi-mat-chu-tri"


@pytest.fixture
def room(tmp_path: Path):
    with network_namespace() as namespace:
        settings = parse_conference({"rooms": {"xa": {"address": f"janus://127.0.0.1:{PORT}/room/1234"}}},
                                    SectionContext("site.toml"))
        janus = JanusProcess(tmp_path / "janus", settings, {"conference/room-1234": SECRET}, port=PORT,
                             namespace=namespace).start()
        janus.namespace_name = namespace
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


def _chair(janus, action: str, display: str = "", secret: str = SECRET) -> dict:
    done = subprocess.run(inside(janus.namespace_name, [
        sys.executable, "-m", "tests.support.conference_chair", "--api", janus.api, "--room", "1234",
        "--secret", secret, "--action", action, "--display", display]), cwd=ROOT, capture_output=True, text=True,
        timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _events(stats: Path, kind: str) -> list[dict]:
    return [e for e in _stats(stats).get("events", []) if e["event"] == kind]


def test_the_chair_mutes_spotlights_removes_and_locks(room):
    janus, peer = room
    peer("Phường Hải Lĩnh", publish=True, seconds=90, talk="0-90")
    _, ngoc_lac = peer("Xã Ngọc Lặc", publish=True, seconds=90)
    _, wall = peer("Tường IOC", publish=False, seconds=90)
    wait_until(lambda: all(_stats(wall).get("frames", {}).get(n, 0) > 20 for n in ("Phường Hải Lĩnh", "Xã Ngọc Lặc")),
               30, lambda: f"both on the wall: {_stats(wall).get('frames')}")
    hai_linh_id, ngoc_lac_id = _id(wall, "Phường Hải Lĩnh"), _id(wall, "Xã Ngọc Lặc")
    assert _chair(janus, "mute", "Phường Hải Lĩnh", secret="sai-bi-mat")["code"] == 433  # not the chair

    assert _chair(janus, "mute", "Phường Hải Lĩnh")["ok"]
    wait_until(lambda: any(e["id"] == hai_linh_id and e["muted"] and e["kind"] == "audio"
                           for e in _events(wall, "moderated")), 10, "the wall to see the microphone muted")

    assert _chair(janus, "spotlight", "Xã Ngọc Lặc")["ok"]
    wait_until(lambda: any(e["id"] == ngoc_lac_id for e in _events(wall, "spotlight")), 10,
               "the spotlight on the wall")

    assert _chair(janus, "remove", "Xã Ngọc Lặc")["ok"]
    wait_until(lambda: ngoc_lac_id not in _present(wall) and _stats(ngoc_lac).get("state") == "removed", 10,
               lambda: f"the participant removed: {_stats(ngoc_lac).get('state')}")
    time.sleep(4)  # a removed member does not come back by itself
    assert "Xã Ngọc Lặc" not in _present(wall).values()
    assert _stats(ngoc_lac)["state"] == "removed"

    assert _chair(janus, "lock")["ok"]
    _, late = peer("Xã Nga Sơn", publish=True, seconds=60)
    wait_until(lambda: any("433" in e.get("reason", "") for e in _events(late, "state")), 15,
               lambda: f"the latecomer refused: {_events(late, 'state')}")
    assert "Xã Nga Sơn" not in _present(wall).values()
    assert _chair(janus, "unlock")["ok"]
    wait_until(lambda: "Xã Nga Sơn" in _present(wall).values(), 15, "the latecomer in once the room is open")
