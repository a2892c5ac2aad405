"""The [identity] configuration section: accounts database, argon2 profile, lockout, idle lock, units, directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feeds.core.config import SectionContext
from feeds.identity.broker_site import BrokerSite, parse_broker_site
from feeds.identity.directory import DirectorySettings, parse_directory
from feeds.identity.passwords import DEFAULT_PROFILE, PROFILES
from feeds.identity.roles import Role, Unit, UnitLevel, Units

DEFAULT_UNITS = {
    "tinh": Unit("tinh", "UBND tỉnh Thanh Hóa", UnitLevel.PROVINCE),
    "so-tnmt": Unit("so-tnmt", "Sở Tài nguyên và Môi trường", UnitLevel.DEPARTMENT, "tinh"),
    "so-nnptnt": Unit("so-nnptnt", "Sở Nông nghiệp và PTNT", UnitLevel.DEPARTMENT, "tinh"),
    "cong-an": Unit("cong-an", "Công an tỉnh", UnitLevel.DEPARTMENT, "tinh"),
}
DEFAULT_DOMAIN_OWNERS = {"air": "so-tnmt", "discharge": "so-tnmt", "vessel": "so-nnptnt", "camera": "cong-an"}
SECRET_KEYS = {"password", "pin", "secret", "service_password"}


@dataclass(frozen=True)
class IdentitySettings:
    database: Path | None = None  # None: the per-user data folder
    password_profile: str = DEFAULT_PROFILE
    max_failures: int = 5
    lockout_s: float = 15 * 60
    idle_lock_s: float = 10 * 60  # 0: never
    offline_sign_in: bool = False  # directory accounts may sign in from their cached hash while it is away
    units: Units = field(default_factory=lambda: Units(DEFAULT_UNITS, DEFAULT_DOMAIN_OWNERS))
    directory: DirectorySettings | None = None
    broker: BrokerSite | None = None
    audit_feed: str = ""  # an mqtt feed: this terminal publishes its audit entries through its broker


def parse_identity(table: Any, context: SectionContext) -> IdentitySettings:
    reader = context.reader(table, "identity", {"database", "password_profile", "max_failures", "lockout_minutes",
                                                "idle_lock_minutes", "offline_sign_in", "units", "domains",
                                                "terminals", "directory", "broker", "audit_feed", *SECRET_KEYS})
    for key in SECRET_KEYS & set(table):
        raise context.error(f"identity.{key}", "secrets are never kept in the configuration file: "
                                               "store them with `controlroom secrets set NAME`")
    profile = reader.get("password_profile", str, DEFAULT_PROFILE)
    if profile not in PROFILES:
        raise context.error("identity.password_profile", f"unknown argon2 profile {profile!r}; "
                                                         f"expected one of {', '.join(PROFILES)}")
    numbers = {}
    for key, default, low in (("max_failures", 5, 1), ("lockout_minutes", 15, 0), ("idle_lock_minutes", 10, 0)):
        value = reader.get(key, (int, float), default)
        if value < low or (key == "max_failures" and not isinstance(value, int)):
            what = "a whole number" if key == "max_failures" else "a number"
            raise context.error(f"identity.{key}", f"expected {what} of at least {low}, got {value!r}")
        numbers[key] = value
    database = reader.get("database", str, "")
    feed = reader.get("audit_feed", str, "")
    if feed and feed not in context.feeds:
        raise context.error("identity.audit_feed", f"unknown feed {feed!r}")
    units = _units(reader, context)
    directory = parse_directory(table["directory"], context) if "directory" in table else None
    if directory is not None:
        _check_directory_mapping(directory, units, context)
    return IdentitySettings(
        database=context.path(database) if database else None, password_profile=profile,
        max_failures=numbers["max_failures"], lockout_s=numbers["lockout_minutes"] * 60.0,
        idle_lock_s=numbers["idle_lock_minutes"] * 60.0, offline_sign_in=reader.get("offline_sign_in", bool, False),
        units=units, directory=directory,
        broker=parse_broker_site(table["broker"], context) if "broker" in table else None, audit_feed=feed)


def _check_directory_mapping(directory: DirectorySettings, units: Units, context: SectionContext) -> None:
    roles = {role.value for role in Role}
    for group, role in directory.group_roles.items():
        if role not in roles:
            raise context.error(f"identity.directory.group_roles.{group}",
                                f"unknown role {role!r}; roles: {', '.join(sorted(roles))}")
    for group, unit in directory.group_units.items():
        if unit not in units.units:
            raise context.error(f"identity.directory.group_units.{group}",
                                f"unknown unit {unit!r}; units: {', '.join(units.units)}")



def _units(reader: Any, context: SectionContext) -> Units:
    tables = reader.get("units", dict, None)
    units = dict(DEFAULT_UNITS)
    if tables is not None:
        units = {}
        for uid, spec in tables.items():
            fields = context.reader(spec, f"identity.units.{uid}", {"title", "level", "parent"})
            level = fields.get("level", str, what="province, department or commune")
            if level not in {lv.value for lv in UnitLevel}:
                raise context.error(f"identity.units.{uid}.level", "expected province, department or commune")
            units[uid] = Unit(uid, fields.get("title", str, uid), UnitLevel(level), fields.get("parent", str, ""))
        for uid, unit in units.items():
            if unit.parent and unit.parent not in units:
                raise context.error(f"identity.units.{uid}.parent", f"unknown unit {unit.parent!r}")
        if sum(1 for u in units.values() if not u.parent) != 1:
            raise context.error("identity.units", "expected exactly one unit without a parent (the province)")
    owners = {}
    for key in ("domains", "terminals"):
        mapping = reader.get(key, dict, DEFAULT_DOMAIN_OWNERS if key == "domains" and tables is None else {})
        for name, uid in mapping.items():
            if uid not in units:
                raise context.error(f"identity.{key}.{name}", f"unknown unit {uid!r}; units: {', '.join(units)}")
        owners[key] = dict(mapping)
    return Units(units, owners["domains"], owners["terminals"])
