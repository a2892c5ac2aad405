"""Signing in through a real slapd: roles and units from groups, the directory away, offline sign-in by choice."""

from __future__ import annotations

import pytest

from feeds.identity.directory import DirectorySettings
from feeds.identity.signin import Outcome
from tests.feeds.identity.conftest import make_identity
from tests.support.broker import free_port
from tests.support.slapd import PEOPLE, SUFFIX, Slapd

AN, BINH, _ = PEOPLE


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    server = Slapd(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


def _directory(slapd, url=None):
    return DirectorySettings(url=url or slapd.url_starttls, base_dn=SUFFIX, ca_file=slapd.ca_file,
                             group_roles={"ioc-leaders": "leader", "ioc-operators": "duty_operator"},
                             group_units={"so-tnmt": "so-tnmt"}, timeout_s=2.0)


def test_a_directory_account_signs_in_with_the_role_and_unit_of_its_groups(tmp_path, slapd):
    identity = make_identity(tmp_path / "id.sqlite", directory=_directory(slapd))
    result = identity.signin.sign_in(AN.uid, AN.password, "console-1")
    assert result.ok and (result.principal.role.value, result.principal.unit) == ("duty_operator", "so-tnmt")
    assert result.principal.display_name == "Nguyễn Văn An" and result.principal.source == "directory"
    # in a role group but in no unit group, where the site maps units: no unit, so no sign-in (not the province)
    assert identity.signin.sign_in(BINH.uid, BINH.password).outcome is Outcome.WRONG
    wrong = identity.signin.sign_in(AN.uid, "sai-mat-khau")
    assert wrong.outcome is Outcome.WRONG and wrong.attempts_left == 4
    assert identity.accounts.get(AN.uid) is None  # nothing kept unless offline sign-in is allowed
    identity.close()


def test_the_directory_away_is_a_clear_message_and_offline_sign_in_is_a_choice(tmp_path, slapd):
    away = f"ldap://127.0.0.1:{free_port()}"
    strict = make_identity(tmp_path / "a.sqlite", directory=_directory(slapd))
    assert strict.signin.sign_in(AN.uid, AN.password).ok
    strict.close()
    strict = make_identity(tmp_path / "a.sqlite", directory=_directory(slapd, away))
    refused = strict.signin.sign_in(AN.uid, AN.password)
    assert refused.outcome is Outcome.UNAVAILABLE and "LDAP" in refused.message("en")
    assert strict.accounts.failures(AN.uid).count == 0  # the directory's fault is not the person's
    strict.close()

    cached = make_identity(tmp_path / "b.sqlite", directory=_directory(slapd), offline_sign_in=True)
    assert cached.signin.sign_in(AN.uid, AN.password).ok  # online: its hash is kept
    cached.close()
    offline = make_identity(tmp_path / "b.sqlite", directory=_directory(slapd, away), offline_sign_in=True)
    result = offline.signin.sign_in(AN.uid, AN.password)
    assert result.ok and result.principal.source == "cached" and result.principal.unit == "so-tnmt"
    assert offline.signin.sign_in(AN.uid, "sai-mat-khau").outcome is Outcome.WRONG
    assert [e.detail for e in offline.audit.entries() if e.outcome == "ok"][-1] == "duty_operator via cached"
    offline.close()
