"""Local accounts and the per-name count of failed sign-ins, in the identity database."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass

from feeds.identity.passwords import DEFAULT_PROFILE, hash_secret
from feeds.identity.roles import Principal, Role

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """An account cannot be created or changed as asked (exists already, unknown role or unit…)."""


MAX_NAME = 64


def normalize(name: str) -> str:
    """The form names are kept and compared in: NFKC, trimmed, case-folded (Vietnamese letters included);
    "" for a name no account can have (control, format or space characters, too long)."""
    key = unicodedata.normalize("NFKC", name).strip().casefold()
    if len(key) > MAX_NAME or any(unicodedata.category(c)[0] in "CZ" for c in key):
        return ""
    return key


@dataclass(frozen=True)
class Account:
    name: str
    display_name: str
    role: Role
    unit: str
    hash: str
    pin_hash: str | None
    source: str
    locked: bool

    def principal(self, terminal: str, source: str | None = None) -> Principal:
        return Principal(self.name, self.role, self.unit, self.display_name, terminal, source or self.source)


@dataclass(frozen=True)
class FailureState:
    count: int
    locked_until: float


_FIELDS = "name, display_name, role, unit, hash, pin_hash, source, locked"


class AccountStore:
    def __init__(self, conn: sqlite3.Connection, profile: str = DEFAULT_PROFILE,
                 lock: threading.RLock | None = None) -> None:
        self.conn = conn
        self.profile = profile
        # one connection, used by the sign-in worker and the GUI thread: one writer at a time, so that no
        # statement lands inside another thread's transaction
        self.lock = lock or threading.RLock()

    def _write(self, sql: str, values: tuple[object, ...]) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, values)

    def get(self, name: str) -> Account | None:
        row = self.conn.execute(f"SELECT {_FIELDS} FROM accounts WHERE name = ?", (normalize(name),)).fetchone()
        return self._account(row) if row else None

    @staticmethod
    def _account(row: tuple[str, str, str, str, str, str | None, str, int]) -> Account | None:
        """The account of a row; None (logged) for a row with a role this program does not know."""
        name, display, role, unit, phc, pin, source, locked = row
        try:
            return Account(name, display, Role(role), unit, phc, pin, source, bool(locked))
        except ValueError:
            log.error("account %r has an unknown role %r: it cannot sign in", name, role)
            return None

    def all(self) -> list[Account]:
        accounts = (self._account(r) for r in self.conn.execute(f"SELECT {_FIELDS} FROM accounts ORDER BY name"))
        return [a for a in accounts if a is not None]

    def add(self, name: str, password: str, role: Role, unit: str, display_name: str = "",
            phc: str | None = None) -> Account:
        """A new local account; PHC: the password's hash when it is made already (one for all demo accounts)."""
        key = normalize(name)
        if not key:
            raise AccountError(f"account name {name!r}: expected one word of at most {MAX_NAME} letters, digits "
                               "or signs, without spaces")
        now = time.time()
        try:
            self._write("INSERT INTO accounts (name, display_name, role, unit, hash, created, changed) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (key, display_name or name.strip(), role.value, unit,
                         phc or hash_secret(password, self.profile), now, now))
        except sqlite3.IntegrityError:
            raise AccountError(f"account {key!r} exists already") from None
        account = self.get(key)
        assert account is not None
        return account

    def remember_directory_account(self, principal: Principal, password: str) -> None:
        """Keep a directory account's password hash for an offline sign-in (only when the site allows it)."""
        now = time.time()
        self._write(
            "INSERT INTO accounts (name, display_name, role, unit, hash, source, created, changed) "
            "VALUES (?, ?, ?, ?, ?, 'directory', ?, ?) ON CONFLICT(name) DO UPDATE SET "
            "display_name = excluded.display_name, role = excluded.role, unit = excluded.unit, "
            "hash = excluded.hash, changed = excluded.changed "
            "WHERE accounts.source = 'directory'",
            (principal.name, principal.display_name, principal.role.value, principal.unit,
             hash_secret(password, self.profile), now, now))

    def _update(self, name: str, sql: str, *values: object) -> None:
        cursor = self._write(f"UPDATE accounts SET {sql}, changed = ? WHERE name = ?",
                             (*values, time.time(), normalize(name)))
        if cursor.rowcount != 1:
            raise AccountError(f"no account {normalize(name)!r}")

    def set_password(self, name: str, password: str) -> None:
        self._update(name, "hash = ?", hash_secret(password, self.profile))

    def set_pin(self, name: str, pin: str, phc: str | None = None) -> None:
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            raise AccountError("a PIN is 4 to 12 digits")
        self._update(name, "pin_hash = ?", phc or hash_secret(pin, self.profile))

    def set_locked(self, name: str, locked: bool) -> None:
        self._update(name, "locked = ?", int(locked))

    def administrators(self) -> list[Account]:
        return [a for a in self.all() if a.role is Role.ADMINISTRATOR and a.source == "local"]

    # failed sign-ins, per name
    def failures(self, name: str) -> FailureState:
        row = self.conn.execute("SELECT count, locked_until FROM failures WHERE name = ?",
                                (normalize(name),)).fetchone()
        return FailureState(*row) if row else FailureState(0, 0.0)

    def record_failure(self, name: str, max_failures: int, lockout_s: float) -> FailureState:
        """Count one failure (in one transaction, so parallel attempts are all counted); lock at the limit."""
        now, key = time.time(), normalize(name)
        with self.lock:
            return self._count_failure(key, now, max_failures, lockout_s)

    def _count_failure(self, key: str, now: float, max_failures: int, lockout_s: float) -> FailureState:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            row = self.conn.execute("SELECT count, locked_until FROM failures WHERE name = ?", (key,)).fetchone()
            lock_ended = row is not None and 0 < row[1] <= now  # a new series of attempts starts
            count = (0 if row is None or lock_ended else row[0]) + 1
            locked_until = now + lockout_s if count >= max_failures else 0.0
            self.conn.execute("INSERT INTO failures VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                              "count = excluded.count, last = excluded.last, locked_until = excluded.locked_until",
                              (key, count, now, locked_until))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return FailureState(count, locked_until)

    def locked(self, now: float | None = None) -> list[tuple[str, float, int]]:
        """(name, locked until — inf when an administrator locked it —, failures) of every locked name."""
        now = time.time() if now is None else now
        rows = self.conn.execute("SELECT name, locked_until, count FROM failures WHERE locked_until > ? "
                                 "ORDER BY name", (now,)).fetchall()
        found = {name: (name, float(until), int(count)) for name, until, count in rows}
        for account in self.all():
            if account.locked:
                found[account.name] = (account.name, float("inf"), self.failures(account.name).count)
        return [found[name] for name in sorted(found)]

    def clear_failures(self, name: str) -> None:
        self._write("DELETE FROM failures WHERE name = ?", (normalize(name),))

