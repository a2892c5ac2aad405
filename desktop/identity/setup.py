"""Opening the identity of a terminal from the configuration, and the demo's accounts."""

from __future__ import annotations

import argparse
import getpass
import logging
import socket
import sys
from pathlib import Path

import platformdirs

from feeds.identity.accounts import AccountError
from feeds.identity.database import default_identity_path
from feeds.identity.passwords import hash_secret
from feeds.identity.roles import Role
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings

log = logging.getLogger(__name__)

# The built-in demo's accounts (documented in the README and shown on its sign-in screen): name, role, unit.
DEMO_PASSWORD = "demo1234"
DEMO_PIN = "1234"
DEMO_ACCOUNTS = (
    ("quantri", Role.ADMINISTRATOR, "tinh", "Quản trị hệ thống"),
    ("trucban", Role.DUTY_OPERATOR, "tinh", "Nguyễn Văn Trực"),
    ("lanhdaotruc", Role.DUTY_LEADER, "tinh", "Lê Thị Hạnh"),
    ("lanhdao", Role.LEADER, "tinh", "Phạm Minh Đức"),
    ("thuky", Role.SECRETARY, "tinh", "Trần Thu Hà"),
    ("moitruong", Role.DUTY_OPERATOR, "so-tnmt", "Hoàng Văn Môi"),
)


def demo_identity_path() -> Path:
    return Path(platformdirs.user_data_dir("controlroom")) / "demo-identity.sqlite"


def cli_terminal() -> str:
    return f"cli@{socket.gethostname()}"


def open_identity(settings: IdentitySettings, terminal: str, path: Path | None = None, demo: bool = False
                  ) -> Identity:
    """The terminal's identity; the demo's own database (seeded with the demo accounts) for the demo."""
    identity = Identity(settings, terminal, path or (demo_identity_path() if demo else None))
    if demo and not identity.accounts.all():
        seed_demo_accounts(identity)
    return identity


def seed_demo_accounts(identity: Identity) -> None:
    """The demo's accounts, on its first start: their password and PIN are public and the same for all, so each
    is hashed once (two argon2 hashes at start-up instead of twelve)."""
    profile = identity.settings.password_profile
    password, pin = hash_secret(DEMO_PASSWORD, profile), hash_secret(DEMO_PIN, profile)
    for name, role, unit, display in DEMO_ACCOUNTS:
        try:
            identity.accounts.add(name, DEMO_PASSWORD, role, unit, display, phc=password)
            identity.accounts.set_pin(name, DEMO_PIN, phc=pin)
        except AccountError:
            continue
        identity.record(None, "users.add", name, detail=f"demo account, {role.value}")
    log.info("demo accounts created in %s", identity.path)


def add_identity_arguments(parser: argparse.ArgumentParser) -> None:
    """--db and --config, shared by the commands that use the accounts and the audit trail."""
    parser.add_argument("--db", metavar="PATH", type=Path,
                        help="accounts and audit database (default: [identity] database, or "
                             f"{default_identity_path()})")
    parser.add_argument("--config", metavar="FILE", help="configuration whose [identity] section applies "
                                                         "(argon2 profile, lockout, units, directory)")


def command_identity(args: argparse.Namespace) -> Identity:
    """The identity a command works on; raises ConfigError or IdentityUnavailable with a message to print."""
    from desktop.config.loader import load_config
    from widgets.base.registry import tile_types

    settings = load_config(args.config, tile_types()).section("identity") if args.config else IdentitySettings()
    return Identity(settings, cli_terminal(), args.db)


def open_for_command(args: argparse.Namespace, prog: str) -> Identity | None:
    """command_identity, or None after printing why it cannot be opened (the command then exits 2)."""
    from feeds.core.config import ConfigError
    from feeds.identity.database import IdentityUnavailable

    try:
        return command_identity(args)
    except (ConfigError, IdentityUnavailable) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return None


def read_secret(prompt: str, confirm: bool = False) -> str:
    """A password from the terminal (asked twice when CONFIRM), or the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("again: ") != first:
        raise ValueError("the two entries differ")
    return first
