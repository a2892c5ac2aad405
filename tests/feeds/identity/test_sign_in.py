from __future__ import annotations

import time

from feeds.identity.roles import Role
from feeds.identity.signin import Outcome
from tests.feeds.identity.conftest import make_identity


def _audit(identity, action="sign_in"):
    return [e for e in identity.audit.entries() if e.action == action]


def test_right_password_signs_in_with_role_and_unit(identity):
    result = identity.signin.sign_in("  AN ", "mat-khau-dung", "console-1")
    assert result.ok and result.principal.name == "an"
    assert (result.principal.role.value, result.principal.unit, result.principal.terminal) == (
        "duty_operator", "tinh", "console-1")
    [entry] = _audit(identity)
    assert (entry.actor, entry.outcome, entry.terminal) == ("an", "ok", "console-1")


def test_unknown_name_and_wrong_password_get_the_same_answers_and_both_lock(identity):
    known = [identity.signin.sign_in("an", f"sai-{i}") for i in range(6)]
    unknown = [identity.signin.sign_in("khong-co-ai", f"sai-{i}") for i in range(6)]
    assert [(r.outcome, r.attempts_left, r.message("vi")) for r in known][:4] == \
           [(r.outcome, r.attempts_left, r.message("vi")) for r in unknown][:4]
    assert [r.outcome for r in known] == [Outcome.WRONG] * 4 + [Outcome.LOCKED] * 2
    assert [r.outcome for r in unknown] == [Outcome.WRONG] * 4 + [Outcome.LOCKED] * 2
    assert known[-1].message("en") == unknown[-1].message("en")


def test_brute_force_of_1000_wrong_passwords_locks_and_every_attempt_is_audited(identity):
    results = [identity.signin.sign_in("an", f"doan-{i:04d}", "console-1") for i in range(1000)]
    assert not any(r.ok for r in results)
    assert {r.outcome for r in results[5:]} == {Outcome.LOCKED}
    attempts = _audit(identity)
    assert len(attempts) == 1000
    assert [e.outcome for e in attempts[:5]] == ["failed"] * 4 + ["locked"]
    assert {e.outcome for e in attempts[5:]} == {"locked"}
    assert len(_audit(identity, "lockout")) == 1
    assert identity.signin.sign_in("an", "mat-khau-dung").outcome is Outcome.LOCKED  # right, but locked
    assert identity.audit.verify().intact


def test_the_right_password_works_again_once_the_lock_ends(tmp_path):
    ident = make_identity(tmp_path / "id.sqlite", max_failures=3, lockout_s=1.0)
    ident.accounts.add("an", "mat-khau-dung", Role.LEADER, "tinh")
    for i in range(3):
        ident.signin.sign_in("an", f"sai-{i}")
    assert ident.signin.sign_in("an", "mat-khau-dung").outcome is Outcome.LOCKED
    time.sleep(1.1)
    assert ident.signin.sign_in("an", "mat-khau-dung").ok
    assert ident.accounts.failures("an").count == 0
    ident.close()


def test_an_administrator_unlocks_and_it_is_audited(identity):
    for i in range(5):
        identity.signin.sign_in("an", f"sai-{i}")
    assert identity.signin.sign_in("an", "mat-khau-dung").outcome is Outcome.LOCKED
    identity.signin.unlock("an", None, "console-1")
    assert identity.signin.sign_in("an", "mat-khau-dung").ok
    identity.signin.lock("an", None)
    locked = identity.signin.sign_in("an", "mat-khau-dung")
    assert locked.outcome is Outcome.LOCKED  # answered like a lockout: an unknown name could get it too
    assert [e.action for e in identity.audit.entries() if e.action in ("lock", "unlock", "lockout")] == [
        "lockout", "unlock", "lock"]


def test_resume_with_pin_and_kiosk_exit_with_an_administrators_pin(identity):
    identity.accounts.set_pin("an", "2468")
    principal = identity.signin.sign_in("an", "mat-khau-dung").principal
    assert identity.signin.resume(principal, "2468").ok
    assert not identity.signin.resume(principal, "1111").ok
    assert identity.signin.resume(principal, "mat-khau-dung").ok  # the password works too
    assert identity.signin.administrator_pin("2468", "wall-1") is None  # not an administrator
    identity.accounts.add("quantri", "mat-khau-qt-1", Role.ADMINISTRATOR, "tinh")
    identity.accounts.set_pin("quantri", "97531")
    assert identity.signin.administrator_pin("97531", "wall-1").name == "quantri"
    outcomes = [e.outcome for e in identity.audit.entries() if e.action == "kiosk.exit"]
    assert outcomes == ["refused", "ok"]
