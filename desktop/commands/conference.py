"""`controlroom conference`: write the Janus configuration for the site's rooms."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "conference"
HELP = "video conferencing on the site's Janus: write its configuration for the rooms of [conference]"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="conference_command", required=True, metavar="ACTION")
    janus = sub.add_parser("janus-config", help="write janus.jcfg and its plugin/transport files into a folder; "
                                                "run Janus with `janus -C DIR/janus.jcfg -F DIR`")
    janus.add_argument("--out", required=True, type=Path, metavar="DIR")
    janus.add_argument("--config", metavar="FILE", help="site configuration with [conference] rooms")
    janus.add_argument("--listen", default="127.0.0.1:8088", metavar="HOST:PORT", help="Janus's HTTP API")
    janus.add_argument("--rtp-ports", default="20000-40000", metavar="LOW-HIGH", help="media ports")


def run(args: argparse.Namespace) -> int:
    from desktop.config.loader import load_config
    from feeds.conference.janus_config import JanusListen, write_janus_config
    from feeds.conference.settings import ConferenceSettings
    from feeds.core.config import ConfigError
    from feeds.core.secrets import get_secret
    from feeds.meetings.settings import parse_listen
    from widgets.base.registry import tile_types

    prog = "controlroom conference janus-config"
    try:
        settings = (load_config(args.config, tile_types()).section("conference") if args.config else None) \
            or ConferenceSettings()
        host, port = parse_listen(args.listen)
        low, _, high = args.rtp_ports.partition("-")
        if not (low.isdigit() and high.isdigit() and 1024 <= int(low) < int(high) <= 65535):
            raise ValueError(f"expected --rtp-ports LOW-HIGH within 1024-65535, got {args.rtp_ports!r}")
        path = write_janus_config(args.out, settings, JanusListen(host, port, (int(low), int(high))), get_secret)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    print(f"{len(settings.rooms)} room(s); run: janus -C {path} -F {args.out}")
    return 0
