"""The service's copy of each paper: written while its SHA-256 is computed, checked to be a PDF, never changed."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

log = logging.getLogger(__name__)


class PaperRejected(ValueError):
    """The upload is not a paper the service keeps (too large, empty, not a readable PDF)."""


@dataclass(frozen=True)
class StoredPaper:
    path: Path
    size: int
    sha256: str
    pages: int


def check_pdf(path: Path) -> int:
    """The page count of the PDF at PATH, or PaperRejected saying why it is not one."""
    with path.open("rb") as f:
        if not f.read(1024).lstrip().startswith(b"%PDF-"):
            raise PaperRejected("not a PDF file (it does not start with %PDF-)")
        f.seek(0)
        try:
            pages = int(PdfFileReader(f, strict=False).root["/Pages"]["/Count"])
        except (PdfError, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise PaperRejected(f"the PDF cannot be read: {exc}") from exc
    if pages < 1:
        raise PaperRejected("the PDF has no pages")
    return pages


class PaperFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.pdf"

    def upload(self, max_bytes: int) -> PaperUpload:
        return PaperUpload(self, max_bytes)


class PaperUpload:
    """One upload in progress: written chunk by chunk while hashed; `finish` checks it and keeps it."""

    def __init__(self, files: PaperFiles, max_bytes: int) -> None:
        self.files = files
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size = 0
        self.partial = files.folder / f".upload-{secrets.token_hex(8)}"
        self.out = self.partial.open("wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self.abort()
            raise PaperRejected(f"the paper is larger than {self.max_bytes // (1024 * 1024)} MB")
        self.digest.update(chunk)
        self.out.write(chunk)

    def finish(self) -> StoredPaper:
        try:
            self.out.flush()
            os.fsync(self.out.fileno())
            self.out.close()
            if self.size == 0:
                raise PaperRejected("the upload is empty")
            pages = check_pdf(self.partial)
            target = self.files.path(self.digest.hexdigest())
            os.replace(self.partial, target)
        finally:
            self.abort()
        return StoredPaper(target, self.size, self.digest.hexdigest(), pages)

    def abort(self) -> None:
        if not self.out.closed:
            self.out.close()
        self.partial.unlink(missing_ok=True)
