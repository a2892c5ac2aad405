"""The demo's own conference: Debian's Janus started with the program's configuration and a simulated station in
the room; stopped with the program; a machine without Janus is told so instead."""

from __future__ import annotations

import asyncio
from pathlib import Path

from desktop.conference import embedded
from desktop.conference.embedded import EmbeddedConference
from feeds.conference.settings import parse_conference
from feeds.conference.signalling import JanusSession, VideoRoom
from feeds.core.config import SectionContext
from tests.support.broker import free_port
from tests.support.waiting import wait_until


def _settings(port: int):
    return parse_conference({"camera": "sim://camera/3", "microphone": "", "rooms": {"bien-phong": {
        "address": f"janus://127.0.0.1:{port}/room/1234", "description": "Đồn Biên phòng Lạch Bạng"}}},
        SectionContext("demo.toml"))


def _names(api: str) -> list[str]:
    async def ask() -> list[str]:
        session = JanusSession(api)
        await session.create()
        try:
            room = VideoRoom(session, 1234)
            await room.attach()
            return [p.get("display", "") for p in await room.participants()]
        finally:
            await session.destroy()
    return asyncio.run(ask())


def test_the_demo_starts_janus_with_a_station_in_the_room_and_stops_it(tmp_path: Path):
    port = free_port()
    demo = EmbeddedConference(_settings(port), tmp_path / "janus")
    demo.start()
    try:
        api = f"http://127.0.0.1:{port}/janus"
        wait_until(lambda: demo.janus is not None and embedded._listening("127.0.0.1", port), 20, "Janus to listen")
        wait_until(lambda: "Chủ tịch UBND — Đồn Biên phòng Lạch Bạng" in _names(api), 20,
                   lambda: f"the simulated station in the room: {_names(api)}")
        assert not demo.problem
    finally:
        demo.stop()
    assert demo.janus.poll() is not None and not embedded._listening("127.0.0.1", port)
    assert all(not m.thread.is_alive() for m in demo.members)


def test_without_janus_the_demo_says_so(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(embedded.shutil, "which", lambda name: None)
    demo = EmbeddedConference(_settings(free_port()), tmp_path / "janus")
    demo.start()
    demo.stop()
    assert "apt-get install janus" in demo.problem and demo.janus is None and not demo.members


def test_the_demo_starts_its_janus_only_when_a_room_is_wanted(app, tmp_path: Path):
    from desktop.config.loader import load_config
    from desktop.session import GuiOptions, Session
    from tests.support.people import LEADER
    from widgets.base.registry import tile_types

    session = Session(load_config(None, tile_types()), GuiOptions(roles=("leader",), cache_path=tmp_path / "c.sqlite",
                                                                  principal=LEADER))
    try:
        assert session.demo_conference is not None and session.demo_conference.starting is None  # nothing yet
        session.calls[0].panel.join.click()  # the leader joins the demo's room
        assert session.demo_conference.starting is not None and session.calls[0].member is not None
    finally:
        session.shutdown()
    assert session.demo_conference.janus is None or session.demo_conference.janus.poll() is not None
