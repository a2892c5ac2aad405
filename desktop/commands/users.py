"""`controlroom users`: local accounts — add, passwd, pin, lock, unlock, list, check."""

from __future__ import annotations

import argparse
import sys

NAME = "users"
HELP = "local accounts: add, passwd, pin, lock, unlock, list, check (a sign-in attempt from standard input)"
MIN_PASSWORD = 8


def configure(parser: argparse.ArgumentParser) -> None:
    from desktop.identity.setup import add_identity_arguments
    from feeds.identity.roles import Role

    sub = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="create an account (password from a prompt, or standard input)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--unit", required=True, help="unit id, as in [identity.units] (default units: tinh, so-tnmt…)")
    add.add_argument("--display-name", default="", help="the name shown on screen (Vietnamese welcome)")
    for action, text in (("passwd", "set a new password"), ("pin", "set the PIN that unlocks an idle screen"),
                         ("lock", "lock an account until an administrator unlocks it"),
                         ("unlock", "lift a lock or a lockout after failed sign-ins"),
                         ("check", "try a sign-in with the password on standard input: exit 0 if it would "
                                   "sign in, 1 if refused (reason on standard error); counts as an attempt")):
        sub.add_parser(action, help=text).add_argument("name")
    sub.add_parser("list", help="every account, its role, unit and state")
    for child in sub.choices.values():
        add_identity_arguments(child)


def run(args: argparse.Namespace) -> int:
    from desktop.identity.setup import open_for_command

    identity = open_for_command(args, "controlroom users")
    if identity is None:
        return 2
    try:
        return _run(args, identity)
    finally:
        identity.close()


def _run(args: argparse.Namespace, identity) -> int:
    from desktop.identity.setup import read_secret
    from feeds.identity.accounts import AccountError
    from feeds.identity.roles import Role

    command = args.users_command
    try:
        if command == "list":
            return _list(identity)
        if command == "check":
            result = identity.signin.sign_in(args.name, read_secret("password: "), identity.terminal)
            if result.ok:
                print(f"{args.name}: would sign in ({result.principal.role.value}, unit {result.principal.unit})")
                return 0
            print(f"controlroom users check: {args.name}: refused — {result.outcome.value}: {result.message('en')}",
                  file=sys.stderr)
            return 1
        if command == "add":
            if args.unit not in identity.settings.units.units:
                raise AccountError(f"unknown unit {args.unit!r}; units: {', '.join(identity.settings.units.units)}")
            account = identity.accounts.add(args.name, _new_password(), Role(args.role), args.unit, args.display_name)
            identity.record(None, "users.add", account.name, detail=f"{account.role.value} in {account.unit}")
        elif command == "passwd":
            identity.accounts.set_password(args.name, _new_password())
            identity.record(None, "users.passwd", args.name.casefold())
        elif command == "pin":
            identity.accounts.set_pin(args.name, read_secret("PIN (4-12 digits): ", confirm=True))
            identity.record(None, "users.pin", args.name.casefold())
        elif command == "lock":
            identity.signin.lock(args.name, None)
        elif command == "unlock":
            identity.signin.unlock(args.name, None)
    except (AccountError, ValueError) as exc:
        print(f"controlroom users {command}: {exc}", file=sys.stderr)
        return 2
    print(f"{args.name}: {command} done")
    return 0


def _new_password() -> str:
    from desktop.identity.setup import read_secret

    password = read_secret("new password: ", confirm=True)
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password has at least {MIN_PASSWORD} characters")
    return password


def _list(identity) -> int:
    import time

    for account in identity.accounts.all():
        failures = identity.accounts.failures(account.name)
        state = "locked by an administrator" if account.locked else (
            f"locked out until {time.strftime('%H:%M', time.localtime(failures.locked_until))}"
            if failures.locked_until > time.time() else f"{failures.count} failed" if failures.count else "active")
        print(f"{account.name}\t{account.role.value}\t{account.unit}\t{account.source}\t{state}\t{account.display_name}")
    return 0
