"""`controlroom simulate`: publish the simulator to a real MQTT broker (and REST), to rehearse a deployment."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from urllib.parse import urlsplit

NAME = "simulate"
HELP = "publish the built-in simulator's feeds to an MQTT broker (and serve them over REST)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", required=True, metavar="URL", help="e.g. mqtt://127.0.0.1:1883")
    parser.add_argument("--http", metavar="HOST:PORT", help="also serve GET /api/v1/indicators here")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same values)")
    parser.add_argument("--speed", type=float, default=1800.0,
                        help="how many times faster than the real cadence (default 1800: 3 h in 6 s)")
    parser.add_argument("--alert-period", type=float, default=1200.0, metavar="S",
                        help="real-time seconds between simulated alerts, before --speed (default 1200)")
    parser.add_argument("--duration", type=float, metavar="S", help="stop after S seconds (default: run until Ctrl+C)")
    parser.add_argument("--linger", type=float, default=2.0, metavar="S",
                        help="after --duration, keep answering resend requests for S seconds (default 2)")
    parser.add_argument("--client-id", default="", help="MQTT client id (default controlroom-simulator-SEED)")
    parser.add_argument("--alert-storm", type=int, metavar="N",
                        help="instead of the simulator: N alerts spread evenly over --duration (an alarm flood)")
    parser.add_argument("--storm-sources", type=int, default=500, metavar="S",
                        help="with --alert-storm: how many sources the alerts come from (default 500)")


def run(args: argparse.Namespace) -> int:
    from feeds.sources.rehearsal import SimPublisher, serve_snapshot

    url = urlsplit(args.broker)
    if url.scheme not in ("mqtt", "mqtts") or not url.hostname:
        print(f"controlroom simulate: --broker must look like mqtt://host:port, got {args.broker!r}", file=sys.stderr)
        return 2
    scenario = None
    if args.alert_storm:
        if not args.duration or args.storm_sources < 1:
            print("controlroom simulate: --alert-storm needs --duration and --storm-sources ≥ 1", file=sys.stderr)
            return 2
        from feeds.alerts.storm import AlertStorm

        scenario = AlertStorm(args.alert_storm, args.storm_sources, args.duration, seed=args.seed)
    publisher = SimPublisher(url.hostname, url.port or 1883, seed=args.seed, speed=args.speed,
                             alert_period_s=args.alert_period, client_id=args.client_id, scenario=scenario)
    server = None
    if args.http:
        host, _, port = args.http.rpartition(":")
        try:
            server = serve_snapshot(publisher.snapshot, host or "127.0.0.1", int(port))
        except (OSError, ValueError) as exc:
            print(f"controlroom simulate: cannot serve REST on {args.http!r}: {exc}", file=sys.stderr)
            return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    logging.getLogger(__name__).info("publishing to %s (seed %d, speed %g)", args.broker, args.seed, args.speed)
    counts = publisher.run(args.duration, stop, linger_s=args.linger)
    if server is not None:
        server.shutdown()
    print(f"published indicators: {counts.indicators}\npublished alerts: {counts.alerts}\n"
          f"resent alerts: {counts.resent}\nunconfirmed alerts: {counts.unconfirmed}")
    return 1 if counts.unconfirmed else 0
