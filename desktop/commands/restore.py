"""`controlroom restore SRC`: put a backup back, after checking every copy; each restored file is checked again."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "restore"
HELP = "restore the cache, accounts and audit trail from a backup folder (refused if any copy is damaged)"


def configure(parser: argparse.ArgumentParser) -> None:
    from desktop.commands.backup import add_file_arguments

    parser.add_argument("src", type=Path, metavar="SRC")
    add_file_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from desktop.commands.backup import files_of
    from desktop.identity.setup import open_for_command
    from feeds.store.backup import BackupError, restore

    identity = open_for_command(args, "controlroom restore")
    if identity is None:
        return 2
    targets = files_of(args, identity)
    identity.close()  # the identity file itself may be replaced
    try:
        restored = restore(args.src, targets)
    except BackupError as exc:
        print(f"controlroom restore: {exc}", file=sys.stderr)
        return 1
    identity = open_for_command(args, "controlroom restore: restored, but")
    if identity is None:
        return 1
    from feeds.identity.database import fork_chain

    chain = fork_chain(identity.conn) if any(r.name == "identity" for r in restored) else ""
    identity.record(None, "backup.run", str(args.src), detail="restore: " + ", ".join(r.name for r in restored)
                    + (f"; audit chain continues as {chain}" if chain else ""))
    identity.close()
    for item in restored:
        print(f"{item.name}: {item.source} restored to {item.copy}, "
              "integrity ok")
    return 0
