"""One terminal's identity: its accounts database, sign-in, the permission check and its audit chain together."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from feeds.identity.accounts import AccountStore
from feeds.identity.audit import AuditLog
from feeds.identity.database import default_identity_path, open_identity
from feeds.identity.directory import Directory
from feeds.identity.roles import Decision, Principal, Target, authorize
from feeds.identity.settings import IdentitySettings
from feeds.identity.signin import SignInService

log = logging.getLogger(__name__)


class Identity:
    def __init__(self, settings: IdentitySettings, terminal: str, path: Path | None = None) -> None:
        self.settings = settings
        self.terminal = terminal
        self.path = path or settings.database or default_identity_path()
        self.conn = open_identity(self.path)  # IdentityUnavailable when it cannot be used
        lock = threading.RLock()  # one connection shared by the GUI thread and the sign-in worker
        self.accounts = AccountStore(self.conn, settings.password_profile, lock)
        self.audit = AuditLog(self.conn, terminal, lock)
        directory = Directory(settings.directory) if settings.directory is not None else None
        self.signin = SignInService(self.accounts, self.audit, settings, directory)

    def check(self, principal: Principal | None, action: str, target: Target | None = None) -> Decision:
        """The permission decision, audited whichever way it goes."""
        target = target or Target()
        decision = authorize(principal, action, target, self.settings.units)
        self.audit.append(principal.name if principal else "(nobody)", principal.unit if principal else "", action,
                          target.describe(), "ok" if decision.allowed else "refused", decision.reason_en)
        if not decision.allowed:
            log.warning("refused %s by %s on %s: %s", action, principal.name if principal else "(nobody)",
                        target.describe() or "-", decision.reason_en)
        return decision

    def record(self, principal: Principal | None, action: str, target: str = "", outcome: str = "ok",
               detail: str = "") -> None:
        """An audited event that needs no permission (sign-out, a scene applied, a configuration loaded)."""
        self.audit.append(principal.name if principal else "(system)", principal.unit if principal else "", action,
                          target, outcome, detail)

    def close(self) -> None:
        self.conn.close()
