"""`controlroom conference`: write the Janus configuration for the site's rooms; list and convert recordings."""

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
    rec = sub.add_parser("recordings", help="list the rooms' recordings ([conference] recordings), who and when; "
                                            "--convert DIR turns them into .webm/.opus files (janus-pp-rec)")
    rec.add_argument("--config", required=True, metavar="FILE", help="site configuration with [conference]")
    rec.add_argument("--room", metavar="NAME", help="one room of [conference.rooms]")
    rec.add_argument("--convert", type=Path, metavar="DIR", help="also convert each into DIR")


def _recordings(args: argparse.Namespace) -> int:
    from desktop.config.loader import load_config
    from feeds.conference.recordings import RecordingError, convert, list_recordings
    from feeds.core.config import ConfigError
    from widgets.base.registry import tile_types

    prog = "controlroom conference recordings"
    try:
        settings = load_config(args.config, tile_types()).section("conference")
    except (ConfigError, OSError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if settings is None or settings.recordings is None:
        print(f"{prog}: {args.config} has no [conference] recordings folder", file=sys.stderr)
        return 2
    room = None
    if args.room:
        if args.room not in settings.rooms:
            print(f"{prog}: no room {args.room!r} in [conference.rooms]", file=sys.stderr)
            return 2
        room = settings.rooms[args.room].address.room
    failed = 0
    found = list_recordings(settings.recordings, room)
    for recording in found:
        line = recording.describe()
        if args.convert is not None and recording.kind in ("audio", "video"):
            try:
                line += f" → {convert(recording, args.convert)}"
            except RecordingError as exc:
                line += f" → not converted: {exc}"
                failed += 1
        print(line)
    print(f"{len(found)} recording(s) in {settings.recordings}")
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    if args.conference_command == "recordings":
        return _recordings(args)
    return _janus_config(args)


def _janus_config(args: argparse.Namespace) -> int:
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
