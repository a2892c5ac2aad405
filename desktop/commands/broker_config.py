"""`controlroom broker-config`: the Mosquitto configuration, password file and ACL of a site's broker."""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

NAME = "broker-config"
HELP = "write the Mosquitto configuration, password file and ACL that enforce the broker accounts' roles"

BROKER_USER = "mosquitto"  # the account Mosquitto drops to when started as root (the Debian package's)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", required=True,
                        help="the site configuration (TOML); only its [identity.broker] table is read")
    parser.add_argument("--out", metavar="DIR", required=True, type=Path,
                        help="folder for mosquitto.conf, passwd and acl (created if needed)")
    parser.add_argument("--owner", metavar="USER",
                        help=f"owner of the password file (mode 0600); default: {BROKER_USER} when run as "
                             "root and that account exists, else the current user")


def default_owner() -> str | None:
    """Mosquitto started as root reads the password file as `mosquitto`: a root-owned 0600 file would stop it."""
    if os.name != "posix" or os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(BROKER_USER)
    except KeyError:
        return None
    return BROKER_USER


def _write_text(path: Path, text: str) -> None:
    """Replace `path` whole (a reload never sees half a file)."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_text(text, encoding="utf-8")
    temporary.chmod(0o644)
    os.replace(temporary, path)


def run(args: argparse.Namespace) -> int:
    from feeds.core.config import ConfigError, SectionContext
    from feeds.identity.broker_site import (
        ACL_FILE,
        PASSWORD_FILE,
        BrokerSiteError,
        acl_text,
        mosquitto_conf,
        parse_broker_site,
        write_password_file,
    )

    file = Path(args.config)
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
        identity = data.get("identity")
        table = identity.get("broker") if isinstance(identity, dict) else None
        if table is None:
            raise ConfigError(str(file), "identity.broker", "missing; this command needs an [identity.broker] "
                                                            "table with the broker accounts")
        site = parse_broker_site(table, SectionContext(str(file), file.absolute().parent, {}))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        print(f"controlroom: cannot read {file}: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"controlroom: configuration error: {exc}", file=sys.stderr)
        return 2
    out: Path = args.out.absolute()
    owner = args.owner if args.owner is not None else default_owner()
    try:
        out.mkdir(parents=True, exist_ok=True)
        conf, acl = mosquitto_conf(site, out), acl_text(site)  # before the password file: nothing half-done
        names = write_password_file(site, out / PASSWORD_FILE, owner=owner or None)
        _write_text(out / ACL_FILE, acl)
        _write_text(out / "mosquitto.conf", conf)
    except (BrokerSiteError, OSError, LookupError) as exc:  # LookupError: an unknown --owner
        print(f"controlroom: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out / PASSWORD_FILE}: {len(names)} account(s) ({', '.join(names)}), mode 0600"
          f"{f', owner {owner}' if owner else ''}")
    roles = ", ".join(f"{a.name}={a.role}" for a in site.accounts)
    print(f"wrote {out / ACL_FILE}: {roles}")
    print(f"wrote {out / 'mosquitto.conf'}: listener {site.bind}:{site.port} "
          f"{'with TLS' if site.tls else 'WITHOUT TLS'}"
          f"{f', websockets {site.websockets_port}' if site.websockets_port else ''}")
    if not site.tls:
        print("controlroom: warning: no certfile in [identity.broker]: the broker listens without TLS and "
              "passwords cross the network in clear text", file=sys.stderr)
    return 0
