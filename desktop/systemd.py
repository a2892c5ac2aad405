"""Telling systemd the program is up and alive (READY=1, WATCHDOG=1), so a hung kiosk gets restarted."""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


class SystemdNotifier:
    """READY=1 then WATCHDOG=1 from the GUI thread, so a hung event loop gets the kiosk restarted."""

    def __init__(self) -> None:
        address = os.environ.get("NOTIFY_SOCKET", "")
        self.sock: socket.socket | None = None
        if address:
            self.address = "\0" + address[1:] if address.startswith("@") else address
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)

    def notify(self, message: str) -> None:
        if self.sock is not None:
            try:
                self.sock.sendto(message.encode(), self.address)
            except OSError as exc:
                log.warning("systemd notify failed: %s", exc)
