"""Secrets (broker, SMTP, SMS gateway, directory passwords) from outside the configuration file.

Looked up by name, in this order: the environment (``CONTROLROOM_SECRET_<NAME>``, the name upper-cased with
every other character than A–Z and 0–9 turned into ``_``), a systemd credential (a file named NAME in
``$CREDENTIALS_DIRECTORY``, see systemd.exec(5) ``LoadCredential=``), then the OS keyring (service
``controlroom``). The TOML file only ever names a secret; it never holds one.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

KEYRING_SERVICE = "controlroom"
ENV_PREFIX = "CONTROLROOM_SECRET_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/@-]{0,127}$")


class SecretError(RuntimeError):
    """A secret cannot be stored (no keyring on this machine) or its name is not acceptable."""


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise SecretError(f"secret name {name!r}: use letters, digits and . _ / @ - (at most 128 characters)")
    return name


def env_name(name: str) -> str:
    """The environment variable that holds secret NAME."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper())


def get_secret(name: str) -> str | None:
    """The secret called NAME, or None when no source has it."""
    check_name(name)
    value = os.environ.get(env_name(name))
    if value is not None:
        return value
    credentials = os.environ.get("CREDENTIALS_DIRECTORY")
    if credentials:
        file = Path(credentials) / name.replace("/", "_")
        try:
            return file.read_text(encoding="utf-8").rstrip("\r\n")
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.error("systemd credential %s cannot be read: %s", file, exc)
    return _from_keyring(name)


def _from_keyring(name: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except KeyringError as exc:  # no backend on a headless machine, a locked collection…
        log.debug("keyring has no secret %s: %s", name, exc)
        return None


def set_secret(name: str, value: str) -> str:
    """Store NAME in the OS keyring; returns the backend's name. Raises SecretError without a keyring."""
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring
    from keyring.errors import KeyringError

    check_name(name)
    backend = keyring.get_keyring()
    if isinstance(backend, FailKeyring):
        raise SecretError(f"no OS keyring on this machine; give the secret as the environment variable "
                          f"{env_name(name)} or as the systemd credential {name.replace('/', '_')}")
    try:
        keyring.set_password(KEYRING_SERVICE, name, value)
    except KeyringError as exc:
        raise SecretError(f"the keyring ({type(backend).__name__}) refused the secret: {exc}") from exc
    return type(backend).__name__


def describe_missing(name: str) -> str:
    """A message telling the operator how to provide secret NAME."""
    return (f"secret {name!r} is not set: run `controlroom secrets set {name}`, or set {env_name(name)}, "
            f"or give the systemd credential {name.replace('/', '_')}")
