"""Local accounts and the per-name count of failed sign-ins, in the identity database."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from feeds.identity.passwords import DEFAULT_PROFILE, hash_secret
from feeds.identity.roles import Principal, Role


class AccountError(ValueError):
    """An account cannot be created or changed as asked (exists already, unknown role or unit…)."""


def normalize(name: str) -> str:
    """The form names are kept and compared in: trimmed and case-folded (Vietnamese letters included)."""
    return name.strip().casefold()


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
    def __init__(self, conn: sqlite3.Connection, profile: str = DEFAULT_PROFILE) -> None:
        self.conn = conn
        self.profile = profile

    def get(self, name: str) -> Account | None:
        row = self.conn.execute(f"SELECT {_FIELDS} FROM accounts WHERE name = ?", (normalize(name),)).fetchone()
        return self._account(row) if row else None

    @staticmethod
    def _account(row: tuple[str, str, str, str, str, str | None, str, int]) -> Account:
        name, display, role, unit, phc, pin, source, locked = row
        return Account(name, display, Role(role), unit, phc, pin, source, bool(locked))

    def all(self) -> list[Account]:
        return [self._account(r) for r in self.conn.execute(f"SELECT {_FIELDS} FROM accounts ORDER BY name")]

    def add(self, name: str, password: str, role: Role, unit: str, display_name: str = "") -> Account:
        key = normalize(name)
        if not key or any(c.isspace() for c in key):
            raise AccountError(f"account name {name!r}: expected one word without spaces")
        now = time.time()
        try:
            self.conn.execute("INSERT INTO accounts (name, display_name, role, unit, hash, created, changed) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (key, display_name or name.strip(), role.value, unit,
                               hash_secret(password, self.profile), now, now))
        except sqlite3.IntegrityError:
            raise AccountError(f"account {key!r} exists already") from None
        account = self.get(key)
        assert account is not None
        return account

    def remember_directory_account(self, principal: Principal, password: str) -> None:
        """Keep a directory account's password hash for an offline sign-in (only when the site allows it)."""
        now = time.time()
        self.conn.execute(
            "INSERT INTO accounts (name, display_name, role, unit, hash, source, created, changed) "
            "VALUES (?, ?, ?, ?, ?, 'directory', ?, ?) ON CONFLICT(name) DO UPDATE SET "
            "display_name = excluded.display_name, role = excluded.role, unit = excluded.unit, "
            "hash = excluded.hash, changed = excluded.changed "
            "WHERE accounts.source = 'directory'",
            (principal.name, principal.display_name, principal.role.value, principal.unit,
             hash_secret(password, self.profile), now, now))

    def _update(self, name: str, sql: str, *values: object) -> None:
        cursor = self.conn.execute(f"UPDATE accounts SET {sql}, changed = ? WHERE name = ?",
                                   (*values, time.time(), normalize(name)))
        if cursor.rowcount != 1:
            raise AccountError(f"no account {normalize(name)!r}")

    def set_password(self, name: str, password: str) -> None:
        self._update(name, "hash = ?", hash_secret(password, self.profile))

    def set_hash(self, name: str, phc: str) -> None:
        self._update(name, "hash = ?", phc)

    def set_pin(self, name: str, pin: str) -> None:
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            raise AccountError("a PIN is 4 to 12 digits")
        self._update(name, "pin_hash = ?", hash_secret(pin, self.profile))

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

    def clear_failures(self, name: str) -> None:
        self.conn.execute("DELETE FROM failures WHERE name = ?", (normalize(name),))
