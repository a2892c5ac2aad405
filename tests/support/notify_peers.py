"""Real peers for the notification tests: an SMTP server (aiosmtpd, with login) and local HTTP servers
answering as a test scripts them, all on 127.0.0.1 with free ports."""

from __future__ import annotations

import email
import email.policy
import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Seen:
    at: float
    headers: dict[str, str]
    body: dict[str, Any]


class HttpServer:
    """A ThreadingHTTPServer on 127.0.0.1:0 whose POST status comes from `script(n, body)` (n counts from 1)."""

    def __init__(self, script: Callable[[int, dict[str, Any]], int]) -> None:
        self.seen: list[Seen] = []
        self.release = threading.Event()  # set at teardown: stalled handlers give up
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                outer.seen.append(Seen(time.monotonic(), dict(self.headers.items()), body))
                status = script(len(outer.seen), body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the client gave up waiting: expected for the stalled server
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/send"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class Mailbox:
    """An aiosmtpd handler that keeps what it received, with the moment it arrived."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[float, Envelope]] = queue.Queue()
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.received.put((time.monotonic(), envelope))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"mat-khau-8")

    def next(self, timeout: float = 5.0) -> tuple[float, email.message.EmailMessage, Envelope]:
        at, envelope = self.received.get(timeout=timeout)
        return at, email.message_from_bytes(envelope.content, policy=email.policy.default), envelope


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=box.authenticate,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def http_servers() -> Iterator[Callable[[Callable[[int, dict[str, Any]], int]], HttpServer]]:
    servers: list[HttpServer] = []

    def start(script: Callable[[int, dict[str, Any]], int]) -> HttpServer:
        servers.append(HttpServer(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
