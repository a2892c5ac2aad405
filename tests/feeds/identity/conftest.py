"""An identity database in the test's folder, with cheap hashing where the test is not about hashing cost."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from feeds.identity.roles import Role
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings

FAST = IdentitySettings(password_profile="CHEAPEST")


def make_identity(path: Path, **changes) -> Identity:
    return Identity(replace(FAST, **changes), "test-terminal", path)


@pytest.fixture
def identity(tmp_path: Path):
    ident = make_identity(tmp_path / "identity.sqlite")
    ident.accounts.add("an", "mat-khau-dung", Role.DUTY_OPERATOR, "tinh", "Nguyễn Văn An")
    yield ident
    ident.close()
