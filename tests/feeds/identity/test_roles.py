"""The permission table, walked for every role and action, and the units' scope."""

from __future__ import annotations

import re

import pytest

from feeds.identity.roles import RULES, Principal, Role, Scope, Target, authorize, rules
from feeds.identity.settings import IdentitySettings
from tests.support.paths import ROOT

UNITS = IdentitySettings().units  # tinh (province) → so-tnmt (air), so-nnptnt (vessel), cong-an (camera)


@pytest.mark.parametrize("role", list(Role))
def test_every_action_is_allowed_exactly_to_its_roles(role):
    person = Principal("x", role, "tinh")
    for action, rule in rules().items():
        decision = authorize(person, action, Target(screen="wall-1/0", domain="air"), UNITS)
        assert decision.allowed == (role in rule.roles), (role, action)
        if not decision.allowed:
            assert decision.reason_vi and decision.reason_en


def test_the_docs_table_is_the_table_in_the_code():
    """docs/security.md lists every action of the program's domains and the roles that may perform it."""
    from feeds.core.domain import BUILTIN, load_ref

    shipped = set(RULES) | {p.name for ref in BUILTIN for p in load_ref(ref).permissions}
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Action"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    roles = [Role(c.strip("`")) for c in columns[2:-1]]  # the last column: the unit check
    documented = {}
    for line in text.splitlines():
        match = re.match(r"\| `([a-z_.]+)` \|", line)
        if match:
            cells = [c.strip() for c in line.strip("|").split("|")]
            documented[match.group(1)] = {r for r, cell in zip(roles, cells[2:-1]) if cell == "✔"}
    assert documented == {name: set(rule.roles) for name, rule in rules().items() if name in shipped}


def test_a_unit_acts_within_itself_and_the_province_everywhere():
    air_operator = Principal("moitruong", Role.DUTY_OPERATOR, "so-tnmt")
    assert authorize(air_operator, "alert.ack", Target(domain="air"), UNITS).allowed
    refused = authorize(air_operator, "alert.ack", Target(domain="vessel"), UNITS)
    assert not refused.allowed and "Sở Nông nghiệp" in refused.reason_vi
    province = Principal("trucban", Role.DUTY_OPERATOR, "tinh")
    assert all(authorize(province, "alert.ack", Target(domain=d), UNITS).allowed for d in ("air", "vessel", "x"))


def test_scene_targets_belong_to_units():
    from feeds.identity.roles import Units

    units = Units(UNITS.units, UNITS.domain_owner, {"wall-tnmt": "so-tnmt"})
    department = Principal("moitruong", Role.DUTY_OPERATOR, "so-tnmt")
    assert authorize(department, "scene.push", Target(screen="wall-tnmt/0"), units).allowed
    assert not authorize(department, "scene.push", Target(screen="wall-1/0"), units).allowed  # the province's
    assert RULES["scene.push"].scope is Scope.TARGET


def test_nobody_and_unknown_actions_are_refused():
    assert not authorize(None, "scene.push", Target(), UNITS).allowed
    assert not authorize(Principal("a", Role.ADMINISTRATOR, "tinh"), "launch.missiles", Target(), UNITS).allowed
