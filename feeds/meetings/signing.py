"""Signed result records: canonical JSON signed with the service's Ed25519 key, checked by anyone with its key.

A signed document is `{"record": {...}, "signature": base64, "key": base64 public key}`. The key inside is
only a hint: `verify_record` trusts the key it is given (the site's published one) when it has it, so a record
changed and signed again with another key fails as surely as a changed one."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "result-signing.pem"
PUBLIC_FILE = "result-signing.pub"


def canonical(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class ResultSigner:
    """The service's Ed25519 key, kept beside its database (0600), made on first start."""

    def __init__(self, folder: Path) -> None:
        path = folder / KEY_FILE
        if path.exists():
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(loaded, Ed25519PrivateKey):
                raise ValueError(f"{path} is not an Ed25519 key")
            self._key = loaded
        else:
            self._key = Ed25519PrivateKey.generate()
            pem = self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
        self.public = public_raw(self._key.public_key())
        (folder / PUBLIC_FILE).write_text(_b64(self.public) + "\n")

    def sign(self, record: dict[str, Any]) -> dict[str, Any]:
        return {"record": record, "signature": _b64(self._key.sign(canonical(record))), "key": _b64(self.public)}


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reason: str


def read_public_key(path: Path) -> bytes:
    return base64.b64decode(path.read_text().strip(), validate=True)


def verify_record(document: Any, trusted: bytes | None = None) -> Verdict:
    """Whether DOCUMENT is a record signed by TRUSTED (or, with none given, by the key it names)."""
    if not isinstance(document, dict) or not {"record", "signature", "key"} <= set(document):
        return Verdict(False, "not a signed record: it needs record, signature and key")
    try:
        key = base64.b64decode(document["key"], validate=True)
        signature = base64.b64decode(document["signature"], validate=True)
        data = canonical(document["record"])
    except (TypeError, ValueError) as exc:
        return Verdict(False, f"malformed signed record: {exc}")
    if trusted is not None and key != trusted:
        return Verdict(False, "signed with a key that is not the office service's")
    try:
        Ed25519PublicKey.from_public_bytes(trusted or key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return Verdict(False, "the signature does not match: the record was changed")
    return Verdict(True, "signature valid" + ("" if trusted else " (key taken from the record: not checked "
                                                                  "against the service's)"))
