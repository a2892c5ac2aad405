"""The `controlroom` command line: GUI roles, the demo, and the commands in desktop/commands/."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

GUI_ROLES = {
    "demo": ("operator console and one wall window on the built-in simulator (no server needed)",
             ("operator", "wall")),
    "operator": ("the operator console (one process per role, as deployed)", ("operator",)),
    "wall": ("the video-wall screens of this terminal", ("wall",)),
    "leader": ("a leader terminal (tablet or office screen)", ("leader",)),
}


def _screens(text: str) -> tuple[int, ...]:
    try:
        screens = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected screen numbers such as 0,1 — got {text!r}") from None
    if any(s < 0 for s in screens):
        raise argparse.ArgumentTypeError("screen numbers start at 0")
    return screens


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("expected a positive number of seconds")
    return value


def default_cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("controlroom")) / "cache.sqlite"


def _add_gui_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="TOML configuration (default: the built-in demo one)")
    parser.add_argument("--kiosk", action="store_true",
                        help="frameless full screen, no cursor, Esc/Alt+F4 ignored (wall displays)")
    parser.add_argument("--screens", type=_screens, metavar="0,1", help="screen number for each window, in order")
    parser.add_argument("--cache", metavar="PATH", type=Path,
                        help=f"SQLite cache file (default {default_cache_path()})")
    parser.add_argument("--screenshot", metavar="PATH", type=Path,
                        help="save a PNG of every window (PATH, PATH-1.png, …) when quitting")
    parser.add_argument("--quit-after", metavar="SECONDS", type=_positive,
                        help="quit after SECONDS (with --screenshot: take the pictures first)")
    parser.add_argument("--lang", choices=("vi", "en"), help="interface language (default: the configuration's)")
    parser.add_argument("--db", metavar="PATH", type=Path, dest="identity_db",
                        help="accounts and audit database (default: [identity] database, or the per-user one)")
    parser.add_argument("--as", metavar="NAME", dest="sign_in_as",
                        help="built-in demo only: open signed in as this demo account (screenshots, tours)")


def _command_modules() -> list:
    import desktop.commands as package

    return [importlib.import_module(f"desktop.commands.{m.name}") for m in pkgutil.iter_modules(package.__path__)
            if m.name != "cli"]  # this module: the GUI roles and the dispatcher


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="controlroom",
        description="Video wall, leader terminals and operator console of the provincial "
                    "Intelligent Operations Center.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, _) in GUI_ROLES.items():
        _add_gui_arguments(sub.add_parser(name, help=help_text, description=help_text))
    for module in sorted(_command_modules(), key=lambda m: m.NAME):
        module.configure(sub.add_parser(module.NAME, help=module.HELP, description=module.HELP))
    return parser


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (commands run in-process by tests and scripts replace it)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup_logging(verbose: bool) -> None:
    """Log to standard error and a rotating file, once per process (commands may be run in-process again)."""
    if any(getattr(h, "controlroom", False) for h in logging.getLogger().handlers):
        logging.getLogger().setLevel(logging.DEBUG if verbose else logging.INFO)
        return
    handlers: list[logging.Handler] = [_Stderr()]
    log_dir = Path(platformdirs.user_log_dir("controlroom"))
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(RotatingFileHandler(log_dir / "controlroom.log", maxBytes=5_000_000, backupCount=5,
                                            encoding="utf-8"))
    except OSError as exc:
        print(f"controlroom: cannot write the log file in {log_dir}: {exc}", file=sys.stderr)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    for handler in handlers:
        handler.controlroom = True  # type: ignore[attr-defined]
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


def run_role(args: argparse.Namespace) -> int:
    from desktop.config.loader import ConfigError, load_config
    from desktop.session import GuiOptions, run_gui
    from widgets.base.registry import tile_types

    roles = GUI_ROLES[args.command][1]
    try:
        config = load_config(args.config, tile_types())
    except ConfigError as exc:
        print(f"controlroom: configuration error: {exc}", file=sys.stderr)
        return 2
    missing = [role for role in roles if role not in config.roles]
    if missing:
        print(f"controlroom: configuration error: {config.source}: roles.{missing[0]}: "
              f"missing; this command needs a [roles.{missing[0]}] table", file=sys.stderr)
        return 2
    principal = None
    if args.sign_in_as:
        principal = demo_principal(config, args.sign_in_as, args.identity_db)
        if principal is None:
            return 2
    quit_after = args.quit_after if args.quit_after or not args.screenshot else 5.0
    options = GuiOptions(roles=roles, cache_path=args.cache or default_cache_path(), kiosk=args.kiosk,
                         screens=args.screens, screenshot=args.screenshot, quit_after_s=quit_after,
                         language=args.lang, identity_path=args.identity_db, principal=principal)
    from feeds.identity.database import IdentityUnavailable

    try:
        return run_gui(config, options, sys.argv[:1])
    except IdentityUnavailable as exc:
        print(f"controlroom: {exc}; accounts and the audit trail are needed to start (restore it with "
              "`controlroom restore`, or give another with --db)", file=sys.stderr)
        return 2


def demo_principal(config, name: str, path: Path | None):
    """The demo account NAME, signed in without a password: only with the built-in demo configuration."""
    from desktop.config.loader import DEFAULT_CONFIG_NAME
    from desktop.identity.setup import DEMO_ACCOUNTS, open_identity

    if config.source != DEFAULT_CONFIG_NAME or name not in {a[0] for a in DEMO_ACCOUNTS}:
        print(f"controlroom: --as works only with the built-in demo and its accounts "
              f"({', '.join(a[0] for a in DEMO_ACCOUNTS)}); people sign in at the screen", file=sys.stderr)
        return None
    identity = open_identity(config.section("identity"), "demo", path, demo=True)
    try:
        account = identity.accounts.get(name)
        return account.principal("demo", "demo") if account else None
    finally:
        identity.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    if args.command in GUI_ROLES:
        return run_role(args)
    module = next(m for m in _command_modules() if args.command == m.NAME)
    return module.run(args)


if __name__ == "__main__":
    sys.exit(main())
