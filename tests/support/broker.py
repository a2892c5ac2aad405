"""A real Mosquitto broker on 127.0.0.1 and a free port, with persistence, that can be killed and restarted."""

from __future__ import annotations

import getpass
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from tests.support.waiting import wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def end_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Signal a server the test started and wait for it; killed if it has not gone within 10 s."""
    if proc and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_port(port: int, timeout_s: float = 10.0) -> None:
    def accepts() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    wait_until(accepts, timeout_s, f"something to listen on 127.0.0.1:{port}")


class Broker:
    def __init__(self, folder: Path, port: int | None = None, listener_options: str = "",
                 anonymous: bool = True, persistence: bool = True) -> None:
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(exe).exists():
            raise RuntimeError("mosquitto is not installed (apt-get install -y mosquitto)")
        self.exe = exe
        self.folder = folder
        self.port = port or free_port()
        self.conf = folder / "mosquitto.conf"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\n"
            f"{listener_options}"
            f"allow_anonymous {'true' if anonymous else 'false'}\n"
            # Started as root (CI), Mosquitto would switch to its own user and could not write the
            # session store in our temporary folder: keep the current user.
            f"user {getpass.getuser()}\n"
            # Sessions live in memory either way; persistence also writes them to disk (every second).
            f"persistence {'true' if persistence else 'false'}\n"
            f"persistence_location {folder / 'data'}/\n"
            "autosave_interval 1\n"
            "max_queued_messages 200000\n"
            "max_inflight_messages 1000\n"
            "log_dest none\n")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> Broker:
        self.proc = subprocess.Popen([self.exe, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        end_process(self.proc, sig)
        self.proc = None
