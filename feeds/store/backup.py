"""Backup and restore of the program's SQLite files (cache, accounts and audit) with SQLite's online backup API.

A backup is a folder: one copy per file, consistent even while the program writes (the backup API copies a
snapshot), and a manifest with each copy's SHA-256. A restore first checks every copy (integrity check and
hash); a damaged one stops it before anything is replaced, and each restored file is checked again."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup cannot be made or restored; the message names the file and why."""


@dataclass(frozen=True)
class CopiedFile:
    name: str  # "cache", "identity"
    source: Path
    copy: Path
    sha256: str
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10.0)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=4096)
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def integrity(path: Path) -> str:
    """"ok", or what SQLite's integrity check (or opening the file) says is wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:5])


def backup(files: dict[str, Path], dest: Path) -> list[CopiedFile]:
    """Copy each existing file into DEST (created); writes the manifest."""
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for name, source in files.items():
        if not source.exists():
            continue
        target = dest / f"{name}.sqlite"
        try:
            _copy(source, target)
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(f"{source}: cannot be backed up: {exc}") from exc
        copied.append(CopiedFile(name, source, target, _sha256(target), target.stat().st_size))
    manifest = {"created": time.time(), "files": {c.name: {"source": str(c.source), "sha256": c.sha256,
                                                           "bytes": c.bytes} for c in copied}}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return copied


def restore(src: Path, targets: dict[str, Path],
            restored_one: Callable[[str, Path], None] | None = None) -> list[CopiedFile]:
    """Put the copies in SRC back in place of TARGETS; nothing is replaced unless every copy is sound.
    RESTORED_ONE(name, target) runs as soon as each file is back and checked, before the next one."""
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
        listed = manifest["files"]
        if not isinstance(listed, dict) or not all(isinstance(v, dict) for v in listed.values()):
            raise TypeError("its files are not described")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{src}: not a controlroom backup (no readable {MANIFEST}: {exc})") from exc
    chosen = {name: path for name, path in targets.items() if name in listed}
    for name in chosen:
        copy = src / f"{name}.sqlite"
        if not copy.exists():
            raise BackupError(f"{copy}: listed in the manifest but missing")
        if _sha256(copy) != listed[name].get("sha256"):
            raise BackupError(f"{copy}: damaged (its SHA-256 differs from the manifest); nothing was restored")
        problem = integrity(copy)
        if problem != "ok":
            raise BackupError(f"{copy}: damaged ({problem}); nothing was restored")
    restored = []
    for name, target in chosen.items():
        copy = src / f"{name}.sqlite"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            _restore_one(copy, target)
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(f"{target}: cannot be restored: {exc}") from exc
        problem = integrity(target)
        if problem != "ok":
            raise BackupError(f"{target}: restored but fails its integrity check: {problem}")
        restored.append(CopiedFile(name, copy, target, listed[name]["sha256"], copy.stat().st_size))
        if restored_one is not None:
            restored_one(name, target)
    return restored


def _restore_one(copy: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=10.0)
        try:
            src.backup(dst)  # through SQLite: a running program's WAL and locks are respected
        finally:
            dst.close()
    finally:
        src.close()
