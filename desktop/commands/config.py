"""`controlroom config`: print the built-in configuration, or check a configuration file."""

from __future__ import annotations

import argparse
import sys

NAME = "config"
HELP = "print the built-in demo configuration, or check a configuration file"


def configure(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--print-default", action="store_true", help="print the built-in demo configuration (TOML)")
    group.add_argument("--check", metavar="FILE", help="validate FILE and report the first mistake")


def run(args: argparse.Namespace) -> int:
    from desktop.config.loader import ConfigError, default_config_text, load_config
    from widgets.base.registry import tile_types

    if args.print_default:
        sys.stdout.write(default_config_text())
        return 0
    try:
        config = load_config(args.check, tile_types())
    except ConfigError as exc:
        print(f"controlroom: configuration error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.check}: ok — {len(config.feeds)} feed(s), {len(config.layouts)} layout(s), "
          f"roles: {', '.join(config.roles) or 'none'}")
    return 0
