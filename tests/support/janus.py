"""A real Janus (Debian's package) on 127.0.0.1 and a free port, configured by the program's own janus-config."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from feeds.conference.janus_config import JanusListen, write_janus_config
from feeds.conference.settings import ConferenceSettings
from tests.support.broker import end_process, free_port, wait_port
from tests.support.waiting import wait_until


class JanusProcess:
    def __init__(self, folder: Path, settings: ConferenceSettings, secrets: dict[str, str] | None = None,
                 port: int | None = None, namespace: str = "") -> None:
        if shutil.which("janus") is None:
            raise RuntimeError("janus is not installed (apt-get install -y janus)")
        self.folder = folder
        self.port = port or free_port()
        self.settings = settings
        self.secrets = secrets or {}
        self.namespace = namespace  # run inside this network namespace (media tests)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / "janus.log"

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/janus"

    def start(self) -> JanusProcess:
        config = write_janus_config(self.folder, self.settings, JanusListen("127.0.0.1", self.port, (20000, 20100)),
                                    self.secrets.get)
        with self.log.open("ab") as log:
            command = ["janus", "-C", str(config), "-F", str(self.folder)]
            if self.namespace:
                command = ["ip", "netns", "exec", self.namespace, *command]
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        if self.namespace:  # its port is inside the namespace: wait for its log instead
            wait_until(lambda: b"HTTP webserver started" in self.log.read_bytes(), 15, "Janus to listen")
        else:
            wait_port(self.port, 15)
        return self

    def stop(self) -> None:
        end_process(self.proc)
