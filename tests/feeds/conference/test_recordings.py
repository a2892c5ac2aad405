"""A room's recording, on premises: Janus records a participant (real Janus, in a network namespace), the files
are listed with who and when, one is turned into a .webm any player opens, and the meeting held in that room
lists them (its minutes show them: tests/desktop/test_conference_call.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from feeds.conference.recordings import Recording, convert, list_recordings, parse_name, recording_base
from feeds.conference.settings import parse_conference
from feeds.core.config import SectionContext
from feeds.meetings.records import Meeting
from feeds.office.conference_records import meeting_recordings
from tests.support.broker import end_process
from tests.support.janus import JanusProcess
from tests.support.netns import inside, network_namespace
from tests.support.paths import ROOT
from tests.support.waiting import wait_until

PORT = 18088
NAME = "Phường Hải Lĩnh — UBND phường"


def test_names_say_who_and_when_and_others_are_ignored(tmp_path: Path):
    base = recording_base(1234, NAME, 1_796_000_000.25)
    (tmp_path / f"{base}-video-1.mjr").write_bytes(b"x" * 10)
    (tmp_path / "videoroom-1234-user-42-1796000001000000-audio-0.mjr").write_bytes(b"x")
    (tmp_path / "videoroom-99-user-7-1796000002000000-video-0.mjr").write_bytes(b"x")
    for junk in ("notes.txt", "room-1234-x.mjr", "videoroom-1234-user-1-12-audio-0.mjr"):
        (tmp_path / junk).write_bytes(b"x")
    found = list_recordings(tmp_path, 1234)
    assert [(r.participant, r.kind, r.size) for r in found] == [(NAME, "video", 10), ("#42", "audio", 1)]
    assert abs(found[0].started - 1_796_000_000.25) < 1e-3
    assert len(list_recordings(tmp_path)) == 3 and list_recordings(tmp_path / "not-yet") == []
    assert parse_name(tmp_path / "notes.txt") is None


def test_janus_records_a_room_and_the_meeting_lists_it(tmp_path: Path):
    recordings = tmp_path / "recordings"
    settings = parse_conference({"recordings": str(recordings), "rooms": {"phong-hop": {
        "address": f"janus://127.0.0.1:{PORT}/room/1234", "description": "Phòng họp số 1", "record": True}}},
        SectionContext(str(tmp_path / "site.toml")))
    began = time.time()
    with network_namespace() as namespace:
        janus = JanusProcess(tmp_path / "janus", settings, port=PORT, namespace=namespace).start()
        stats = tmp_path / "peer.json"
        peer = subprocess.Popen(inside(namespace, [
            sys.executable, "-m", "tests.support.conference_peer", "--api", janus.api, "--room", "1234",
            "--display", NAME, "--publish", "--talk", "0-30", "--seconds", "30", "--stats", str(stats)]),
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: stats.exists() and json.loads(stats.read_text()).get("state") == "joined", 20,
                       "the participant to join")
            wait_until(lambda: any(r.kind == "video" and r.size > 100_000 for r in list_recordings(recordings)),
                       30, lambda: f"a recording to grow: {list_recordings(recordings)}")
            time.sleep(4)  # a few seconds of it
        finally:
            end_process(peer)
            janus.stop()
    found = list_recordings(recordings, 1234)
    assert {r.kind for r in found} == {"audio", "video"} and {r.participant for r in found} == {NAME}
    assert all(began - 1 <= r.started <= time.time() for r in found)
    video = next(r for r in found if r.kind == "video")
    webm = convert(video, tmp_path / "converted")
    site = tmp_path / "site.toml"
    site.write_text(f"""[conference]\nrecordings = "{recordings}"\n[conference.rooms.phong-hop]\n"""
                    f"""address = "janus://127.0.0.1:{PORT}/room/1234"\ndescription = "Phòng họp số 1"\n""",
                    encoding="utf-8")
    listed = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "conference", "recordings", "--config",
                             str(site), "--room", "phong-hop", "--convert", str(tmp_path / "cli")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count(NAME) == 2 and "2 recording(s)" in listed.stdout and ".webm" in listed.stdout
    nowhere = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "conference", "recordings", "--config",
                              str(site), "--room", "hoi-truong"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60)
    assert nowhere.returncode == 2 and "no room 'hoi-truong'" in nowhere.stderr
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                            str(webm)], capture_output=True, text=True, check=True)
    assert float(probe.stdout.strip()) > 2  # seconds of picture any player opens

    meeting = Meeting("h1", "Giao ban", "tinh", began - 600, began + 3600, place="Phòng họp số 1")
    lines = meeting_recordings(settings)(meeting)
    assert len(lines) == 2 and all(NAME in line for line in lines) and video.path.name in "".join(lines)
    assert meeting_recordings(settings)(Meeting("h2", "Khác", "tinh", began - 600, began + 3600,
                                                place="Hội trường")) == []
    assert meeting_recordings(settings)(Meeting("h3", "Hôm qua", "tinh", began - 90_000, began - 86_000,
                                                place="Phòng họp số 1")) == []


def test_a_recording_that_cannot_be_converted_says_why(tmp_path: Path):
    import pytest

    from feeds.conference.recordings import RecordingError

    bad = tmp_path / "room-1-x-1796000000000000-video-0.mjr"
    bad.write_bytes(b"not a recording")
    with pytest.raises(RecordingError, match="janus-pp-rec"):
        convert(Recording(bad, 1, "x", "video", 0.0, 15), tmp_path / "out")
