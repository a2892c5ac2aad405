"""Signing in: local accounts (argon2id) or the directory, lockout after repeated failures, every attempt audited.

Failures are counted per name whether an account has it or not, and an unknown name costs the same hashing
time, so neither the answer nor its delay tells whether a name exists."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from enum import Enum

from feeds.identity.accounts import Account, AccountStore, normalize
from feeds.identity.audit import AuditLog
from feeds.identity.directory import Directory, DirectoryUnavailable
from feeds.identity.passwords import needs_rehash, verify_secret
from feeds.identity.roles import Principal, Role
from feeds.identity.settings import IdentitySettings

log = logging.getLogger(__name__)


class Outcome(str, Enum):
    OK = "ok"
    WRONG = "wrong"  # wrong name or password: one answer for both
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"  # the directory cannot be asked (and no offline sign-in)


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    principal: Principal | None = None
    locked_until: float = 0.0
    attempts_left: int = 0
    detail: str = ""  # for the operator (the directory's problem), never which of name/password was wrong

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def message(self, language: str) -> str:
        """What the sign-in screen and `users check` say."""
        vi = language == "vi"
        if self.outcome is Outcome.OK:
            return "Đã đăng nhập" if vi else "Signed in"
        if self.outcome is Outcome.LOCKED:
            minutes = max(1, math.ceil((self.locked_until - time.time()) / 60))
            return (f"Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau {minutes} phút" if vi else
                    f"The account is locked after too many failed sign-ins; try again in {minutes} min")
        if self.outcome is Outcome.UNAVAILABLE:
            return ("Không kết nối được máy chủ danh bạ (LDAP); liên hệ quản trị" if vi else
                    "The directory (LDAP) cannot be reached; call the administrator")
        left = (f"; còn {self.attempts_left} lần thử" if vi else f"; {self.attempts_left} attempt(s) left"
                ) if self.attempts_left else ""
        return ("Tên đăng nhập hoặc mật khẩu không đúng" if vi else "Wrong name or password") + left


class SignInService:
    def __init__(self, accounts: AccountStore, audit: AuditLog, settings: IdentitySettings,
                 directory: Directory | None = None) -> None:
        self.accounts = accounts
        self.audit = audit
        self.settings = settings
        self.directory = directory

    def sign_in(self, name: str, password: str, terminal: str = "", action: str = "sign_in") -> SignInResult:
        key = normalize(name) or "(invalid name)"  # counted like any name: the answer does not differ
        account = self.accounts.get(key)
        locked = self._locked_until(key, account)
        if locked:
            if math.isinf(locked):  # an administrator's lock: answered like a lockout, after the same work
                verify_secret(None, password, self.settings.password_profile)
                locked = time.time() + self.settings.lockout_s
            result = SignInResult(Outcome.LOCKED, locked_until=locked)
        else:
            result = self._check(key, password, account, terminal)
        self._audit(key, account, result, terminal, action)
        return result

    def _locked_until(self, key: str, account: Account | None) -> float:
        if account is not None and account.locked:
            return math.inf
        until = self.accounts.failures(key).locked_until
        return until if until > time.time() else 0.0

    def _check(self, key: str, password: str, account: Account | None, terminal: str) -> SignInResult:
        if account is not None and account.source == "local":
            if verify_secret(account.hash, password, self.settings.password_profile):
                return self._success(account, password, terminal)
            return self._failure(key)
        if self.directory is not None and key != "(invalid name)":
            try:
                found = self.directory.authenticate(key, password)
            except DirectoryUnavailable as exc:
                log.error("sign-in of %s: %s", key, exc)
                return self._offline(key, password, account, terminal, str(exc))
            verify_secret(None, password, self.settings.password_profile)  # as slow as a local account
            if found is None:
                return self._failure(key)
            mapping = self.directory.settings.group_units
            if found.role not in {r.value for r in Role} or (mapping and not found.unit):
                # a person in no unit group acts nowhere (not everywhere) when the site maps units
                log.error("directory account %s: role %r, unit %r: not a role and unit of this site", key,
                          found.role, found.unit)
                return self._failure(key)
            principal = Principal(key, Role(found.role), found.unit or self.settings.units.root(),
                                  found.display_name, terminal, "directory")
            if self.settings.offline_sign_in:
                self.accounts.remember_directory_account(principal, password)
            self.accounts.clear_failures(key)
            return SignInResult(Outcome.OK, principal)
        verify_secret(None, password, self.settings.password_profile)  # as slow as a real account
        return self._failure(key)

    def _offline(self, key: str, password: str, account: Account | None, terminal: str,
                 detail: str) -> SignInResult:
        if self.settings.offline_sign_in and account is not None and account.source == "directory":
            if verify_secret(account.hash, password, self.settings.password_profile):
                self.accounts.clear_failures(key)
                return SignInResult(Outcome.OK, account.principal(terminal, "cached"), detail=detail)
            return self._failure(key)
        return SignInResult(Outcome.UNAVAILABLE, detail=detail)

    def _success(self, account: Account, password: str, terminal: str) -> SignInResult:
        self.accounts.clear_failures(account.name)
        if needs_rehash(account.hash, self.settings.password_profile):
            self.accounts.set_password(account.name, password)
            log.info("password hash of %s re-made with the %s profile", account.name, self.settings.password_profile)
        return SignInResult(Outcome.OK, account.principal(terminal))

    def _failure(self, key: str) -> SignInResult:
        state = self.accounts.record_failure(key, self.settings.max_failures, self.settings.lockout_s)
        if state.locked_until:
            return SignInResult(Outcome.LOCKED, locked_until=state.locked_until, detail="lockout")
        return SignInResult(Outcome.WRONG, attempts_left=self.settings.max_failures - state.count)

    def _audit(self, key: str, account: Account | None, result: SignInResult, terminal: str, action: str) -> None:
        unit = result.principal.unit if result.principal else account.unit if account else ""
        outcome = {Outcome.OK: "ok", Outcome.WRONG: "failed", Outcome.LOCKED: "locked",
                   Outcome.UNAVAILABLE: "failed"}[result.outcome]
        detail = result.detail or ("" if result.ok else result.outcome.value)
        if result.ok and result.principal is not None:
            detail = f"{result.principal.role.value} via {result.principal.source}"
        self.audit.append(key or "(empty)", unit, action, key, outcome, detail, terminal=terminal or None)
        if result.detail == "lockout":
            self.audit.append(key, unit, "lockout", key, "locked",
                              f"{self.settings.max_failures} failures; locked {self.settings.lockout_s / 60:g} min",
                              terminal=terminal or None)

    def resume(self, principal: Principal, secret: str) -> SignInResult:
        """Unlock an idle-locked screen with the signed-in person's PIN or password."""
        account = self.accounts.get(principal.name)
        if account is not None and account.pin_hash and secret.isdigit() and not self._locked_until(
                principal.name, account):
            if verify_secret(account.pin_hash, secret, self.settings.password_profile):
                self.accounts.clear_failures(principal.name)
                result = SignInResult(Outcome.OK, principal)
                self._audit(principal.name, account, result, principal.terminal, "resume")
                return result
            result = self._failure(principal.name)
            self._audit(principal.name, account, result, principal.terminal, "resume")
            return result
        result = self.sign_in(principal.name, secret, principal.terminal, action="resume")
        return SignInResult(result.outcome, principal if result.ok else None, result.locked_until,
                            result.attempts_left, result.detail)

    def administrator_pin(self, pin: str, terminal: str) -> Principal | None:
        """The administrator whose PIN this is (to leave kiosk mode at a wall), or None; failures lock the wall."""
        key = f"kiosk:{terminal}"
        if self._locked_until(key, None):
            self.audit.append(key, "", "kiosk.exit", terminal, "locked", "too many wrong PINs", terminal=terminal)
            return None
        for account in self.accounts.administrators():
            if account.pin_hash and not account.locked and verify_secret(account.pin_hash, pin,
                                                                         self.settings.password_profile):
                self.accounts.clear_failures(key)
                self.audit.append(account.name, account.unit, "kiosk.exit", terminal, "ok", "", terminal=terminal)
                return account.principal(terminal)
        state = self.accounts.record_failure(key, self.settings.max_failures, self.settings.lockout_s)
        self.audit.append(key, "", "kiosk.exit", terminal, "locked" if state.locked_until else "refused",
                          "wrong administrator PIN", terminal=terminal)
        return None

    def unlock(self, name: str, by: Principal | None, terminal: str = "") -> None:
        """An administrator lifts a lockout or an administrator's lock."""
        key = normalize(name)
        self.accounts.clear_failures(key)
        if self.accounts.get(key) is not None:
            self.accounts.set_locked(key, False)
        self.audit.append(by.name if by else "(command line)", by.unit if by else "", "unlock", key, "ok",
                          terminal=terminal or None)

    def lock(self, name: str, by: Principal | None, terminal: str = "") -> None:
        self.accounts.set_locked(name, True)
        self.audit.append(by.name if by else "(command line)", by.unit if by else "", "lock", normalize(name), "ok",
                          terminal=terminal or None)


def device_principal(terminal: str, unit: str) -> Principal:
    """A wall display: signed in by its broker credentials or client certificate, never at a screen."""
    return Principal(terminal, Role.WALL, unit, terminal, terminal, "device")
