"""[identity.broker]: parsing the broker accounts, and the Mosquitto configuration, ACL and password file."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from feeds.core.config import ConfigError, SectionContext
from feeds.core.secrets import env_name
from feeds.identity.broker_site import (
    BrokerAccount,
    BrokerSite,
    BrokerSiteError,
    acl_text,
    feed_kinds,
    mosquitto_conf,
    parse_broker_site,
    write_password_file,
)

SITE = """
[identity.broker]
port = 8883
certfile = "/etc/controlroom/broker.pem"
keyfile = "/etc/controlroom/broker.key"
cafile = "/etc/controlroom/ca.pem"
[identity.broker.accounts]
console-1 = "console"
wall-1 = "wall"
wall-2 = { role = "wall" }
"leader.1" = "leader"
gw-1 = "publisher"
audit = "collector"
"""


def parse(text: str, base_dir: Path | None = Path("/srv/site")) -> BrokerSite:
    return parse_broker_site(tomllib.loads(text)["identity"]["broker"], SectionContext("site.toml", base_dir, {}))


def refusal(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(text)
    return caught.value


def blocks(acl: str) -> dict[str, list[str]]:
    """The ACL's lines per `user` section ("" for those before the first one), comments left out."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in acl.splitlines():
        if line.startswith("user "):
            current = line.split()[1]
            sections[current] = []
        elif line and not line.startswith("#"):
            sections[current].append(line)
    return sections


def test_the_site_table_is_parsed():
    site = parse(SITE)
    assert site.accounts == (BrokerAccount("console-1", "console"), BrokerAccount("wall-1", "wall"),
                             BrokerAccount("wall-2", "wall"), BrokerAccount("leader.1", "leader"),
                             BrokerAccount("gw-1", "publisher"), BrokerAccount("audit", "collector"))
    assert (site.port, site.bind, site.websockets_port) == (8883, "0.0.0.0", 0)
    assert (site.certfile, site.keyfile, site.cafile) == (
        "/etc/controlroom/broker.pem", "/etc/controlroom/broker.key", "/etc/controlroom/ca.pem")
    assert site.tls and not site.require_certificate


def test_relative_certificate_paths_are_taken_from_the_configuration_folder():
    site = parse('[identity.broker]\ncertfile = "pki/b.pem"\nkeyfile = "pki/b.key"\n'
                 '[identity.broker.accounts]\nw = "wall"\n', base_dir=Path("/srv/site"))
    assert (site.certfile, site.keyfile) == ("/srv/site/pki/b.pem", "/srv/site/pki/b.key")


@pytest.mark.parametrize("line", ['x = "admin"', 'x = "Wall"', "x = 3", 'x = { role = "superuser" }'])
def test_an_unknown_role_is_refused(line):
    error = refusal(f"[identity.broker.accounts]\n{line}\n")
    assert error.key == "identity.broker.accounts.x"
    assert "console, wall, leader, publisher, collector" in error.message


@pytest.mark.parametrize("name", ["wall 1", "wall/1", "wall+", "#", "tường-1", "-wall", ".."])
def test_a_name_unusable_in_topics_is_refused(name):
    error = refusal(f'[identity.broker.accounts]\n"{name}" = "wall"\n')
    assert error.key == f"identity.broker.accounts.{name}"
    assert "letters, digits and . _ -" in error.message


@pytest.mark.parametrize(("text", "key", "secret"), [
    ('[identity.broker.accounts]\nwall-1 = { role = "wall", password = "hunter2" }\n',
     "identity.broker.accounts.wall-1.password", "mqtt/wall-1"),
    ('[identity.broker]\npassword = "hunter2"\n[identity.broker.accounts]\nwall-1 = "wall"\n',
     "identity.broker.password", "mqtt/NAME"),
    ('[identity.broker.passwords]\nwall-1 = "hunter2"\n[identity.broker.accounts]\nwall-1 = "wall"\n',
     "identity.broker.passwords", "mqtt/NAME"),
])
def test_a_password_in_the_configuration_is_refused_naming_the_secret(text, key, secret):
    error = refusal(text)
    assert error.key == key
    assert f"use `controlroom secrets set {secret}`" in error.message
    assert "hunter2" not in str(error)


@pytest.mark.parametrize(("text", "key"), [
    ('[identity.broker]\ncertfile = "/b.pem"\n[identity.broker.accounts]\nw = "wall"\n', "identity.broker.keyfile"),
    ('[identity.broker]\nrequire_certificate = true\ncertfile = "/b.pem"\nkeyfile = "/b.key"\n'
     '[identity.broker.accounts]\nw = "wall"\n', "identity.broker.cafile"),
    ('[identity.broker]\nport = 70000\n[identity.broker.accounts]\nw = "wall"\n', "identity.broker.port"),
    ('[identity.broker]\nbind = "0.0.0.0\\nallow_anonymous true"\n[identity.broker.accounts]\nw = "wall"\n',
     "identity.broker.bind"),
    ('[identity.broker]\nextra_kinds = ["scene"]\n[identity.broker.accounts]\nw = "wall"\n',
     "identity.broker.extra_kinds"),
    ('[identity.broker]\nlisteners = 2\n[identity.broker.accounts]\nw = "wall"\n', "identity.broker.listeners"),
    ("[identity.broker.accounts]\n", "identity.broker.accounts"),
    ("[identity.broker]\nport = 8883\n", "identity.broker.accounts"),
    ('[identity.broker.accounts]\nleader.1 = "leader"\n', "identity.broker.accounts.leader"),
])
def test_other_mistakes_name_their_key(text, key):
    assert refusal(text).key == key


def test_the_acl_gives_each_role_its_own_topics():
    site = parse(SITE.replace('audit = "collector"', 'audit = "collector"\ngw-2 = "publisher"'))
    acl = acl_text(site)
    sections = blocks(acl)
    # What every account shares is a %u pattern: its own status, nobody else's.
    assert sections[""] == ["pattern write ioc/v1/status/%u/#"]
    assert "topic read ioc/v1/#" in sections["console-1"]
    assert {"topic write ioc/v1/scene/#", "topic write ioc/v1/alert_action/#",
            "topic write ioc/v1/audit/console-1/#"} <= set(sections["console-1"])
    for wall in ("wall-1", "wall-2", "leader.1"):
        lines = sections[wall]
        assert f"topic read ioc/v1/scene/{wall}/#" in lines
        assert [line for line in lines if "/scene/" in line] == [f"topic read ioc/v1/scene/{wall}/#"]
        assert [line for line in lines if line.startswith("topic write")] == [f"topic write ioc/v1/audit/{wall}/#"]
        feeds = {"topic read ioc/v1/indicator/#", "topic read ioc/v1/alert/#", "topic read ioc/v1/vessel/#"}
        assert feeds <= set(lines)
        assert "topic read ioc/v1/#" not in lines
    assert "topic read ioc/v1/cmd/resend/gw-1" in sections["gw-1"]
    assert "topic read ioc/v1/cmd/resend/gw-2" in sections["gw-2"]
    assert not [line for line in sections["gw-1"] if "scene" in line or "alert_action" in line or "audit" in line]
    assert "topic write ioc/v1/indicator/#" in sections["gw-1"]
    assert sections["audit"] == ["topic read ioc/v1/audit/#"]
    assert "# wall-1: wall — video-wall device" in acl


def test_feed_kinds_are_the_domains_plus_the_extra_ones_never_a_reserved_level():
    kinds = feed_kinds(parse('[identity.broker]\nextra_kinds = ["aqi"]\n[identity.broker.accounts]\nw = "wall"\n'))
    assert {"indicator", "alert", "vessel", "vessel_state", "aqi"} <= set(kinds)
    assert not {"scene", "alert_action", "audit", "status", "cmd"} & set(kinds)


def test_the_configuration_has_tls_no_anonymous_clients_and_the_files_of_its_folder(tmp_path):
    site = parse(SITE.replace("port = 8883", "port = 8884\nwebsockets_port = 8885\nrequire_certificate = true"))
    conf = mosquitto_conf(site, tmp_path)
    lines = conf.splitlines()
    assert lines.index("per_listener_settings false") < lines.index("listener 8884 0.0.0.0")
    assert {"allow_anonymous false", f"password_file {tmp_path / 'passwd'}", f"acl_file {tmp_path / 'acl'}",
            "certfile /etc/controlroom/broker.pem", "keyfile /etc/controlroom/broker.key",
            "cafile /etc/controlroom/ca.pem", "require_certificate true", "tls_version tlsv1.2"} <= set(lines)
    websockets = lines.index("listener 8885 0.0.0.0")
    assert lines[websockets + 1:websockets + 3] == ["protocol websockets", "certfile /etc/controlroom/broker.pem"]
    assert "NOT encrypted" not in conf


def test_without_a_certificate_the_configuration_warns_that_it_is_not_encrypted(tmp_path):
    conf = mosquitto_conf(parse('[identity.broker]\nport = 1883\n[identity.broker.accounts]\nw = "wall"\n'), tmp_path)
    assert "listener 1883 0.0.0.0" in conf.splitlines()
    assert "# WARNING: no certfile" in conf and "NOT encrypted" in conf
    assert not [line for line in conf.splitlines() if line.startswith(("certfile", "keyfile", "tls_version"))]
    assert "allow_anonymous false" in conf.splitlines()


def test_the_password_file_is_private_and_hashes_every_account(tmp_path, monkeypatch):
    site = parse(SITE)
    asked = []

    def secret(name: str) -> str:
        asked.append(name)
        return f"pw of {name}"

    path = tmp_path / "passwd"
    assert write_password_file(site, path, secret) == ["console-1", "wall-1", "wall-2", "leader.1", "gw-1", "audit"]
    assert asked == ["mqtt/console-1", "mqtt/wall-1", "mqtt/wall-2", "mqtt/leader.1", "mqtt/gw-1", "mqtt/audit"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entries = dict(line.split(":", 1) for line in path.read_text().splitlines())
    assert list(entries) == ["console-1", "wall-1", "wall-2", "leader.1", "gw-1", "audit"]
    assert all(value.startswith("$7$") and "pw of" not in value for value in entries.values())
    assert [p.name for p in tmp_path.iterdir()] == ["passwd"]  # no temporary file left behind


def test_passwords_come_from_the_secrets_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv(env_name("mqtt/w"), "from the environment")
    site = parse('[identity.broker.accounts]\nw = "wall"\n')
    assert write_password_file(site, tmp_path / "passwd") == ["w"]
    assert (tmp_path / "passwd").read_text().startswith("w:$7$")


def test_a_missing_secret_says_how_to_set_it_and_leaves_the_old_file(tmp_path):
    path = tmp_path / "passwd"
    path.write_text("old:$7$kept\n")
    site = parse(SITE)
    with pytest.raises(BrokerSiteError) as caught:
        write_password_file(site, path, lambda name: None if name in ("mqtt/wall-2", "mqtt/audit") else "pw")
    message = str(caught.value)
    assert "run `controlroom secrets set mqtt/wall-2`" in message and env_name("mqtt/wall-2") in message
    assert "controlroom secrets set mqtt/audit" in message
    assert "mqtt/wall-1" not in message
    assert path.read_text() == "old:$7$kept\n"
