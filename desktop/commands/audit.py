"""`controlroom audit`: verify the hash chain, export entries as CSV, or collect the site-wide trail."""

from __future__ import annotations

import argparse
import sys

NAME = "audit"
HELP = "the audit trail: verify its hash chain, export it as CSV, or collect every terminal's entries"


def _date(text: str) -> float:
    from feeds.core.payloads import PayloadError, parse_timestamp

    try:
        return parse_timestamp(text)  # as the feeds read times: without an offset, Vietnam time
    except PayloadError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-12-01 or 2026-12-01T08:00, got {text!r}"
                                         ) from None


def configure(parser: argparse.ArgumentParser) -> None:
    from desktop.identity.setup import add_identity_arguments

    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = sub.add_parser("verify", help="recompute every hash: exit 0 if the chain is intact, 1 naming the "
                                           "first entry that does not match")
    export = sub.add_parser("export", help="write entries as CSV")
    export.add_argument("--since", type=_date, default=0.0, metavar="DATE",
                        help="from this date (Vietnam time without an offset)")
    export.add_argument("--out", metavar="FILE", help="CSV file (default: standard output)")
    export.add_argument("--site", action="store_true", help="the collected site-wide trail, not this terminal's")
    collect = sub.add_parser("collect", help="keep every terminal's entries published on the broker (runs until "
                                             "stopped)")
    collect.add_argument("--broker", required=True, metavar="URL", help="mqtt://host:port or mqtts://host:port")
    collect.add_argument("--username", default="", help="broker account (password: secret mqtt/USERNAME)")
    collect.add_argument("--ca-certs", default="", metavar="PEM", help="CA bundle for mqtts://")
    for child in (verify, export, collect):
        add_identity_arguments(child)


def run(args: argparse.Namespace) -> int:
    from desktop.identity.setup import open_for_command

    identity = open_for_command(args, "controlroom audit")
    if identity is None:
        return 2
    try:
        if args.audit_command == "verify":
            return _verify(identity)
        if args.audit_command == "export":
            return _export(identity, args)
        return _collect(identity, args)
    finally:
        identity.close()


def _verify(identity) -> int:
    from feeds.identity.audit import SiteAudit

    check = identity.audit.verify()
    if not check.intact:
        print(f"audit trail {identity.path}: entry {check.first_bad}: {check.problem}", file=sys.stderr)
        return 1
    print(f"{check.entries} entries, chain intact")
    bad = 0
    for chain, site in SiteAudit(identity.conn).verify().items():
        if site.intact:
            print(f"site trail, chain {chain}: {site.entries} entries, chain intact")
        else:
            bad += 1
            print(f"site trail, chain {chain}: entry {site.first_bad}: {site.problem}", file=sys.stderr)
    return 1 if bad else 0


def _export(identity, args: argparse.Namespace) -> int:
    from feeds.identity.audit import SiteAudit, write_csv

    if args.site:
        site = SiteAudit(identity.conn)
        entries = [e for chain in site.chains() for e in site.entries(chain) if e.ts >= args.since]
    else:
        entries = identity.audit.entries(since_ts=args.since)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            count = write_csv(entries, out)
        print(f"{count} entries written to {args.out}", file=sys.stderr)
    else:
        count = write_csv(entries, sys.stdout)
    return 0


def _collect(identity, args: argparse.Namespace) -> int:
    import signal
    import threading

    from feeds.identity.audit import SiteAudit
    from feeds.identity.audit_relay import AuditCollector

    collector = AuditCollector(args.broker, SiteAudit(identity.conn), username=args.username,
                               ca_certs=args.ca_certs)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    collector.start()
    print(f"collecting the audit trail from {args.broker} into {identity.path}", file=sys.stderr)
    stop.wait()
    collector.stop()
    print(f"{collector.received} entries received, {collector.refused} refused", file=sys.stderr)
    return 0
