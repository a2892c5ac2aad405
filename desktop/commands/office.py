"""`controlroom office`: run the office service (meetings, papers, ballots), or check a signed record."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

NAME = "office"
HELP = "the office service for meetings, papers and voting: serve it, or verify a signed result or PDF"

log = logging.getLogger(__name__)


def configure(parser: argparse.ArgumentParser) -> None:

    sub = parser.add_subparsers(dest="office_command", required=True, metavar="ACTION")
    serve = sub.add_parser("serve", help="run the service (until stopped)")
    serve.add_argument("--db", metavar="PATH", type=Path,
                       help="office database; papers and the signing key sit beside it (default: [office] folder, "
                            "or the per-user data folder)")
    serve.add_argument("--listen", metavar="HOST:PORT", help="where to listen (default: [office] listen)")
    serve.add_argument("--broker", metavar="URL", help="mqtt://host:port for live meeting state "
                                                       "(default: [office] broker)")
    serve.add_argument("--identity-db", metavar="PATH", type=Path,
                       help="accounts and audit database (default: [identity] database)")
    serve.add_argument("--config", metavar="FILE", help="site configuration ([office], [identity])")
    serve.add_argument("--demo", action="store_true", help="with the demo's accounts and today's demo meeting")
    verify = sub.add_parser("verify", help="check a signed result record (JSON) or a signed PDF: exit 0 if intact, "
                                           "1 on any change")
    verify.add_argument("file", metavar="FILE", type=Path)
    verify.add_argument("--key", metavar="FILE", type=Path,
                        help="the service's public key for result records (default: result-signing.pub beside the "
                             "office database)")
    verify.add_argument("--cert", metavar="PEM", type=Path,
                        help="the certificate to trust for signed PDFs (default: pdf-signing-cert.pem beside the "
                             "office database)")
    verify.add_argument("--db", metavar="PATH", type=Path, help="office database whose key to trust")
    sub.add_parser("openapi", help="print the service's OpenAPI document (docs/office-openapi.json is this)")


def default_office_db() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("controlroom")) / "office" / "office.sqlite"


def run(args: argparse.Namespace) -> int:
    if args.office_command == "verify":
        return _verify(args)
    if args.office_command == "openapi":
        return _openapi()
    return _serve(args)


def _openapi() -> int:
    """The document as the service builds it, from a throw-away service in a temporary folder."""
    import tempfile

    from feeds.identity.service import Identity
    from feeds.identity.settings import IdentitySettings
    from feeds.meetings.settings import OfficeSettings
    from feeds.office.api import create_app
    from feeds.office.service import OfficeService

    with tempfile.TemporaryDirectory() as folder:
        identity = Identity(IdentitySettings(), "openapi", Path(folder) / "identity.sqlite")
        service = OfficeService(OfficeSettings(), identity, Path(folder) / "office.sqlite")
        try:
            document = create_app(service).openapi()
        finally:
            service.close()
            identity.close()
    print(json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True))
    return 0


def _settings(args: argparse.Namespace):
    from desktop.config.loader import load_config
    from feeds.identity.settings import IdentitySettings
    from feeds.meetings.settings import OfficeSettings
    from widgets.base.registry import tile_types

    if not args.config:
        return OfficeSettings(), IdentitySettings(), None
    config = load_config(args.config, tile_types())
    return (config.section("office") or OfficeSettings(), config.section("identity") or IdentitySettings(),
            config.section("conference"))


def _serve(args: argparse.Namespace) -> int:
    import signal

    from desktop.identity.setup import open_identity
    from feeds.core.config import ConfigError
    from feeds.identity.database import IdentityUnavailable
    from feeds.meetings.settings import parse_listen
    from feeds.office.conference_records import meeting_recordings
    from feeds.office.live import LivePublisher
    from feeds.office.server import ServerError, make_server
    from feeds.office.service import OfficeService
    from feeds.store import StoreUnavailable

    prog = "controlroom office serve"
    try:
        office, identity_settings, conference = _settings(args)
        host, port = parse_listen(args.listen or office.listen)
    except (ConfigError, ValueError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    database = args.db or (office.folder / "office.sqlite" if office.folder else default_office_db())
    try:
        identity = open_identity(identity_settings, "office", args.identity_db, demo=args.demo)
    except IdentityUnavailable as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    broker = args.broker if args.broker is not None else office.broker
    live = LivePublisher(broker) if broker else None
    try:
        service = OfficeService(office, identity, database, live,
                                meeting_recordings(conference) if conference is not None else None)
    except (StoreUnavailable, ValueError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        identity.close()
        return 2
    try:
        if args.demo:
            service.seed_demo()
        server = make_server(service, host, port, office.certfile, office.keyfile)
    except ServerError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if live:
        live.start()
        service.publish_all()
    service.start_background()
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    scheme = "https" if office.certfile else "http"
    print(f"office service on {scheme}://{host}:{port}/api/v1 (database {database})", flush=True)
    try:
        server.run()
    finally:
        if live:
            live.stop()
        service.close()
        identity.close()
    return 0 if server.started else 2


def _verify(args: argparse.Namespace) -> int:
    from feeds.meetings.signing import PUBLIC_FILE, read_public_key, verify_record

    prog = "controlroom office verify"
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{prog}: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    folder = (args.db or default_office_db()).parent
    if data.lstrip().startswith(b"%PDF-"):
        from feeds.meetings.pdf_signing import CERT_FILE, verify_pdf

        cert = args.cert or folder / CERT_FILE
        if not cert.exists():
            print(f"{prog}: no certificate to trust at {cert}: give --cert PEM (the office service's "
                  f"{CERT_FILE}) or --db", file=sys.stderr)
            return 2 if args.cert else 1
        pdf = verify_pdf(data, cert)
        print(f"{args.file}: {'VALID' if pdf.valid else 'INVALID'}: {pdf.reason}")
        return 0 if pdf.valid else 1
    key_file = args.key or folder / PUBLIC_FILE
    if not key_file.exists():  # a record checked only against the key it carries proves nothing
        print(f"{prog}: no key to trust at {key_file}: give --key FILE (the office service's {PUBLIC_FILE}) "
              "or --db", file=sys.stderr)
        return 2 if args.key else 1
    try:
        trusted = read_public_key(key_file)
    except (OSError, ValueError) as exc:
        print(f"{prog}: the key {key_file} cannot be read: {exc}", file=sys.stderr)
        return 2
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"{args.file}: INVALID: neither a signed result record (JSON) nor a PDF: {exc}")
        return 1
    verdict = verify_record(document, trusted)
    print(f"{args.file}: {'VALID' if verdict.valid else 'INVALID'}: {verdict.reason}")
    return 0 if verdict.valid else 1
