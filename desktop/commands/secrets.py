"""`controlroom secrets set NAME`: store a password (broker, SMTP, SMS gateway, directory) in the OS keyring."""

from __future__ import annotations

import argparse
import sys

NAME = "secrets"
HELP = "store a secret in the OS keyring (configuration files only name secrets, never hold them)"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="secrets_command", required=True, metavar="ACTION")
    store = sub.add_parser("set", help="store NAME (value from a prompt, or the first line of standard input)")
    store.add_argument("name", help="e.g. mqtt/console-1, smtp/canhbao, ldap/service")
    check = sub.add_parser("check", help="say whether NAME is set, and where from (never prints the value)")
    check.add_argument("name")


def run(args: argparse.Namespace) -> int:
    from desktop.identity.setup import read_secret
    from feeds.core.secrets import SecretError, describe_missing, get_secret, set_secret

    try:
        if args.secrets_command == "check":
            if get_secret(args.name) is None:
                print(describe_missing(args.name), file=sys.stderr)
                return 1
            print(f"{args.name}: set")
            return 0
        value = read_secret(f"{args.name}: ", confirm=True)
        if not value:
            print("controlroom secrets: an empty secret is not stored", file=sys.stderr)
            return 2
        backend = set_secret(args.name, value)
    except (SecretError, ValueError) as exc:
        print(f"controlroom secrets: {exc}", file=sys.stderr)
        return 2
    print(f"{args.name}: stored in the keyring ({backend})")
    return 0
