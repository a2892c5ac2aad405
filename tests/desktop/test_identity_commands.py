"""`controlroom users`, `audit`, `backup`/`restore` and `secrets`, run as an operator or a script would."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys

import pytest

from desktop.commands.cli import main
from feeds.identity.roles import Scope, Target
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings
from tests.support.paths import ROOT


def controlroom(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.commands.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60, env={**os.environ, **(env or {})})


def run_main(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "identity.sqlite"
    result = controlroom("users", "add", "an", "--role", "duty_operator", "--unit", "tinh", "--display-name",
                         "Nguyễn Văn An", "--db", str(path), stdin="mat-khau-dung\n")
    assert result.returncode == 0, result.stderr
    return path


def test_users_check_signs_in_or_says_why_not(db):
    ok = controlroom("users", "check", "an", "--db", str(db), stdin="mat-khau-dung\n")
    assert ok.returncode == 0 and "duty_operator" in ok.stdout
    wrong = controlroom("users", "check", "an", "--db", str(db), stdin="sai-roi\n")
    assert wrong.returncode == 1 and "wrong" in wrong.stderr
    listed = controlroom("users", "list", "--db", str(db))
    assert "an\tduty_operator\ttinh\tlocal\t1 failed\tNguyễn Văn An" in listed.stdout


def test_a_short_password_an_unknown_unit_and_a_duplicate_are_refused(db):
    short = controlroom("users", "add", "binh", "--role", "leader", "--unit", "tinh", "--db", str(db), stdin="ngan\n")
    assert short.returncode == 2 and "at least 8" in short.stderr
    unit = controlroom("users", "add", "binh", "--role", "leader", "--unit", "mars", "--db", str(db),
                       stdin="mat-khau-dai\n")
    assert unit.returncode == 2 and "unknown unit" in unit.stderr
    again = controlroom("users", "add", "AN", "--role", "leader", "--unit", "tinh", "--db", str(db),
                        stdin="mat-khau-dai\n")
    assert again.returncode == 2 and "exists" in again.stderr


def test_brute_force_with_users_check_locks_until_an_administrator_unlocks(db, monkeypatch, capsys):
    codes = [run_main(monkeypatch, capsys, "users", "check", "an", "--db", str(db), stdin=f"doan-{i:04d}\n")
             for i in range(1000)]
    assert {code for code, _, _ in codes} == {1}
    assert all("locked" in err for _, _, err in codes[5:])
    code, _, err = run_main(monkeypatch, capsys, "users", "check", "an", "--db", str(db), stdin="mat-khau-dung\n")
    assert code == 1 and "locked" in err  # the right password, refused until the lock ends
    identity = Identity(IdentitySettings(), "test", db)
    attempts = [e for e in identity.audit.entries() if e.action == "sign_in"]
    identity.close()
    assert len(attempts) == 1001 and {e.outcome for e in attempts[5:]} == {"locked"}
    assert controlroom("users", "unlock", "an", "--db", str(db)).returncode == 0
    assert controlroom("users", "check", "an", "--db", str(db), stdin="mat-khau-dung\n").returncode == 0
    assert controlroom("users", "lock", "an", "--db", str(db)).returncode == 0
    locked = controlroom("users", "check", "an", "--db", str(db), stdin="mat-khau-dung\n")
    assert locked.returncode == 1 and "locked" in locked.stderr


def test_audit_verify_finds_a_tampered_row_and_export_writes_csv(db, tmp_path):
    intact = controlroom("audit", "verify", "--db", str(db))
    assert intact.returncode == 0 and intact.stdout.startswith("1 entries, chain intact")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET detail = 'administrator in tinh' WHERE seq = 1")
    conn.close()
    broken = controlroom("audit", "verify", "--db", str(db))
    assert broken.returncode == 1 and "entry 1" in broken.stderr
    out = tmp_path / "audit.csv"
    exported = controlroom("audit", "export", "--since", "2020-01-01", "--out", str(out), "--db", str(db))
    assert exported.returncode == 0 and "users.add" in out.read_text(encoding="utf-8")
    bad_date = controlroom("audit", "export", "--since", "hôm qua", "--db", str(db))
    assert bad_date.returncode == 2 and "expected a date" in bad_date.stderr


def test_backup_and_restore_and_a_damaged_backup_is_refused(db, tmp_path, cache):
    from feeds.core.records import Measurement

    cache.store([Measurement(key="aqi/st-1", value=42.0, ts=1.0, source="test")])
    cache_path = cache.path

    def chain():
        conn = sqlite3.connect(db)
        value = conn.execute("SELECT value FROM meta WHERE key = 'chain'").fetchone()[0]
        conn.close()
        return value

    before_backup = chain()
    saved = controlroom("backup", str(tmp_path / "bk"), "--db", str(db), "--cache", str(cache_path))
    assert saved.returncode == 0, saved.stderr
    assert (tmp_path / "bk" / "identity.sqlite").exists() and (tmp_path / "bk" / "cache.sqlite").exists()
    controlroom("users", "add", "sau-backup", "--role", "leader", "--unit", "tinh", "--db", str(db),
                stdin="mat-khau-dai\n")
    restored = controlroom("restore", str(tmp_path / "bk"), "--db", str(db), "--cache", str(cache_path))
    assert restored.returncode == 0, restored.stderr
    listed = controlroom("users", "list", "--db", str(db)).stdout
    assert "an\t" in listed and "sau-backup" not in listed
    verify = controlroom("audit", "verify", "--db", str(db))
    assert verify.returncode == 0, verify.stderr
    assert chain() != before_backup  # the restored trail goes on as a new chain, so the collector keeps both
    copy = tmp_path / "bk" / "identity.sqlite"
    data = bytearray(copy.read_bytes())
    data[5000:5100] = b"\xff" * 100
    copy.write_bytes(bytes(data))
    def content():
        conn = sqlite3.connect(db)
        rows = conn.execute("SELECT * FROM accounts").fetchall(), conn.execute("SELECT * FROM audit").fetchall()
        conn.close()
        return rows

    before = content()
    damaged = controlroom("restore", str(tmp_path / "bk"), "--db", str(db), "--cache", str(cache_path))
    assert damaged.returncode == 1 and "damaged" in damaged.stderr and "nothing was restored" in damaged.stderr
    assert content() == before


def test_secrets_come_from_the_keyring_the_environment_or_a_systemd_credential(tmp_path, monkeypatch):
    from feeds.core.secrets import env_name, get_secret

    keyring_env = {"PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                   "XDG_DATA_HOME": str(tmp_path / "keyring")}
    stored = controlroom("secrets", "set", "mqtt/console-1", stdin="bí-mật-1\n", env=keyring_env)
    assert stored.returncode == 0 and "PlaintextKeyring" in stored.stdout, stored.stderr
    assert controlroom("secrets", "check", "mqtt/console-1", env=keyring_env).returncode == 0
    missing = controlroom("secrets", "check", "smtp/canhbao", env=keyring_env)
    assert missing.returncode == 1 and "controlroom secrets set smtp/canhbao" in missing.stderr
    for name, value in keyring_env.items():
        monkeypatch.setenv(name, value)
    assert get_secret("mqtt/console-1") == "bí-mật-1"
    monkeypatch.setenv(env_name("mqtt/console-1"), "from-env")
    assert get_secret("mqtt/console-1") == "from-env"
    monkeypatch.delenv(env_name("mqtt/console-1"))
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "smtp_canhbao").write_text("from-systemd\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "creds"))
    assert get_secret("smtp/canhbao") == "from-systemd"


@pytest.mark.parametrize(("text", "message"), [
    ('[identity]\npassword = "x"\n', "never kept in the configuration"),
    ('user = "operator"\n', "sign in with their own accounts"),
    ('[feeds.ioc]\naddress = "mqtt://u:secret@127.0.0.1:1883/ioc/v1/#"\n', "controlroom secrets set mqtt/USER"),
    ('[identity]\nmax_failures = 0\n', "at least 1"),
    ('[identity.directory]\nurl = "ldaps://ldap.tinh.vn"\nbase_dn = "dc=tinh"\ngroup_roles = { ioc = "chief" }\n',
     "unknown role 'chief'"),
    ('[identity.units.tinh]\nlevel = "province"\n[identity.units.xa]\nlevel = "commune"\nparent = "huyen"\n',
     "unknown unit 'huyen'"),
])
def test_the_configuration_refuses_secrets_and_bad_identity_settings(tmp_path, text, message):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    result = controlroom("config", "--check", str(path))
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_the_commented_identity_example_of_the_demo_configuration_is_valid(tmp_path):
    from desktop.config.loader import default_config_text, parse_config
    from widgets.base.registry import tile_types

    text = default_config_text()
    start = text.index("# [identity]\n")
    example = "\n".join(line[2:] if line.startswith("# ") else line for line in text[start:].splitlines())
    example = example.replace('"/etc/controlroom/ca.pem"', '""').replace("/var/lib/controlroom", str(tmp_path))
    settings = parse_config(text[:start] + example, "demo.toml", tile_types()).section("identity")
    assert settings.units.owner(Target(domain="air"), Scope.DOMAIN) == "so-tnmt"
    assert settings.directory.group_roles == {"ioc-operators": "duty_operator", "ioc-leaders": "leader"}
    assert settings.audit_feed == "ioc" and settings.lockout_s == 900
