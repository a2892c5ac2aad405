"""Janus's signalling against a real Janus on loopback, configured by `write_janus_config`: sessions, rooms,
joining, the errors a person reads (no such room, wrong PIN, Janus away, an answer that is not Janus's)."""

from __future__ import annotations

import asyncio
import http.server
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from feeds.conference.address import AddressError, parse_room
from feeds.conference.settings import ConferenceSettings, RoomSettings, parse_conference
from feeds.conference.signalling import JanusError, JanusSession, VideoRoom
from feeds.core.config import ConfigError, SectionContext
from tests.support.broker import free_port
from tests.support.janus import JanusProcess


def _settings(port: int) -> ConferenceSettings:
    return parse_conference({"rooms": {
        "xa-hai-linh": {"address": f"janus://127.0.0.1:{port}/room/1234", "description": "Phường Hải Lĩnh",
                        "unit": "hai-linh", "publishers": 9},
        "phong-hop": {"address": f"janus://127.0.0.1:{port}/room/5678", "description": "Phòng họp số 1"}}},
        SectionContext("site.toml"))


@pytest.fixture
def janus(tmp_path: Path):
    port = free_port()
    server = JanusProcess(tmp_path / "janus", _settings(port), {"conference/room-1234": "bi-mat-chu-tri",
                                                                "conference/room-5678-pin": "2468"}, port).start()
    yield server
    server.stop()


def run(coroutine):
    return asyncio.run(coroutine)


def test_members_join_a_room_and_see_each_other(janus):
    async def scenario():
        first, second = JanusSession(janus.api), JanusSession(janus.api)
        await first.create()
        await second.create()
        try:
            room_a, room_b = VideoRoom(first, 1234), VideoRoom(second, 1234)
            await room_a.attach()
            await room_b.attach()
            assert await room_a.exists()
            joined = await room_a.join("Trung tâm IOC tỉnh")
            assert joined["videoroom"] == "joined" and joined["room"] == 1234 and joined["id"]
            await room_b.join("UBND phường Hải Lĩnh")
            names = sorted(p["display"] for p in await room_a.participants())
            assert names == ["Trung tâm IOC tỉnh", "UBND phường Hải Lĩnh"]
            await room_b.leave()
            return [p["display"] for p in await room_a.participants()]
        finally:
            await first.destroy()
            await second.destroy()

    assert run(scenario()) == ["Trung tâm IOC tỉnh"]


def test_a_missing_room_a_wrong_pin_and_a_wrong_secret_are_clear_errors(janus):
    async def scenario():
        session = JanusSession(janus.api)
        await session.create()
        errors = []
        try:
            for room, pin, secret, action in ((999, None, None, "join"), (5678, "0000", None, "join"),
                                              (1234, None, "sai", "kick")):
                handle = VideoRoom(session, room, pin, secret)
                await handle.attach()
                try:
                    if action == "join":
                        await handle.join("Khách")
                    else:
                        await handle.kick(1)
                except JanusError as exc:
                    errors.append((exc.code, exc.reason))
            right = VideoRoom(session, 5678, "2468")
            await right.attach()
            assert (await right.join("Thư ký"))["videoroom"] == "joined"
        finally:
            await session.destroy()
        return errors

    errors = run(scenario())
    assert errors[0][0] == 426 and "no such room" in errors[0][1]
    assert errors[1][0] == 433 and "wrong PIN" in errors[1][1]
    assert errors[2][0] == 433


def test_janus_away_or_not_janus_is_said_so(tmp_path: Path):
    class Garbage(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>not janus</html>")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    async def attempt(api: str) -> JanusError:
        session = JanusSession(api, timeout_s=3)
        try:
            await session.create()
        except JanusError as exc:
            return exc
        finally:
            if session.http is not None:
                await session.http.close()
        raise AssertionError("no error")

    try:
        garbage = run(attempt(f"http://127.0.0.1:{server.server_address[1]}/janus"))
        away = run(attempt(f"http://127.0.0.1:{free_port()}/janus"))
    finally:
        server.shutdown()
        server.server_close()
    assert "not JSON" in garbage.reason
    assert "cannot be reached" in away.reason


def test_room_addresses_and_settings_refuse_what_they_cannot_use():
    room = parse_room("janus://janus.ioc.local:8088/room/1234")
    assert room.api == "http://janus.ioc.local:8088/janus" and room.room == 1234
    assert parse_room("januss://janus.ioc.local/room/7").api == "https://janus.ioc.local:8089/janus"
    for bad in ("janus://u:p@host/room/1", "janus://host/rooms/1", "janus://host/room/x", "rtsp://host/room/1",
                "janus://host:99999/room/1"):
        with pytest.raises(AddressError):
            parse_room(bad)
    context = SectionContext("site.toml")
    with pytest.raises(ConfigError, match="secrets are never kept"):
        parse_conference({"rooms": {"a": {"address": "janus://h/room/1", "pin": "1234"}}}, context)
    with pytest.raises(ConfigError, match="same number"):
        parse_conference({"rooms": {"a": {"address": "janus://h/room/1"}, "b": {"address": "janus://h/room/1"}}},
                         context)
    two_sites = parse_conference({"rooms": {"a": {"address": "janus://h/room/1"},
                                            "b": {"address": "janus://other-janus/room/1"}}}, context)
    assert len(two_sites.rooms) == 2  # room numbers belong to their Janus
    assert isinstance(parse_conference({}, context).rooms, dict)
    assert RoomSettings("a", room).secret_name == "conference/room-1234"


def test_the_command_writes_a_private_configuration_janus_starts_with(tmp_path: Path, monkeypatch):
    port = free_port()
    site = tmp_path / "site.toml"
    site.write_text(f'[conference.rooms.xa]\naddress = "janus://127.0.0.1:{port}/room/4321"\n'
                    'description = "Xã Ngọc Lặc"\n', encoding="utf-8")
    monkeypatch.setenv("CONTROLROOM_SECRET_CONFERENCE_ROOM_4321", "mat-khau-phong")
    out = tmp_path / "janus"
    result = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "conference", "janus-config", "--out",
                             str(out), "--config", str(site), "--listen", f"127.0.0.1:{port}"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rooms = (out / "janus.plugin.videoroom.jcfg").read_text(encoding="utf-8")
    assert 'room-4321' in rooms and '"mat-khau-phong"' in rooms and '"Xã Ngọc Lặc"' in rooms
    assert stat.S_IMODE((out / "janus.plugin.videoroom.jcfg").stat().st_mode) == 0o600
    bad = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "conference", "janus-config", "--out",
                          str(out), "--rtp-ports", "9-5"], capture_output=True, text=True)
    assert bad.returncode == 2 and "rtp-ports" in bad.stderr


def test_the_chair_removes_a_participant_and_locks_the_room(janus):
    async def scenario():
        sessions = [JanusSession(janus.api) for _ in range(3)]
        for session in sessions:
            await session.create()
        try:
            chair = VideoRoom(sessions[0], 1234, secret="bi-mat-chu-tri")
            guest = VideoRoom(sessions[1], 1234)
            for handle in (chair, guest):
                await handle.attach()
            await chair.join("Chủ trì")
            joined = await guest.join("Khách")
            await chair.kick(int(joined["id"]))
            after_kick = sorted(p["display"] for p in await chair.participants())
            await chair.lock(True)
            late = VideoRoom(sessions[2], 1234)
            await late.attach()
            try:
                await late.join("Đến muộn")
                refused = None
            except JanusError as exc:
                refused = exc
            await chair.lock(False)
            again = VideoRoom(sessions[2], 1234)
            await again.attach()
            await again.join("Đến muộn")
            impostor = VideoRoom(sessions[1], 1234, secret="sai")
            await impostor.attach()
            try:
                await impostor.lock(True)
                forged = None
            except JanusError as exc:
                forged = exc
            return after_kick, refused, sorted(p["display"] for p in await chair.participants()), forged
        finally:
            for session in sessions:
                await session.destroy()

    after_kick, refused, finally_in, forged = run(scenario())
    assert after_kick == ["Chủ trì"]
    assert refused is not None and refused.code == 433
    assert finally_in == ["Chủ trì", "Đến muộn"]
    assert forged is not None and forged.code == 433
