"""LDAP sign-in against a real slapd on loopback: StartTLS and LDAPS, groups to roles and units, refusals,
an unreachable or silent server, an untrusted certificate, the service account from a secret; the config parser."""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest

from feeds.core.config import ConfigError, SectionContext
from feeds.identity.directory import (
    Directory,
    DirectoryAccount,
    DirectorySettings,
    DirectoryUnavailable,
    ldap3,  # imported there with pyasn1's deprecation warnings silenced
    parse_directory,
)
from tests.support.broker import free_port
from tests.support.slapd import PEOPLE, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, Slapd, make_ca

AN, BINH, CUONG = PEOPLE  # operator in so-tnmt; leader and operator; only in thu-vien (no role)
ROLES = {"ioc-leaders": "leader", "ioc-operators": "operator"}
UNITS = {"so-tnmt": "so-tnmt"}


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory):
    server = Slapd(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


@pytest.fixture
def settings(slapd: Slapd) -> DirectorySettings:
    return DirectorySettings(url=slapd.url_starttls, base_dn=SUFFIX, ca_file=slapd.ca_file, group_roles=ROLES,
                             group_units=UNITS, timeout_s=2.0)


@pytest.fixture
def binds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every bind and every connection opened, as "bind <user>" / "open <user>" (None: anonymous)."""
    seen: list[str] = []
    strategy = ldap3.strategy.base.BaseStrategy  # Connection.open is the strategy's, bound per connection
    bind, open_ = ldap3.Connection.bind, strategy.open

    def recording_bind(self, *args, **kwargs):
        seen.append(f"bind {self.user}")
        return bind(self, *args, **kwargs)

    def recording_open(self, *args, **kwargs):
        seen.append(f"open {self.connection.user}")
        return open_(self, *args, **kwargs)

    monkeypatch.setattr(ldap3.Connection, "bind", recording_bind)
    monkeypatch.setattr(strategy, "open", recording_open)
    return seen


def _no_secret(name: str) -> str | None:
    return None


# --- signing in --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["url_starttls", "url_ldaps"])
def test_the_right_password_signs_in_with_the_mapped_role_and_unit(slapd, settings, url):
    directory = Directory(replace(settings, url=getattr(slapd, url)))
    assert directory.authenticate(AN.uid, AN.password) == DirectoryAccount(
        name="an.nv", display_name="Nguyễn Văn An", role="operator", unit="so-tnmt",
        groups=("ioc-operators", "so-tnmt"))


def test_the_first_group_in_the_order_of_group_roles_gives_the_role(settings):
    leader = Directory(settings).authenticate(BINH.uid, BINH.password)
    assert leader is not None
    assert (leader.role, leader.unit, leader.display_name) == ("leader", "", "Trần Thị Bình")
    reversed_roles = dict(reversed(ROLES.items()))
    operator = Directory(replace(settings, group_roles=reversed_roles)).authenticate(BINH.uid, BINH.password)
    assert operator is not None and operator.role == "operator"


def test_groups_map_by_full_dn_whatever_the_case(settings):
    by_dn = replace(settings, group_roles={f"CN=IOC-Operators, ou=groups,{SUFFIX}": "operator"},
                    group_units={f"cn=so-tnmt,ou=groups,{SUFFIX}": "so-tnmt"})
    account = Directory(by_dn).authenticate(AN.uid, AN.password)
    assert account is not None and (account.role, account.unit) == ("operator", "so-tnmt")


def test_a_wrong_password_is_refused_and_never_logged(settings, caplog):
    caplog.set_level(logging.DEBUG)
    assert Directory(settings).authenticate(AN.uid, "Sai-mật-khẩu-9") is None
    assert Directory(settings).authenticate(AN.uid, BINH.password) is None  # someone else's password
    assert "an.nv" in caplog.text
    assert "Sai-mật-khẩu-9" not in caplog.text and BINH.password not in caplog.text


def test_an_unknown_name_is_refused(settings):
    assert Directory(settings).authenticate("khong.co", AN.password) is None


@pytest.mark.parametrize("name", [AN.uid, "", "   "])
def test_an_empty_password_or_name_never_reaches_the_directory(settings, binds, name):
    assert Directory(settings).authenticate(name, "") is None
    assert Directory(settings).authenticate("", AN.password) is None
    assert binds == []  # no connection, so no "unauthenticated bind" that a server may answer with success


def test_a_person_in_no_group_with_a_role_is_refused(settings):
    assert Directory(settings).authenticate(CUONG.uid, CUONG.password) is None
    # the password was right: mapping the person's group signs them in
    mapped = Directory(replace(settings, group_roles={**ROLES, "thu-vien": "viewer"}))
    account = mapped.authenticate(CUONG.uid, CUONG.password)
    assert account is not None and (account.role, account.display_name) == ("viewer", "Lê Văn Cường")


@pytest.mark.parametrize("name", ["*", "a*", "an*", "a)(uid=*", "an.nv)(uid=*", "*)(|(uid=*", "an.nv\\", "an.nv\x00"])
def test_filter_characters_in_the_name_match_nothing(settings, name):
    # unescaped, "a*" and "an*" would find an.nv, whose password this is
    assert Directory(settings).authenticate(name, AN.password) is None


def test_the_service_account_from_a_secret_searches(settings, binds, monkeypatch):
    monkeypatch.setenv("CONTROLROOM_SECRET_LDAP_SERVICE", SERVICE_PASSWORD)  # secret "ldap/service"
    service = replace(settings, service_dn=SERVICE_DN, service_secret="ldap/service")
    account = Directory(service).authenticate(AN.uid, AN.password)
    assert account is not None and account.role == "operator"
    assert binds.count(f"bind {SERVICE_DN}") == 1 and f"bind {AN.dn}" in binds


def test_a_wrong_service_password_makes_the_directory_unavailable(settings, monkeypatch):
    monkeypatch.setenv("CONTROLROOM_SECRET_LDAP_SERVICE", "not-the-service-password")
    service = replace(settings, service_dn=SERVICE_DN, service_secret="ldap/service")
    with pytest.raises(DirectoryUnavailable) as caught:
        Directory(service).authenticate(AN.uid, AN.password)
    assert settings.url in str(caught.value) and SERVICE_DN in str(caught.value)
    assert "invalidCredentials" in str(caught.value)


def test_a_missing_service_secret_says_how_to_set_it(settings):
    service = replace(settings, service_dn=SERVICE_DN, service_secret="ldap/service")
    with pytest.raises(DirectoryUnavailable, match="controlroom secrets set ldap/service"):
        Directory(service, secret=_no_secret).authenticate(AN.uid, AN.password)


def test_a_base_dn_the_server_does_not_hold_makes_the_directory_unavailable(settings):
    with pytest.raises(DirectoryUnavailable, match="dc=nowhere"):
        Directory(replace(settings, base_dn="ou=people,dc=nowhere")).authenticate(AN.uid, AN.password)


# --- the directory cannot be asked -------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["ldap", "ldaps"])
def test_an_unreachable_server_is_unavailable_quickly(settings, scheme):
    url = f"{scheme}://127.0.0.1:{free_port()}"  # nobody listens there
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable) as caught:
        Directory(replace(settings, url=url)).authenticate(AN.uid, AN.password)
    assert time.monotonic() - started < 3
    assert url in str(caught.value) and "refused" in str(caught.value).lower()


@pytest.mark.parametrize("scheme", ["ldap", "ldaps"])
def test_a_server_that_never_answers_is_unavailable_after_the_timeout(settings, scheme):
    with socket.socket() as silent:  # the kernel accepts connections; nobody ever reads or answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"{scheme}://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(DirectoryUnavailable, match="no answer within 1 s"):
            Directory(replace(settings, url=url, timeout_s=1.0)).authenticate(AN.uid, AN.password)
        elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 4


@pytest.mark.parametrize("url", ["url_starttls", "url_ldaps"])
def test_a_certificate_from_another_ca_is_refused(slapd, settings, tmp_path, binds, url):
    other = make_ca(tmp_path / "other", "Some other CA")
    untrusting = replace(settings, url=getattr(slapd, url), ca_file=str(other.file))
    with pytest.raises(DirectoryUnavailable) as caught:
        Directory(untrusting).authenticate(AN.uid, AN.password)
    message = str(caught.value)
    assert "TLS" in message and "certificate" in message.lower() and str(other.file) in message
    assert f"bind {AN.dn}" not in binds  # the password never went out


def test_a_certificate_that_does_not_name_the_server_is_refused(slapd, settings):
    with pytest.raises(DirectoryUnavailable, match=r"TLS failed.*127\.0\.0\.2"):
        Directory(replace(settings, url=slapd.url_ldaps_unnamed)).authenticate(AN.uid, AN.password)
    # the same server and certificate under a name it carries: fine
    assert Directory(replace(settings, url=slapd.url_ldaps)).authenticate(AN.uid, AN.password) is not None


def test_an_unreadable_ca_file_makes_the_directory_unavailable(settings, tmp_path):
    with pytest.raises(DirectoryUnavailable, match="CA file"):
        Directory(replace(settings, ca_file=str(tmp_path / "missing.pem"))).authenticate(AN.uid, AN.password)


# --- the configuration -------------------------------------------------------------------------------------

CONTEXT = SectionContext("controlroom.toml")


def test_a_directory_table_parses(tmp_path: Path):
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    table = {"url": "ldaps://ldap.thanhhoa.gov.vn", "base_dn": SUFFIX, "ca_file": "ca.pem",
             "service_dn": SERVICE_DN, "service_secret": "ldap/service", "user_filter": "(mail={name})",
             "group_roles": {"ioc-leaders": "leader"}, "group_units": {"so-tnmt": "so-tnmt"}, "timeout_s": 3}
    parsed = parse_directory(table, SectionContext("controlroom.toml", base_dir=tmp_path))
    assert parsed == DirectorySettings(url="ldaps://ldap.thanhhoa.gov.vn", base_dn=SUFFIX,
                                       ca_file=str(tmp_path / "ca.pem"), user_filter="(mail={name})",
                                       service_dn=SERVICE_DN, service_secret="ldap/service",
                                       group_roles={"ioc-leaders": "leader"}, group_units={"so-tnmt": "so-tnmt"},
                                       timeout_s=3.0)
    assert isinstance(parsed.timeout_s, float)
    minimal = parse_directory({"url": "ldap://ldap:389", "base_dn": SUFFIX}, CONTEXT)
    assert minimal.starttls and minimal.user_filter == "(uid={name})" and minimal.group_roles == {}


@pytest.mark.parametrize("key", ["password", "service_password"])
def test_a_password_in_the_table_is_refused(key):
    with pytest.raises(ConfigError) as caught:
        parse_directory({"url": "ldaps://ldap", "base_dn": SUFFIX, key: "hunter2"}, CONTEXT)
    assert caught.value.key == f"identity.directory.{key}"
    assert "controlroom secrets set" in caught.value.message and "service_secret" in caught.value.message
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("url", ["http://ldap.thanhhoa.gov.vn", "ldapi:///run/slapd.sock", "ldap:///", "ldap.local",
                                 "ldaps://ldap:port"])
def test_a_url_that_is_not_ldap_or_ldaps_is_refused(url):
    with pytest.raises(ConfigError) as caught:
        parse_directory({"url": url, "base_dn": SUFFIX}, CONTEXT)
    assert caught.value.key == "identity.directory.url"


def test_plain_text_ldap_is_allowed_with_a_warning(caplog):
    caplog.set_level(logging.WARNING)
    parsed = parse_directory({"url": "ldap://ldap", "base_dn": SUFFIX, "starttls": False}, CONTEXT)
    assert not parsed.starttls
    assert "plain text" in caplog.text
    caplog.clear()
    parse_directory({"url": "ldaps://ldap", "base_dn": SUFFIX, "starttls": False}, CONTEXT)
    assert "plain text" not in caplog.text


@pytest.mark.parametrize(("table", "key"), [
    ({"url": "ldaps://ldap", "base_dn": SUFFIX, "bind_dn": "x"}, "identity.directory.bind_dn"),
    ({"url": "ldaps://ldap"}, "identity.directory.base_dn"),
    ({"url": "ldaps://ldap", "base_dn": SUFFIX, "service_dn": SERVICE_DN}, "identity.directory.service_secret"),
    ({"url": "ldaps://ldap", "base_dn": SUFFIX, "user_filter": "(uid=%s)"}, "identity.directory.user_filter"),
    ({"url": "ldaps://ldap", "base_dn": SUFFIX, "group_roles": {"ioc": 3}}, "identity.directory.group_roles.ioc"),
    ({"url": "ldaps://ldap", "base_dn": SUFFIX, "timeout_s": 0}, "identity.directory.timeout_s"),
    ({"url": "ldaps://ldap", "base_dn": SUFFIX, "starttls": "yes"}, "identity.directory.starttls"),
])
def test_mistakes_name_the_key(table, key):
    with pytest.raises(ConfigError) as caught:
        parse_directory(table, CONTEXT)
    assert caught.value.key == key
