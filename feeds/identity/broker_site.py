"""`[identity.broker]`: the broker accounts of a site and their roles, written out as a Mosquitto configuration.

The broker then enforces the roles itself: TLS listeners, no anonymous clients, a password file made with
``mosquitto_passwd`` (passwords come from the secrets ``mqtt/<account>``, never from the TOML file) and an
ACL in which every account may read and write only what its role needs (docs/broker-acl.md).

With an ``acl_file`` Mosquitto denies whatever no line grants. A refused PUBLISH is answered, under MQTT v5,
with PUBACK reason 135 "Not authorized" (QoS 1) or silently dropped (QoS 0); a SUBSCRIBE is always granted
and the read rules are applied to every message on its way out, so a filter such as ``ioc/v1/#`` simply
delivers the topics the account may read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feeds.core.config import ConfigError, SectionContext
from feeds.core.payloads import TOPIC_ROOT
from feeds.core.secrets import describe_missing, get_secret

ROLES = {
    "console": "operator console: reads everything, pushes scenes, acts on alerts, asks for resends",
    "wall": "video-wall device: reads the feeds and its own scenes, writes its own status and audit",
    "leader": "leader terminal: reads the feeds and its own scenes, writes its own status and audit",
    "publisher": "gateway or simulator: writes feed records and its own heartbeats, reads resend requests to it",
    "collector": "audit collector: reads every terminal's audit entries, writes its own status",
}
# Kinds parsed by feeds.core itself; the domains add theirs (Domain.kind_modules) and a site may add more.
CORE_FEED_KINDS = ("indicator", "alert")
# Topic levels under ioc/v1 that carry no feed records: never granted to publishers, nor read as "feeds".
RESERVED_KINDS = ("scene", "alert_action", "audit", "status", "cmd")
BROKER_KEYS = {"accounts", "port", "bind", "certfile", "keyfile", "cafile", "require_certificate",
               "websockets_port", "extra_kinds"}
PASSWORD_FILE, ACL_FILE = "passwd", "acl"

_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_KIND = re.compile(r"^[a-z0-9_]{1,64}$")
_BIND = re.compile(r"^[A-Za-z0-9.:_-]{1,253}$")


class BrokerSiteError(RuntimeError):
    """The broker files cannot be made: a secret is missing, mosquitto_passwd is absent or failed."""


@dataclass(frozen=True)
class BrokerAccount:
    name: str  # the broker user name, also the terminal / publisher / client name in the topics
    role: str  # one of ROLES


@dataclass(frozen=True)
class BrokerSite:
    accounts: tuple[BrokerAccount, ...]
    port: int = 8883
    bind: str = "0.0.0.0"
    certfile: str = ""  # absolute paths once parsed (relative ones are taken from the configuration's folder)
    keyfile: str = ""
    cafile: str = ""
    require_certificate: bool = False  # clients must also show a certificate signed by cafile
    websockets_port: int = 0  # 0: no MQTT-over-WebSockets listener
    extra_kinds: tuple[str, ...] = ()  # feed kinds beyond those of this program's domains

    @property
    def tls(self) -> bool:
        return bool(self.certfile)


def secret_name(account: str) -> str:
    """The secret holding an account's broker password."""
    return f"mqtt/{account}"


def _is_password_key(key: str) -> bool:
    key = key.lower()
    return key in ("passwd", "secret", "secrets") or key.startswith("password") or key.endswith("password")


def _refuse_passwords(table: dict[str, Any], path: str, context: SectionContext) -> None:
    """Passwords never go into the TOML file: say where they go instead."""
    for key, value in table.items():
        if _is_password_key(key):
            prefix = "identity.broker.accounts."
            account = path[len(prefix):] if path.startswith(prefix) else "NAME"
            raise context.error(f"{path}.{key}", "passwords are not kept in the configuration: use "
                                f"`controlroom secrets set {secret_name(account)}` on the machine that "
                                "runs `controlroom broker-config`")
        if isinstance(value, dict):
            _refuse_passwords(value, f"{path}.{key}", context)


def _port(reader: Any, name: str, default: int, allow_zero: bool = False) -> int:
    port = reader.get(name, int, default)
    if not (allow_zero and port == 0) and not 0 < port < 65536:
        raise ConfigError(reader.file, reader.key(name),
                          f"expected a port from 1 to 65535{' (or 0: none)' if allow_zero else ''}, got {port}")
    return int(port)


def _path(reader: Any, name: str, context: SectionContext) -> str:
    text = reader.get(name, str, "")
    if not text:
        return ""
    if any(ord(c) < 32 for c in text):
        raise ConfigError(reader.file, reader.key(name), "a path without control characters")
    return str(context.path(text).absolute())


def _account(name: str, value: Any, context: SectionContext) -> BrokerAccount:
    where = f"identity.broker.accounts.{name}"
    if not _ACCOUNT.match(name):
        raise context.error(where, "an account name is letters, digits and . _ - (starting with a letter or "
                                   "digit, at most 64 characters): it is used in topics and secret names")
    if isinstance(value, dict):
        if set(value) - {"role"}:  # `leader.1 = "leader"` is the table leader = { 1 = "leader" } in TOML
            raise context.error(where, 'expected "role" or { role = "role" }; a name with a dot is quoted: '
                                       '"leader.1" = "leader"')
        value = context.reader(value, where, {"role"}).get("role", str, what="a role")
    if not isinstance(value, str):
        raise context.error(where, f"expected a role ({', '.join(ROLES)}), got {type(value).__name__} {value!r}")
    if value not in ROLES:
        raise context.error(where, f"unknown role {value!r}; expected one of: {', '.join(ROLES)}")
    return BrokerAccount(name, value)


def parse_broker_site(table: Any, context: SectionContext) -> BrokerSite:
    """`[identity.broker]` port, bind, certfile, keyfile, cafile, require_certificate, websockets_port,
    extra_kinds, and `[identity.broker.accounts]` NAME = "role" (or NAME = { role = "…" })."""
    if isinstance(table, dict):
        _refuse_passwords(table, "identity.broker", context)
    reader = context.reader(table, "identity.broker", BROKER_KEYS)
    accounts_table = reader.get("accounts", dict, what='a table of account = "role"')
    accounts = tuple(_account(name, value, context) for name, value in accounts_table.items())
    if not accounts:
        raise context.error("identity.broker.accounts", "no account: name at least one")
    bind = reader.get("bind", str, "0.0.0.0")
    if not _BIND.match(bind):
        raise context.error("identity.broker.bind", f"expected a host name or an IP address, got {bind!r}")
    site = BrokerSite(
        accounts=accounts,
        port=_port(reader, "port", 8883),
        bind=bind,
        certfile=_path(reader, "certfile", context),
        keyfile=_path(reader, "keyfile", context),
        cafile=_path(reader, "cafile", context),
        require_certificate=reader.get("require_certificate", bool, False),
        websockets_port=_port(reader, "websockets_port", 0, allow_zero=True),
        extra_kinds=tuple(_kinds(reader, context)),
    )
    if bool(site.certfile) != bool(site.keyfile):
        missing = "keyfile" if site.certfile else "certfile"
        raise context.error(f"identity.broker.{missing}", "missing; TLS needs both certfile and keyfile")
    if site.require_certificate and not site.cafile:
        raise context.error("identity.broker.cafile", "missing; require_certificate needs the CA of the clients")
    if site.require_certificate and not site.tls:
        raise context.error("identity.broker.require_certificate", "client certificates need TLS (certfile)")
    if site.websockets_port == site.port:
        raise context.error("identity.broker.websockets_port", "must differ from port")
    return site


def _kinds(reader: Any, context: SectionContext) -> list[str]:
    kinds = reader.get("extra_kinds", list, [])
    for kind in kinds:
        if not isinstance(kind, str) or not _KIND.match(kind):
            raise context.error("identity.broker.extra_kinds", f"a kind is one topic level of a-z, 0-9 and _, "
                                                               f"got {kind!r}")
        if kind in RESERVED_KINDS:
            raise context.error("identity.broker.extra_kinds", f"{kind!r} is not a feed kind")
    return list(kinds)


def feed_kinds(site: BrokerSite) -> list[str]:
    """The topic kinds under ioc/v1 that carry feed records: the core's, the domains', the site's extra ones."""
    from feeds.core.domain import domains

    kinds = {*CORE_FEED_KINDS, *site.extra_kinds}
    for domain in domains():
        kinds.update(domain.kind_modules)
    return sorted(kinds - set(RESERVED_KINDS))


def mosquitto_conf(site: BrokerSite, folder: Path) -> str:
    """The broker's configuration; `folder` is where the password file and the ACL are (DIR/passwd, DIR/acl)."""
    folder = folder.absolute()
    lines = [
        "# Mosquitto configuration of the controlroom broker, written by `controlroom broker-config`.",
        "# Regenerate it instead of editing it (see docs/broker-acl.md).",
        "",
        "# One set of security settings for every listener.",
        "per_listener_settings false",
        "allow_anonymous false",
        f"password_file {folder / PASSWORD_FILE}",
        f"acl_file {folder / ACL_FILE}",
        "",
        "# Sessions and their queued QoS 1 messages survive a broker restart, and an offline collector or",
        "# console gets what it missed (audit entries, alert actions): far more than Mosquitto's default 1000.",
        "persistence true",
        f"persistence_location {folder}/",
        "max_queued_messages 1000000",
        "",
    ]
    listeners = [(site.port, "mqtt")] + ([(site.websockets_port, "websockets")] if site.websockets_port else [])
    for port, protocol in listeners:
        lines.append(f"listener {port} {site.bind}")
        if protocol != "mqtt":
            lines.append(f"protocol {protocol}")
        if site.tls:
            lines += [f"certfile {site.certfile}", f"keyfile {site.keyfile}"]
            if site.cafile:
                lines.append(f"cafile {site.cafile}")
            lines += [f"require_certificate {'true' if site.require_certificate else 'false'}",
                      "tls_version tlsv1.2"]
        else:
            lines += ["# WARNING: no certfile in [identity.broker]: this listener is NOT encrypted and user names",
                      "# and passwords cross the network in clear text. Give certfile and keyfile to use TLS."]
        lines.append("")
    return "\n".join(lines)


def acl_text(site: BrokerSite) -> str:
    """The ACL: one `pattern` for what every account may do, then each account's own lines by role."""
    root = TOPIC_ROOT
    kinds = feed_kinds(site)
    lines = [
        "# Mosquitto ACL of the controlroom broker, written by `controlroom broker-config` (docs/broker-acl.md).",
        "# Whatever no line grants is denied: a refused publish gets PUBACK 135 \"Not authorized\" (MQTT v5,",
        "# QoS 1) and a subscriber never receives a message it may not read, whatever filter it subscribed.",
        "#",
        f"# Feed kinds: {', '.join(kinds)}.",
        "",
        "# Every account: its own status (heartbeats, online state) — %u is the broker user name.",
        f"pattern write {root}/status/%u/#",
    ]
    for account in site.accounts:
        lines += ["", f"# {account.name}: {account.role} — {ROLES[account.role]}", f"user {account.name}"]
        lines += [f"topic {access} {topic}" for access, topic in _rules(account, kinds)]
    return "\n".join(lines) + "\n"


def _rules(account: BrokerAccount, kinds: list[str]) -> list[tuple[str, str]]:
    root, name = TOPIC_ROOT, account.name
    if account.role == "console":
        return [("read", f"{root}/#"), ("write", f"{root}/scene/#"), ("write", f"{root}/alert_action/#"),
                ("write", f"{root}/cmd/resend/#"), ("write", f"{root}/audit/{name}/#")]
    if account.role in ("wall", "leader"):
        # Alert actions and statuses are read by every terminal: acknowledgements and the publishers'
        # heartbeats are part of what a wall shows (desktop/session.py, feeds/sources/mqtt.py).
        return [*(("read", f"{root}/{kind}/#") for kind in kinds), ("read", f"{root}/alert_action/#"),
                ("read", f"{root}/status/#"), ("read", f"{root}/scene/{name}/#"), ("write", f"{root}/audit/{name}/#")]
    if account.role == "publisher":
        return [*(("write", f"{root}/{kind}/#") for kind in kinds), ("read", f"{root}/cmd/resend/{name}")]
    if account.role == "collector":
        return [("read", f"{root}/audit/#")]
    raise ValueError(f"unknown role {account.role!r}")


def _mosquitto_passwd() -> str:
    exe = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not Path(exe).exists():
        raise BrokerSiteError("mosquitto_passwd is not installed (it comes with Mosquitto: apt-get install mosquitto)")
    return exe


def write_password_file(site: BrokerSite, path: Path, secret: Callable[[str], str | None] = get_secret,
                        owner: str | None = None) -> list[str]:
    """Write the broker's password file (mode 0600, `owner` if given) with every account; returns their names.

    Every password is looked up (secret ``mqtt/<account>``) before anything is written, so a missing one
    leaves the old file in place. The passwords are hashed by ``mosquitto_passwd`` (``-c`` for the first
    account); they are given on its standard input, never on a command line other users can see.
    """
    passwords: dict[str, str] = {}
    missing = []
    for account in site.accounts:
        value = secret(secret_name(account.name))
        if not value:
            missing.append(describe_missing(secret_name(account.name)))
        elif "\n" in value or "\r" in value or "\0" in value:
            raise BrokerSiteError(f"the password of broker account {account.name!r} contains a line break "
                                  "or a NUL character, which mosquitto_passwd cannot take")
        else:
            passwords[account.name] = value
    if missing:
        raise BrokerSiteError("; ".join(missing))
    exe = _mosquitto_passwd()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    os.close(handle)
    try:
        for index, (name, password) in enumerate(passwords.items()):
            command = [exe, *(["-c"] if index == 0 else []), temporary, name]
            done = subprocess.run(command, check=False, input=f"{password}\n{password}\n", capture_output=True,
                                  text=True, timeout=60, umask=0o077)
            if done.returncode != 0:
                output = " ".join(f"{done.stderr} {done.stdout}".replace("Reenter password:", "")
                                  .replace("Password:", "").split())
                raise BrokerSiteError(f"mosquitto_passwd failed for {name!r} (exit {done.returncode}): {output}")
        os.chmod(temporary, 0o600)
        if owner:
            shutil.chown(temporary, user=owner)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return list(passwords)
