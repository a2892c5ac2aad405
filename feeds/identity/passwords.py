"""Password and PIN hashing: argon2id PHC strings with one of argon2-cffi's named parameter profiles."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"  # argon2-cffi's recommended default (t=3, m=64 MiB, p=4)
PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "PRE_21_2", "CHEAPEST")


@cache
def hasher(profile: str = DEFAULT_PROFILE) -> PasswordHasher:
    if profile not in PROFILES:
        raise ValueError(f"unknown argon2 profile {profile!r}; expected one of {', '.join(PROFILES)}")
    return PasswordHasher.from_parameters(getattr(profiles, profile))


@cache
def _dummy_hash(profile: str) -> str:
    return hasher(profile).hash("no account has this password")


def hash_secret(secret: str, profile: str = DEFAULT_PROFILE) -> str:
    return hasher(profile).hash(secret)


def verify_secret(phc: str | None, secret: str, profile: str = DEFAULT_PROFILE) -> bool:
    """Whether SECRET matches the PHC string. Without a hash (an unknown name) it costs the same time."""
    try:
        return hasher(profile).verify(phc or _dummy_hash(profile), secret) and phc is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(phc: str, profile: str = DEFAULT_PROFILE) -> bool:
    """Whether the PHC string was made with other parameters than PROFILE's (then re-hash on sign-in)."""
    try:
        return hasher(profile).check_needs_rehash(phc)
    except InvalidHashError:
        return True
