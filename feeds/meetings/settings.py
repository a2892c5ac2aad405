"""The [office] configuration section: where the office service is, how it listens, signs and keeps papers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feeds.core.config import SectionContext
from feeds.meetings.pdf_signing import PIN_SECRET, TokenSettings

DEFAULT_LISTEN = "127.0.0.1:8443"


@dataclass(frozen=True)
class Contact:
    """Where a member gets the opinion forms' notices and reminders."""

    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class OfficeSettings:
    url: str = ""  # where terminals find the service, https://office.ioc.local:8443 ("": the demo's own)
    listen: str = DEFAULT_LISTEN  # host:port the service binds
    folder: Path | None = None  # its database, papers and signing key (None: the per-user data folder)
    certfile: Path | None = None  # TLS server certificate; required when listening beyond loopback
    keyfile: Path | None = None
    ca_certs: Path | None = None  # what terminals verify the service's certificate with
    broker: str = ""  # mqtt://… for live state ("": none)
    session_hours: float = 12.0
    max_paper_mb: int = 200
    max_request_kb: int = 256  # JSON request bodies
    issuer: str = "UBND tỉnh Thanh Hóa"  # the authority named at the head of the documents it issues
    signing: TokenSettings | None = None  # the PKCS#11 token that signs PDFs (None: a software key, demo only)
    # Opinion forms' notices and reminders: channel tables as [alerts.channels] has them (email, sms; their own
    # `to`/`numbers` are not used: each member's address comes from `contacts`), the hours before a deadline
    # when those who have not answered are reminded, and how often the service looks.
    reminder_channels: dict[str, Any] = field(default_factory=dict)
    remind_before_hours: tuple[float, ...] = (24.0, 2.0)
    reminder_interval_s: float = 60.0
    contacts: dict[str, Contact] = field(default_factory=dict)



def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT as a pair, or ValueError saying what is wrong."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


def parse_office(table: Any, context: SectionContext) -> OfficeSettings:
    reader = context.reader(table, "office", {"url", "listen", "folder", "certfile", "keyfile", "ca_certs",
                                              "broker", "session_hours", "max_paper_mb", "max_request_kb",
                                              "issuer", "signing", "reminders", "contacts"})
    listen = reader.get("listen", str, DEFAULT_LISTEN)
    try:
        parse_listen(listen)
    except ValueError as exc:
        raise context.error("office.listen", str(exc)) from exc
    url = reader.get("url", str, "")
    if url and not url.startswith(("https://", "http://")):
        raise context.error("office.url", f"expected an https:// address, got {url!r}")
    paths: dict[str, Path | None] = {}
    for key in ("folder", "certfile", "keyfile", "ca_certs"):
        text = reader.get(key, str, "")
        paths[key] = context.path(text) if text else None
    if (paths["certfile"] is None) != (paths["keyfile"] is None):
        raise context.error("office.certfile", "give both certfile and keyfile, or neither")
    hours = reader.get("session_hours", (int, float), 12.0)
    if not 0 < hours <= 24 * 7:
        raise context.error("office.session_hours", f"expected 0 < hours ≤ 168, got {hours!r}")
    sizes = {key: reader.get(key, int, default) for key, default in (("max_paper_mb", 200), ("max_request_kb", 256))}
    for key, value in sizes.items():
        if value < 1:
            raise context.error(f"office.{key}", f"expected a whole number ≥ 1, got {value!r}")
    return OfficeSettings(url=url, listen=listen, folder=paths["folder"], certfile=paths["certfile"],
                          keyfile=paths["keyfile"], ca_certs=paths["ca_certs"], broker=reader.get("broker", str, ""),
                          session_hours=float(hours), max_paper_mb=sizes["max_paper_mb"],
                          max_request_kb=sizes["max_request_kb"],
                          issuer=reader.get("issuer", str, OfficeSettings.issuer),
                          signing=_signing(table["signing"], context) if "signing" in table else None,
                          **_reminders(table.get("reminders", {}), context),
                          contacts=_contacts(table.get("contacts", {}), context))


def _reminders(table: Any, context: SectionContext) -> dict[str, Any]:
    reader = context.reader(table, "office.reminders", {"channels", "before_hours", "interval_s"})
    hours = reader.get("before_hours", list, [24, 2])
    if not all(isinstance(h, int | float) and not isinstance(h, bool) and 0 < h <= 24 * 30 for h in hours):
        raise context.error("office.reminders.before_hours", f"expected hours between 0 and 720, got {hours!r}")
    interval = reader.get("interval_s", (int, float), 60.0)
    if not 0.1 <= interval <= 3600:
        raise context.error("office.reminders.interval_s", f"expected 0.1 to 3600 seconds, got {interval!r}")
    channels = reader.get("channels", dict, {})
    for name, spec in channels.items():
        kind = spec.get("type", name) if isinstance(spec, dict) else None
        if kind not in ("email", "sms"):
            raise context.error(f"office.reminders.channels.{name}", "expected an email or sms channel table")
    return {"reminder_channels": channels, "remind_before_hours": tuple(sorted((float(h) for h in hours),
                                                                              reverse=True)),
            "reminder_interval_s": float(interval)}


def _contacts(table: Any, context: SectionContext) -> dict[str, Contact]:
    if not isinstance(table, dict):
        raise context.error("office.contacts", "expected a table: name = { email = \"…\", phone = \"…\" }")
    contacts = {}
    for name, spec in table.items():
        reader = context.reader(spec, f"office.contacts.{name}", {"email", "phone"})
        contacts[name] = Contact(reader.get("email", str, ""), reader.get("phone", str, ""))
    return contacts


def _signing(table: Any, context: SectionContext) -> TokenSettings:
    reader = context.reader(table, "office.signing", {"module", "token_label", "key_label", "cert_label",
                                                      "raw_ecdsa", "pin_secret", "pin"})
    if "pin" in table:
        raise context.error("office.signing.pin", "the PIN is never kept in the configuration file: store it with "
                                                  f"`controlroom secrets set {PIN_SECRET}`")
    module = context.path(reader.get("module", str))
    if not module.exists():
        raise context.error("office.signing.module", f"no PKCS#11 library at {module}")
    return TokenSettings(module, reader.get("token_label", str), reader.get("key_label", str),
                         reader.get("cert_label", str, ""), reader.get("raw_ecdsa", bool, False),
                         reader.get("pin_secret", str, PIN_SECRET))
