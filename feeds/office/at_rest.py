"""The service's at-rest key for what only one person may read back (members' marks): AES-256-GCM, kept
beside the office database (0600), made on first start."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_FILE = "at-rest.key"


class AtRest:
    def __init__(self, folder: Path) -> None:
        path = folder / KEY_FILE
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(AESGCM.generate_key(bit_length=256))
        self._aead = AESGCM(path.read_bytes())

    def seal(self, data: bytes, context: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, context.encode())

    def open(self, blob: bytes, context: str) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], context.encode())
