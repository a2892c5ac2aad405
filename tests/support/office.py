"""A real office service process (`controlroom office serve`) on 127.0.0.1 and a free port, with test accounts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from feeds.identity.roles import Role
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings
from feeds.meetings.client import OfficeClient
from tests.support.broker import end_process, free_port
from tests.support.waiting import wait_until

PASSWORD = "mat-khau-hop"
# name, role, unit, display name
PEOPLE = (
    ("chutich", Role.LEADER, "tinh", "Đỗ Minh Tuấn"),
    ("pct1", Role.LEADER, "tinh", "Nguyễn Thị Lan"),
    ("pct2", Role.DUTY_LEADER, "tinh", "Lê Văn Hùng"),
    ("giamdoc", Role.LEADER, "so-tnmt", "Trần Quốc Bảo"),
    ("thuky", Role.SECRETARY, "tinh", "Phạm Thu Hà"),
    ("trucban", Role.DUTY_OPERATOR, "tinh", "Ngô Văn Trực"),
    ("quantri", Role.ADMINISTRATOR, "tinh", "Quản trị hệ thống"),
    ("thukytnmt", Role.SECRETARY, "so-tnmt", "Lê Thu Trang"),
)


def seed_people(path: Path, extra: int = 0) -> None:
    """The test accounts (CHEAPEST argon2: these tests are not about hashing cost), plus EXTRA leaders v001…"""
    identity = Identity(IdentitySettings(password_profile="CHEAPEST"), "test", path)
    try:
        for name, role, unit, display in PEOPLE:
            identity.accounts.add(name, PASSWORD, role, unit, display)
        for i in range(1, extra + 1):
            identity.accounts.add(f"v{i:03d}", PASSWORD, Role.LEADER, "tinh", f"Đại biểu {i:03d}")
    finally:
        identity.close()


class OfficeProcess:
    def __init__(self, folder: Path, broker_url: str = "", tls: tuple[Path, Path] | None = None,
                 extra_people: int = 0, office_config: str = "", max_paper_mb: int = 4) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.identity_db = folder / "identity.sqlite"
        self.db = folder / "office" / "office.sqlite"
        self.broker_url = broker_url
        self.tls = tls
        if not self.identity_db.exists():
            seed_people(self.identity_db, extra_people)
        office = f"[office]\nmax_paper_mb = {max_paper_mb}\n"
        if tls:
            office += f'certfile = "{tls[0]}"\nkeyfile = "{tls[1]}"\n'
        office += office_config
        self.config = folder / "site.toml"
        self.config.write_text(f'[identity]\npassword_profile = "CHEAPEST"\ndatabase = "{self.identity_db}"\n'
                               f"{office}")
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / "office.log"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> OfficeProcess:
        args = [sys.executable, "-m", "desktop.commands.cli", "office", "serve", "--config", str(self.config),
                "--db", str(self.db), "--listen", f"127.0.0.1:{self.port}"]
        if self.broker_url:
            args += ["--broker", self.broker_url]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        verify: str | bool = str(self.tls_ca) if self.tls else True

        def up() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"the office service exited: {self.log.read_text()[-2000:]}")
            try:
                return requests.get(f"{self.url}/api/v1/health", timeout=1, verify=verify).ok
            except requests.RequestException:
                return False

        wait_until(up, 30, "the office service to answer")
        return self

    tls_ca: Path | None = None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        end_process(self.proc, sig)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def client(self, name: str, terminal: str = "", password: str = PASSWORD) -> OfficeClient:
        client = OfficeClient(self.url, self.tls_ca)
        client.sign_in(name, password, terminal or f"tablet-{name}")
        return client
