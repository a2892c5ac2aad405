"""Notification channels (e-mail, HTTP SMS gateway, webhook): their configuration and one send attempt each."""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

import requests

from feeds.core.secrets import describe_missing, get_secret

log = logging.getLogger(__name__)
KINDS = ("email", "sms", "webhook")


@dataclass(frozen=True, kw_only=True)
class EmailChannel:
    host: str
    port: int = 25
    sender: str
    to: tuple[str, ...]
    username: str = ""
    password_env: str = ""  # the password is read from this environment variable, never from the config
    password_secret: str = ""  # …or from this secret (keyring, systemd credential; `controlroom secrets set`)
    starttls: bool = False
    timeout_s: float = 10


@dataclass(frozen=True, kw_only=True)
class SmsChannel:
    """An HTTP SMS gateway: one JSON POST {"to", "text"} per number; any 2xx means accepted."""

    url: str
    numbers: tuple[str, ...]
    token_env: str = ""  # sent as "Authorization: Bearer <token>" when set
    token_secret: str = ""  # …or the token from this secret (keyring, systemd credential)
    timeout_s: float = 10


@dataclass(frozen=True, kw_only=True)
class WebhookChannel:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 10


Channel = EmailChannel | SmsChannel | WebhookChannel
CLASSES: dict[str, type[EmailChannel | SmsChannel | WebhookChannel]] = {
    "email": EmailChannel, "sms": SmsChannel, "webhook": WebhookChannel}


class ChannelConfigError(ValueError):
    """A channel table is wrong; `key` is the dotted key, e.g. alerts.channels.email.port."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def kind_of(channel: Channel) -> str:
    return {EmailChannel: "email", SmsChannel: "sms", WebhookChannel: "webhook"}[type(channel)]


def recipients_of(channel: Channel) -> tuple[str, ...]:
    """Who must accept a message before its delivery counts as sent."""
    if isinstance(channel, EmailChannel):
        return channel.to
    if isinstance(channel, SmsChannel):
        return channel.numbers
    return (channel.url,)


# -- configuration ---------------------------------------------------------------------------------
def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# (check, what to say when it fails) per annotation; bool is an int to Python but not to the config.
TYPE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "expected a string"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "expected an integer"),
    "float": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "expected a number"),
    "bool": (lambda v: isinstance(v, bool), "expected true or false"),
    "tuple[str, ...]": (_is_str_list, "expected a list of strings"),
    "dict[str, str]": (lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
                       "expected a table of strings"),
}
VALUE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "port": (lambda v: 1 <= v <= 65535, "expected a port number from 1 to 65535"),
    "timeout_s": (lambda v: v > 0, "expected a positive number of seconds"),
    "to": (bool, "expected at least one address"),
    "numbers": (bool, "expected at least one number"),
    "url": (lambda v: urlsplit(v).scheme in ("http", "https") and bool(urlsplit(v).netloc),
            "expected an http:// or https:// URL"),
    "host": (bool, "expected a host name"),
}


def parse_channels(table: dict, path: str = "alerts.channels") -> dict[str, Channel]:
    """The channels of a TOML table such as [alerts.channels.email]; raises ChannelConfigError."""
    if not isinstance(table, dict):
        raise ChannelConfigError(path, "expected a table of channels")
    return {name: _parse_channel(spec, f"{path}.{name}", name) for name, spec in table.items()}


def _parse_channel(spec: Any, path: str, name: str) -> Channel:
    if not isinstance(spec, dict):
        raise ChannelConfigError(path, "expected a table")
    kind = spec.get("type", name if name in KINDS else None)
    if kind not in KINDS:
        raise ChannelConfigError(f"{path}.type", f"expected one of {', '.join(KINDS)}")
    cls = CLASSES[kind]
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "type":
            continue
        if key not in known:
            raise ChannelConfigError(f"{path}.{key}", f"unknown key; {kind} channels take {', '.join(known)}")
        values[key] = _checked(value, str(known[key].type), key, f"{path}.{key}")
    for key, f in known.items():
        if key not in values and f.default is MISSING and f.default_factory is MISSING:
            raise ChannelConfigError(f"{path}.{key}", "missing")
    return cls(**values)


def _checked(value: Any, annotation: str, key: str, path: str) -> Any:
    type_ok, type_message = TYPE_CHECKS[annotation]
    if not type_ok(value):
        raise ChannelConfigError(path, type_message)
    value_ok, value_message = VALUE_CHECKS.get(key, (lambda v: True, ""))
    if not value_ok(value):
        raise ChannelConfigError(path, value_message)
    return tuple(value) if annotation.startswith("tuple") else value


# -- one attempt -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    """What a delivery carries, rendered once when it is queued."""

    subject: str
    body: str
    short: str  # the one-line SMS text
    payload: dict[str, Any]


@dataclass(frozen=True)
class Attempt:
    accepted: tuple[str, ...]  # recipients that took the message this time
    error: str = ""  # why the others did not; "" when none is left


def send(channel: Channel, message: Message, recipients: tuple[str, ...]) -> Attempt:
    """Offer `message` to the `recipients` still owed it; transport errors come back in the Attempt."""
    if isinstance(channel, EmailChannel):
        return _send_email(channel, message, recipients)
    if isinstance(channel, SmsChannel):
        return _send_sms(channel, message.short, recipients)
    return _send_webhook(channel, message.payload)


def _send_email(channel: EmailChannel, message: Message, recipients: tuple[str, ...]) -> Attempt:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = channel.sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="controlroom")
    mail.set_content(message.body, charset="utf-8", cte="quoted-printable")
    server = f"mail server {channel.host}:{channel.port}"
    password = _secret(channel.password_secret, channel.password_env)
    if not password.isascii():  # smtplib's AUTH would crash on it
        return Attempt((), "the mail password is not ASCII, which smtplib cannot send")
    try:
        with smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout_s) as smtp:
            if channel.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if channel.username:
                smtp.login(channel.username, password)
            refused = smtp.send_message(mail, to_addrs=list(recipients))
    except smtplib.SMTPRecipientsRefused as exc:
        return Attempt((), _refusals(exc.recipients))
    except smtplib.SMTPResponseException as exc:
        return Attempt((), f"{server} answered {exc.smtp_code} {_text(exc.smtp_error)}")
    except TimeoutError:
        return Attempt((), f"no answer from {server} within {channel.timeout_s:g} s")
    except (OSError, smtplib.SMTPException) as exc:
        return Attempt((), f"{server}: {_short(exc)}")
    return Attempt(tuple(r for r in recipients if r not in refused), _refusals(refused))


def _secret(name: str, env: str) -> str:
    """A channel's password or token: the named secret, else the environment variable ("" when neither)."""
    if name:
        value = get_secret(name)
        if value is None:
            log.error("%s", describe_missing(name))
        return value or ""
    return os.environ.get(env, "") if env else ""


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{who} refused: {code} {_text(why)}" for who, (code, why) in refused.items())


def _send_sms(channel: SmsChannel, text: str, numbers: tuple[str, ...]) -> Attempt:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if channel.token_env or channel.token_secret:
        headers["Authorization"] = f"Bearer {_secret(channel.token_secret, channel.token_env)}"
    accepted: list[str] = []
    errors: list[str] = []
    for number in numbers:  # one bad number must not keep the others from getting the message
        body = {"to": number, "text": text}
        error = _post(channel.url, body, headers, channel.timeout_s, "sms gateway")
        if error:
            errors.append(f"{number}: {error}")
        else:
            accepted.append(number)
    return Attempt(tuple(accepted), "; ".join(errors))


def _send_webhook(channel: WebhookChannel, payload: dict[str, Any]) -> Attempt:
    headers = {"Content-Type": "application/json; charset=utf-8", **channel.headers}
    error = _post(channel.url, payload, headers, channel.timeout_s, "webhook")
    return Attempt(() if error else (channel.url,), error)


def _post(url: str, body: dict[str, Any], headers: dict[str, str], timeout_s: float, what: str) -> str:
    """POST `body` as UTF-8 JSON; "" if a 2xx came back, else why not."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    where = f"{what} {urlsplit(url).netloc}"
    try:
        # stream: only the status matters, so a large or endless answer is never read
        with requests.post(url, data=data, headers=headers, timeout=timeout_s, stream=True) as response:
            if 200 <= response.status_code < 300:
                return ""
            return f"HTTP {response.status_code} from {where}"
    except requests.Timeout:
        return f"no answer from {where} within {timeout_s:g} s"
    except requests.RequestException as exc:
        return f"{where}: {_short(exc)}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _short(exc: BaseException) -> str:
    """A one-line cause instead of urllib3's nested retry reprs."""
    text = str(exc)
    if "Connection refused" in text or isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if "Name or service not known" in text or "getaddrinfo" in text:
        return "host not found"
    return f"{type(exc).__name__}: {text}"[:200]
