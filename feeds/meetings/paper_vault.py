"""Papers on a tablet: downloaded with resume (HTTP Range), checked by SHA-256, kept encrypted (AES-256-GCM).

A paper is stored as records of up to CHUNK bytes, each sealed with its own nonce and bound to its paper and
position (associated data), so records cannot be swapped between papers or reordered. The key belongs to the
signed-in user: derived from the sign-in with argon2id and a per-user salt, held in memory only and dropped
at sign-out or when the service revokes the device. A paper marked confidential, or one the member may read
but not download, never touches the disk: it is fetched into memory for the viewer and forgotten after."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from feeds.meetings.client import OfficeClient

log = logging.getLogger(__name__)

MAGIC = b"CRPV1\n"
CHUNK = 4 << 20
HEAD = struct.Struct(">12sI")  # nonce, length of the sealed record
CHECK = b"controlroom paper vault"

Progress = Callable[[int, int], None]  # (bytes so far, total)


class VaultLocked(PermissionError):
    """No key, or not this user's key: the papers cannot be read."""


class PaperDamaged(ValueError):
    """A stored or downloaded paper does not match its SHA-256 or its seals."""


@dataclass(frozen=True)
class PaperInfo:
    """What the tablet needs of a paper listed by the service."""

    id: str
    title: str
    size: int
    sha256: str
    confidential: bool
    rights: tuple[str, ...]

    @property
    def keep_on_tablet(self) -> bool:
        return not self.confidential and "download" in self.rights

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PaperInfo:
        return cls(str(data["id"]), str(data["title"]), int(data["size"]), str(data["sha256"]),
                   bool(data["confidential"]), tuple(data.get("rights", ())))


def derive_key(password: str, salt: bytes) -> bytes:
    """The user's 256-bit vault key from the sign-in (argon2id, 64 MiB, 3 passes)."""
    return hash_secret_raw(password.encode(), salt, time_cost=3, memory_cost=64 * 1024, parallelism=2,
                           hash_len=32, type=Type.ID)


class PaperVault:
    def __init__(self, folder: Path, user: str) -> None:
        self.folder = folder / user
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._key: AESGCM | None = None

    # the key ---------------------------------------------------------------------------------------------------
    def unlock(self, password: str) -> None:
        """Derive the key from the sign-in; VaultLocked if it is not the key these papers were sealed with."""
        salt_file, check_file = self.folder / "salt", self.folder / "check"
        if not salt_file.exists():
            salt_file.write_bytes(secrets.token_bytes(16))
        key = AESGCM(derive_key(password, salt_file.read_bytes()))
        if check_file.exists():
            blob = check_file.read_bytes()
            try:
                key.decrypt(blob[:12], blob[12:], b"check")
            except InvalidTag:
                raise VaultLocked("these papers were sealed with another key") from None
        else:
            nonce = os.urandom(12)
            check_file.write_bytes(nonce + key.encrypt(nonce, CHECK, b"check"))
        self._key = key

    def lock(self) -> None:
        """Forget the key (sign-out, device revoked): the stored papers stay sealed."""
        self._key = None

    @property
    def unlocked(self) -> bool:
        return self._key is not None

    def _aead(self) -> AESGCM:
        if self._key is None:
            raise VaultLocked("the papers are locked: sign in again")
        return self._key

    # stored papers ---------------------------------------------------------------------------------------------
    def path(self, paper: str) -> Path:
        return self.folder / f"{paper}.sealed"

    def _index(self, paper: str) -> Path:
        return self.folder / f"{paper}.json"

    def has(self, info: PaperInfo) -> bool:
        index = self._index(info.id)
        if not index.exists():
            return False
        try:
            return bool(json.loads(index.read_text()).get("sha256") == info.sha256)
        except (OSError, ValueError):
            return False

    def remove(self, paper: str) -> None:
        for path in (self.path(paper), self._partial(paper), self._index(paper)):
            path.unlink(missing_ok=True)

    def _partial(self, paper: str) -> Path:
        return self.folder / f"{paper}.part"

    def _records(self, path: Path, paper: str) -> tuple[list[bytes], int]:
        """The plaintext records of PATH that are whole and sealed right, and the offset after the last."""
        aead = self._aead()
        out: list[bytes] = []
        with path.open("rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return [], 0
            good = f.tell()
            while True:
                head = f.read(HEAD.size)
                if len(head) < HEAD.size:
                    break
                nonce, length = HEAD.unpack(head)
                sealed = f.read(length)
                if len(sealed) < length:
                    break
                try:
                    out.append(aead.decrypt(nonce, sealed, f"{paper}:{len(out)}".encode()))
                except InvalidTag:
                    raise VaultLocked(f"paper {paper}: a record does not open with this key") from None
                good = f.tell()
        return out, good

    def read(self, paper: str) -> bytes:
        """The plaintext of a stored paper, in memory (for the viewer)."""
        path = self.path(paper)
        if not path.exists():
            raise FileNotFoundError(f"paper {paper} is not on this tablet")
        records, _ = self._records(path, paper)
        data = b"".join(records)
        index = json.loads(self._index(paper).read_text())
        if hashlib.sha256(data).hexdigest() != index["sha256"]:
            raise PaperDamaged(f"paper {paper} does not match its SHA-256")
        return data

    # downloading -----------------------------------------------------------------------------------------------
    def sync(self, client: OfficeClient, info: PaperInfo, progress: Progress | None = None) -> None:
        """Bring INFO onto the tablet, resuming a download that was cut; nothing to do if it is already here."""
        if not info.keep_on_tablet:
            raise PermissionError(f"paper {info.id} is not kept on tablets (confidential or read-only)")
        if self.has(info) and self.path(info.id).exists():
            return
        aead = self._aead()
        partial = self._partial(info.id)
        digest = hashlib.sha256()
        count = 0
        done = 0
        if partial.exists():
            records, good = self._records(partial, info.id)
            for record in records:
                digest.update(record)
                done += len(record)
            count = len(records)
            with partial.open("r+b") as f:
                f.truncate(good or len(MAGIC))
        else:
            partial.write_bytes(MAGIC)
        if progress:
            progress(done, info.size)
        buffer = bytearray()
        with partial.open("ab") as out:
            def seal(data: bytes) -> None:
                nonlocal count
                nonce = os.urandom(12)
                sealed = aead.encrypt(nonce, data, f"{info.id}:{count}".encode())
                out.write(HEAD.pack(nonce, len(sealed)) + sealed)
                count += 1

            try:
                for chunk in client.stream(f"/papers/{info.id}/content", start=done, chunk=64 << 10):
                    buffer += chunk
                    digest.update(chunk)
                    done += len(chunk)
                    while len(buffer) >= CHUNK:
                        seal(bytes(buffer[:CHUNK]))
                        del buffer[:CHUNK]
                    if progress:
                        progress(done, info.size)
            finally:
                if buffer:  # what arrived before a cut is kept, sealed, for the resume
                    seal(bytes(buffer))
                out.flush()
                os.fsync(out.fileno())
        if done != info.size or digest.hexdigest() != info.sha256:
            partial.unlink(missing_ok=True)
            raise PaperDamaged(f"paper {info.id}: {done} bytes with SHA-256 {digest.hexdigest()[:12]}…, expected "
                               f"{info.size} bytes with {info.sha256[:12]}…; it will be downloaded again")
        os.replace(partial, self.path(info.id))
        self._index(info.id).write_text(json.dumps({"sha256": info.sha256, "size": info.size, "title": info.title}))

    @staticmethod
    def fetch_to_memory(client: OfficeClient, info: PaperInfo) -> bytes:
        """A paper that is not kept on the tablet, read into memory only, checked by its SHA-256."""
        data = b"".join(client.stream(f"/papers/{info.id}/content"))
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise PaperDamaged(f"paper {info.id} does not match its SHA-256")
        return data


def open_paper(vault: PaperVault, client: OfficeClient, info: PaperInfo) -> bytes:
    """The paper's bytes for the viewer: from the vault if it is kept there, else from the service to memory."""
    if info.keep_on_tablet and vault.has(info):
        return vault.read(info.id)
    if info.keep_on_tablet:
        vault.sync(client, info)
        return vault.read(info.id)
    return PaperVault.fetch_to_memory(client, info)
