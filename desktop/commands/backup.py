"""`controlroom backup DEST`: the cache, the accounts and the audit trail, copied with SQLite's backup API."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "backup"
HELP = "back up the cache, accounts and audit trail into the folder DEST (safe while the program runs)"


def add_file_arguments(parser: argparse.ArgumentParser) -> None:
    from desktop.commands.cli import default_cache_path
    from desktop.identity.setup import add_identity_arguments

    parser.add_argument("--cache", type=Path, metavar="PATH", help=f"the cache (default {default_cache_path()})")
    add_identity_arguments(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", type=Path, metavar="DEST")
    add_file_arguments(parser)


def files_of(args: argparse.Namespace, identity) -> dict[str, Path]:
    from desktop.commands.cli import default_cache_path

    return {"cache": args.cache or default_cache_path(), "identity": identity.path}


def run(args: argparse.Namespace) -> int:
    from desktop.identity.setup import open_for_command
    from feeds.store.backup import BackupError, backup

    identity = open_for_command(args, "controlroom backup")
    if identity is None:
        return 2
    try:
        identity.record(None, "backup.run", str(args.dest), detail="backup")
        copied = backup(files_of(args, identity), args.dest)
    except BackupError as exc:
        identity.record(None, "backup.run", str(args.dest), "failed", str(exc))
        print(f"controlroom backup: {exc}", file=sys.stderr)
        return 1
    finally:
        identity.close()
    for item in copied:
        print(f"{item.name}: {item.source} → {item.copy} ({item.bytes} bytes, sha256 {item.sha256[:16]}…)")
    return 0
