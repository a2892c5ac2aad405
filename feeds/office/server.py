"""Running the office service on uvicorn: in the foreground (`controlroom office serve`) or embedded in a thread
(`controlroom demo`, tests). TLS is required unless it listens on loopback only."""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from pathlib import Path

import uvicorn

from feeds.office.api import create_app
from feeds.office.service import OfficeService

log = logging.getLogger(__name__)


class ServerError(RuntimeError):
    """The service cannot listen as asked (no TLS off loopback, the port in use)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(service: OfficeService, host: str, port: int, certfile: Path | None = None,
                keyfile: Path | None = None) -> uvicorn.Server:
    if certfile is None and not is_loopback(host):
        raise ServerError(f"the office service listens on {host} without TLS: set office.certfile and "
                          "office.keyfile (only a loopback address may go without)")
    config = uvicorn.Config(create_app(service), host=host, port=port, log_config=None, access_log=False,
                            ssl_certfile=str(certfile) if certfile else None,
                            ssl_keyfile=str(keyfile) if keyfile else None, timeout_graceful_shutdown=5,
                            limit_concurrency=1000, server_header=False)
    return uvicorn.Server(config)


class EmbeddedServer:
    """The service on a thread of its own; `start` returns once it accepts connections."""

    def __init__(self, server: uvicorn.Server) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.run, name="office-service", daemon=True)

    def start(self, timeout_s: float = 20.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if not self.thread.is_alive():
                raise ServerError("the office service stopped while starting (is the port in use?)")
            if time.monotonic() > deadline:
                raise ServerError("the office service did not start in time")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server (nothing to do if it never started: a program that quits before it began)."""
        self.server.should_exit = True
        if self.thread.ident is not None:
            self.thread.join(timeout=10)
