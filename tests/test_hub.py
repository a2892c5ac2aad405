"""The feed hub: the ingest process is restarted when it dies, and only then."""

from __future__ import annotations

import multiprocessing

from desktop.config import FeedConfig
from desktop.hub import FeedHub


def test_a_killed_ingest_process_is_restarted_and_a_stopped_one_is_not(app, qtbot, tmp_path):
    hub = FeedHub({"ioc": FeedConfig("ioc", "sim://ioc", {"speed": 36000.0})}, str(tmp_path / "hub.sqlite"))
    hub.start()
    try:
        qtbot.waitUntil(lambda: hub.delivered > 0, timeout=20_000)
        first = hub._process
        first.kill()
        qtbot.waitUntil(lambda: hub.restarts == 1 and hub._process is not first and hub._process.is_alive(),
                        timeout=20_000)
        delivered = hub.delivered
        qtbot.waitUntil(lambda: hub.delivered > delivered, timeout=20_000)  # the new process delivers
        hub.stop()
        hub.start()  # a stop and a start: one process, and nothing "restarted"
        qtbot.waitUntil(lambda: hub.delivered > delivered, timeout=20_000)
        qtbot.wait(1500)
        ingest = [p for p in multiprocessing.active_children() if p.name == "controlroom-ingest"]
        assert hub.restarts == 1 and len(ingest) == 1
    finally:
        hub.stop()
