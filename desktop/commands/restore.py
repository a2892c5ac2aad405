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
    from feeds.identity.database import fork_chain, open_identity
    from feeds.store.backup import BackupError, restore

    identity = open_for_command(args, "controlroom restore")
    if identity is None:
        return 2
    targets = files_of(args, identity)
    identity.close()  # the identity file itself may be replaced
    chains: list[str] = []

    def new_chain(name: str, target: Path) -> None:
        """The restored trail continues under a new chain id at once, whatever happens to the other files."""
        if name == "identity":
            conn = open_identity(target)
            chains.append(fork_chain(conn))
            conn.close()

    try:
        restored = restore(args.src, targets, new_chain)
    except BackupError as exc:
        print(f"controlroom restore: {exc}", file=sys.stderr)
        return 1
    identity = open_for_command(args, "controlroom restore: restored, but")
    if identity is None:
        return 1
    identity.record(None, "backup.run", str(args.src), detail="restore: " + ", ".join(r.name for r in restored)
                    + (f"; audit chain continues as {chains[0]}" if chains else ""))
    identity.close()
    for item in restored:
        print(f"{item.name}: {item.source} restored to {item.copy}, integrity ok")
    return 0
