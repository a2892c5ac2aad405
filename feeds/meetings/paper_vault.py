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
import mmap
import os
import queue
import secrets
import struct
import threading
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


class _Sealer:
    """Hashes, seals and writes what the download brings, on a thread of its own, while the next bytes arrive
    (hashlib and AES-GCM let go of the GIL on large buffers, so the two overlap)."""

    def __init__(self, aead: AESGCM, path: Path, paper: str, count: int, digest: Any) -> None:
        self.aead, self.paper, self.count, self.digest = aead, paper, count, digest
        self.out = path.open("ab")
        self.pending: list[bytes] = []
        self.size = 0
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=f"seal-{paper}", daemon=True)
        self.thread.start()

    def put(self, chunk: bytes) -> None:
        self.pending.append(chunk)
        self.size += len(chunk)
        if self.size >= CHUNK:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.pending:
            self.queue.put(b"".join(self.pending))
            self.pending, self.size = [], 0
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            try:
                self.digest.update(data)
                nonce = os.urandom(12)
                sealed = self.aead.encrypt(nonce, data, f"{self.paper}:{self.count}".encode())
                self.out.write(HEAD.pack(nonce, len(sealed)))
                self.out.write(sealed)
                self.count += 1
            except BaseException as exc:  # the disk is full…: told to the downloading thread
                self.error = exc

    def close(self) -> int:
        """Seal what is left and wait for the thread; the number of records in the file."""
        try:
            self._hand_over()
        finally:
            self.queue.put(None)
            self.thread.join()
            self.out.close()
        if self.error is not None:
            raise self.error
        return self.count


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

    def reset(self, password: str) -> None:
        """Start again with a new key (the password changed): what was sealed with the old one is deleted."""
        for path in self.folder.iterdir():
            if path.is_file():
                path.unlink()
        self.unlock(password)

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
        if not index.exists() or not self.path(info.id).exists():
            return False
        try:
            return bool(json.loads(index.read_text()).get("sha256") == info.sha256)
        except (OSError, ValueError):
            return False

    def _partial(self, paper: str) -> Path:
        return self.folder / f"{paper}.part"

    def _records(self, path: Path, paper: str, partial: bool = False) -> tuple[list[bytes], int]:
        """The plaintext records of PATH that are whole and sealed right, and the offset after the last. In a
        partial download a record that does not open ends it (what a crash left half-written is fetched again)."""
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
                    if partial:
                        break
                    raise VaultLocked(f"paper {paper}: a record does not open with this key") from None
                good = f.tell()
        return out, good

    def read(self, paper: str) -> bytearray:
        """The plaintext of a stored paper, in memory (for the viewer): each record opened straight from the
        mapped file into one buffer."""
        path = self.path(paper)
        if not path.exists():
            raise FileNotFoundError(f"paper {paper} is not on this tablet")
        index = json.loads(self._index(paper).read_text())
        size, records = int(index["size"]), index.get("records")
        aead = self._aead()
        out = bytearray(size)
        view = memoryview(out)
        pos = count = 0
        with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            sealed = memoryview(mapped)
            try:
                if bytes(sealed[:len(MAGIC)]) != MAGIC:
                    raise PaperDamaged(f"paper {paper}: not a sealed paper")
                offset = len(MAGIC)
                while offset + HEAD.size <= len(sealed):
                    nonce, length = HEAD.unpack_from(sealed, offset)
                    offset += HEAD.size
                    plain = length - 16
                    if offset + length > len(sealed) or pos + plain > size:
                        raise PaperDamaged(f"paper {paper} is incomplete on this tablet; it will be downloaded again")
                    try:
                        aead.decrypt_into(bytes(nonce), sealed[offset:offset + length], f"{paper}:{count}".encode(),
                                          view[pos:pos + plain])
                    except InvalidTag:
                        raise VaultLocked(f"paper {paper}: a record does not open with this key") from None
                    offset += length
                    pos += plain
                    count += 1
            finally:
                sealed.release()
        # Each record is authenticated and bound to its paper and place; with their number and the length as
        # recorded when the whole paper matched its SHA-256, nothing can be changed, swapped or cut off.
        if count != records or pos != size:
            raise PaperDamaged(f"paper {paper} is incomplete on this tablet; it will be downloaded again")
        return out

    def discard(self, paper: str) -> None:
        """Forget a stored paper (damaged: it is downloaded again)."""
        for path in (self.path(paper), self._partial(paper), self._index(paper)):
            path.unlink(missing_ok=True)

    # small sealed documents (the member's marks over a paper) ---------------------------------------------------
    def is_unsent(self, name: str) -> bool:
        return (self.folder / f"{name}.unsent").exists()

    def mark_sent(self, name: str) -> None:
        (self.folder / f"{name}.unsent").unlink(missing_ok=True)

    def unsent_documents(self, suffix: str) -> list[str]:
        """Papers whose document NAME+SUFFIX has not reached the service yet."""
        end = f"{suffix}.unsent"
        return sorted(p.name[:-len(end)] for p in self.folder.glob(f"*{end}"))

    def seal_document(self, name: str, data: bytes, unsent: bool = False) -> None:
        nonce = os.urandom(12)
        sealed = self._aead().encrypt(nonce, data, f"doc:{name}".encode())
        target = self.folder / f"{name}.doc"
        partial = target.with_suffix(".doc-new")
        partial.write_bytes(MAGIC + nonce + sealed)
        if unsent:
            (self.folder / f"{name}.unsent").touch()
        os.replace(partial, target)

    def open_document(self, name: str) -> bytes | None:
        path = self.folder / f"{name}.doc"
        if not path.exists():
            return None
        blob = path.read_bytes()
        if not blob.startswith(MAGIC):
            raise PaperDamaged(f"{path.name} is not a sealed document")
        body = blob[len(MAGIC):]
        try:
            return self._aead().decrypt(body[:12], body[12:], f"doc:{name}".encode())
        except InvalidTag:
            raise VaultLocked(f"{path.name} does not open with this key") from None

    # downloading -----------------------------------------------------------------------------------------------
    def sync(self, client: OfficeClient, info: PaperInfo, progress: Progress | None = None) -> None:
        """Bring INFO onto the tablet, resuming a download that was cut; nothing to do if it is already here."""
        if not info.keep_on_tablet:
            raise PermissionError(f"paper {info.id} is not kept on tablets (confidential or read-only)")
        if self.has(info):
            return
        aead = self._aead()
        partial = self._partial(info.id)
        digest = hashlib.sha256()
        count = done = 0
        if partial.exists():
            records, good = self._records(partial, info.id, partial=True)
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
        sealer = _Sealer(aead, partial, info.id, count, digest)
        try:
            for chunk in client.stream(f"/papers/{info.id}/content", start=done, chunk=64 << 10):
                sealer.put(chunk)
                done += len(chunk)
                if progress:
                    progress(done, info.size)
        finally:
            count = sealer.close()  # what arrived before a cut is kept, sealed, for the resume
        if done != info.size or digest.hexdigest() != info.sha256:
            partial.unlink(missing_ok=True)
            raise PaperDamaged(f"paper {info.id}: {done} bytes with SHA-256 {digest.hexdigest()[:12]}…, expected "
                               f"{info.size} bytes with {info.sha256[:12]}…; it will be downloaded again")
        os.replace(partial, self.path(info.id))
        self._index(info.id).write_text(json.dumps({"sha256": info.sha256, "size": info.size, "records": count,
                                                    "title": info.title}))

    @staticmethod
    def fetch_to_memory(client: OfficeClient, info: PaperInfo) -> bytes:
        """A paper that is not kept on the tablet, read into memory only, checked by its SHA-256."""
        data = b"".join(client.stream(f"/papers/{info.id}/content"))
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise PaperDamaged(f"paper {info.id} does not match its SHA-256")
        return data


def open_paper(vault: PaperVault, client: OfficeClient, info: PaperInfo) -> bytes | bytearray:
    """The paper's bytes for the viewer: from the vault if it is kept there, else from the service to memory."""
    if info.keep_on_tablet:
        try:
            if vault.has(info):
                return vault.read(info.id)
        except PaperDamaged as exc:  # cut short by a power loss, or changed: fetched again
            log.warning("%s", exc)
            vault.discard(info.id)
        vault.sync(client, info)
        return vault.read(info.id)
    return PaperVault.fetch_to_memory(client, info)
