"""Identity (sign-in, roles by unit, audit), declared for the domain registry: it brings the [identity] section."""

from __future__ import annotations

from feeds.core.domain import ConfigSection, Domain
from feeds.identity.settings import IdentitySettings, parse_identity

DOMAIN = Domain(
    name="identity",
    title="Định danh, phân quyền và nhật ký kiểm toán",
    title_en="Identity, roles and audit",
    config=ConfigSection("identity", parse_identity, IdentitySettings),
)
