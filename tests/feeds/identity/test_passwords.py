from __future__ import annotations

from feeds.identity.passwords import DEFAULT_PROFILE, hash_secret, needs_rehash, verify_secret
from feeds.identity.roles import Role
from tests.feeds.identity.conftest import make_identity


def test_a_password_is_an_argon2id_phc_string_with_the_recommended_profile():
    phc = hash_secret("mật khẩu dài")
    assert phc.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_secret(phc, "mật khẩu dài")
    assert not verify_secret(phc, "mật khẩu dai")
    assert not needs_rehash(phc, DEFAULT_PROFILE)


def test_no_hash_never_verifies_and_a_malformed_hash_is_refused():
    assert not verify_secret(None, "no account has this password")
    assert not verify_secret("$argon2id$garbage", "x")
    assert needs_rehash("not a hash")


def test_a_hash_made_with_another_profile_is_re_made_on_sign_in(tmp_path):
    cheap = make_identity(tmp_path / "id.sqlite")  # CHEAPEST
    cheap.accounts.add("binh", "mat-khau-cu-1", Role.LEADER, "tinh")
    old = cheap.accounts.get("binh").hash
    cheap.close()
    assert "m=8,t=1,p=1" in old
    recommended = make_identity(tmp_path / "id.sqlite", password_profile=DEFAULT_PROFILE)
    assert recommended.signin.sign_in("binh", "mat-khau-cu-1").ok
    new = recommended.accounts.get("binh").hash
    assert new != old and "m=65536,t=3,p=4" in new
    assert recommended.signin.sign_in("binh", "mat-khau-cu-1").ok  # the new hash verifies
    recommended.close()
