"""The office service inside the demo: on loopback, on a free port, with the session's own accounts.

With no broker in the demo, its live state is handed to the session directly (a queued signal), as the
records an MQTT feed would have delivered."""

from __future__ import annotations

import logging
import socket
import threading
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
    ready = Signal()  # the service answers (it starts on a thread of its own)
    failed = Signal(str)

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
        self.starting: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Make today's meeting (PDFs, once a day) and start the server off the GUI thread; `sink.ready` follows."""
        self.starting = threading.Thread(target=self._start, name="office-start", daemon=True)
        self.starting.start()

    def _start(self) -> None:
        try:
            self.service.seed_demo()
            self.server.start()
        except Exception as exc:  # shown and logged; the rest of the program goes on without meetings
            log.exception("the demo office service did not start")
            self.sink.failed.emit(str(exc))
            return
        self.service.publish_all()
        self.service.start_background()
        log.info("demo office service on %s", self.url)
        self.sink.ready.emit()

    def stop(self) -> None:
        if self.starting is not None:
            self.starting.join(timeout=30)
        self.server.stop()
        self.service.close()
