"""The office service inside the demo: on loopback, on a free port, with the session's own accounts.

With no broker in the demo, its live state is handed to the session directly (a queued signal), as the
records an MQTT feed would have delivered."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from feeds.core.payloads import PayloadError
from feeds.identity.service import Identity
from feeds.meetings.live_records import MeetingLive
from feeds.meetings.settings import OfficeSettings
from feeds.office.server import EmbeddedServer, make_server
from feeds.office.service import OfficeService

log = logging.getLogger(__name__)


class SessionSink(QObject):
    """A LiveSink that turns the service's live messages into records for the session, on the GUI thread."""

    records = Signal(list)

    def publish(self, topic: str, value: dict[str, Any]) -> None:
        try:
            record = MeetingLive.from_payload(value, "office")
        except PayloadError as exc:  # our own service's message: a bug, logged, never a crash
            log.error("office live message on %s refused: %s", topic, exc.reason)
            return
        self.records.emit([record])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedOffice:
    def __init__(self, identity: Identity, folder: Path, settings: OfficeSettings | None = None) -> None:
        self.sink = SessionSink()
        self.service = OfficeService(settings or OfficeSettings(), identity, folder / "office.sqlite", self.sink)
        self.port = _free_port()
        self.server = EmbeddedServer(make_server(self.service, "127.0.0.1", self.port))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.service.seed_demo()  # today's meeting, made once a day
        self.server.start()
        self.service.publish_all()
        self.service.start_background()
        log.info("demo office service on %s", self.url)

    def stop(self) -> None:
        self.server.stop()
        self.service.close()
