"""Sign-in against an LDAP directory (OpenLDAP, Active Directory, 389-DS): find the person, bind as them, map
their groups to a role and a unit.

Only over TLS unless the configuration says otherwise: ldaps:// or ldap:// with StartTLS, the server
certificate verified (CA and host name). The service account's password is a secret (feeds.core.secrets),
never in the configuration file; a person's password is only ever sent in a bind and never logged.
"""

from __future__ import annotations

import logging
import math
import ssl
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feeds.core.config import SectionContext
from feeds.core.secrets import describe_missing, get_secret

with warnings.catch_warnings():  # ldap3 2.9.1 imports names that pyasn1 ≥ 0.6.1 deprecates (tagMap, typeMap)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ldap3\.")
    import ldap3  # type: ignore[import-untyped]
    from ldap3.core.exceptions import LDAPException  # type: ignore[import-untyped]
    from ldap3.utils.conv import escape_filter_chars  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

SECTION = "identity.directory"
INVALID_CREDENTIALS = 49
# Bind results that refuse this person (wrong password, account locked or disabled…), not the directory failing.
_REFUSED = {INVALID_CREDENTIALS, 48, 50, 53}  # + inappropriateAuthentication, insufficientAccess, unwilling
_MAX_NAME = 256


@dataclass(frozen=True)
class DirectorySettings:
    url: str  # "ldap://host:389" (then StartTLS) or "ldaps://host:636"
    base_dn: str  # where people and groups are searched, e.g. "dc=thanhhoa,dc=gov,dc=vn"
    starttls: bool = True  # for ldap:// URLs; plain-text binds only when explicitly false
    ca_file: str = ""  # PEM CA bundle to verify the server certificate ("" = system CAs)
    user_filter: str = "(uid={name})"  # {name} is escaped for the filter
    service_dn: str = ""  # account that searches for the person's DN ("" = anonymous search)
    service_secret: str = ""  # NAME of the secret holding the service password
    group_filter: str = "(&(objectClass=groupOfNames)(member={dn}))"
    group_roles: dict[str, str] = field(default_factory=dict)  # group cn or full DN -> role name
    group_units: dict[str, str] = field(default_factory=dict)  # group cn or full DN -> unit id
    timeout_s: float = 5.0


class DirectoryUnavailable(RuntimeError):
    """The directory cannot be asked: unreachable, TLS failure, timeout, service account refused."""


@dataclass(frozen=True)
class DirectoryAccount:
    name: str
    display_name: str
    role: str
    unit: str
    groups: tuple[str, ...]  # cn (or DN) of every group the person is in


class _Tls(ldap3.Tls):  # type: ignore[misc]  # ldap3 has no type information
    """ldap3's TLS with the host name checked by the ssl module itself (ldap3 calls the deprecated
    ssl.match_hostname), TLS 1.2 at least, the certificate always required."""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(validate=ssl.CERT_REQUIRED)
        self.context = context

    def wrap_socket(self, connection: Any, do_handshake: bool = False) -> None:
        connection.socket = self.context.wrap_socket(connection.socket, server_side=False,
                                                     do_handshake_on_connect=do_handshake,
                                                     server_hostname=connection.server.host)


def _normal(group: str) -> str:
    """A group cn or DN for comparison: LDAP compares both case-insensitively; spaces after commas vary."""
    return ",".join(part.strip() for part in group.split(",")).lower()


def _lookup(mapping: dict[str, str], groups: dict[str, str]) -> str:
    """The value of the first key of MAPPING (in its order) that names one of GROUPS (normal form -> name)."""
    return next((value for key, value in mapping.items() if _normal(key) in groups), "")


class Directory:
    """Asks one LDAP directory whether a name and a password sign in, and with which role and unit."""

    def __init__(self, settings: DirectorySettings, secret: Callable[[str], str | None] = get_secret) -> None:
        self.settings = settings
        self._secret = secret
        parts = urlsplit(settings.url)
        self._ldaps = parts.scheme.lower() == "ldaps"
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (636 if self._ldaps else 389)
        self._tls: _Tls | None = None

    # --- the sign-in ---------------------------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> DirectoryAccount | None:
        """The account when NAME/PASSWORD bind; None for a wrong password, an unknown name, an empty password
        or a person in no group mapped to a role. Raises DirectoryUnavailable when the directory cannot be
        asked."""
        if not name.strip() or len(name) > _MAX_NAME or not password:
            # an empty password would make an "unauthenticated bind", which some servers answer with success
            log.info("directory sign-in refused for %r: empty name or password", name)
            return None
        with self._connection(*self._service_credentials()) as searcher:
            person = self._find_person(searcher, name)
            if person is None:
                log.info("directory sign-in refused for %r: no such person under %s", name, self.settings.base_dn)
                return None
            dn, display_name = person
            if not self._binds(dn, password):
                log.info("directory sign-in refused for %r (%s): wrong password", name, dn)
                return None
            groups = self._groups(searcher, dn)
        role = _lookup(self.settings.group_roles, groups)
        if not role:
            log.info("directory sign-in refused for %r (%s): in no group with a role (groups: %s)", name, dn,
                     ", ".join(dict.fromkeys(groups.values())) or "none")
            return None
        return DirectoryAccount(name=name, display_name=display_name, role=role,
                                unit=_lookup(self.settings.group_units, groups),
                                groups=tuple(dict.fromkeys(groups.values())))

    def _service_credentials(self) -> tuple[str, str]:
        settings = self.settings
        if not settings.service_dn:
            return "", ""
        if not settings.service_secret:
            raise self._unavailable(f"service_dn {settings.service_dn!r} has no service_secret")
        password = self._secret(settings.service_secret)
        if not password:
            raise self._unavailable(describe_missing(settings.service_secret))
        return settings.service_dn, password

    def _find_person(self, conn: Any, name: str) -> tuple[str, str] | None:
        """(DN, display name) of the one entry the user filter finds for NAME, or None."""
        query = self.settings.user_filter.format(name=escape_filter_chars(name))
        entries = self._search(conn, query, ["displayName", "cn"], size_limit=2)
        if len(entries) != 1:
            if entries:
                log.warning("directory %s: %d entries match %s; refusing the sign-in", self.settings.url,
                            len(entries), query)
            return None
        attributes = entries[0]["attributes"]
        display = next((str(v[0] if isinstance(v, list) else v) for v in
                        (attributes.get("displayName"), attributes.get("cn")) if v), name)
        return entries[0]["dn"], display

    def _groups(self, conn: Any, dn: str) -> dict[str, str]:
        """The person's groups: normal form of the cn and of the DN -> the cn (or DN)."""
        query = self.settings.group_filter.format(dn=escape_filter_chars(dn))
        groups: dict[str, str] = {}
        for entry in self._search(conn, query, ["cn"]):
            cn = entry["attributes"].get("cn")
            label = str(cn[0] if isinstance(cn, list) else cn) if cn else entry["dn"]
            groups[_normal(label)] = label
            groups[_normal(entry["dn"])] = label
        return groups

    def _search(self, conn: Any, query: str, attributes: list[str], size_limit: int = 0) -> list[dict[str, Any]]:
        try:
            conn.search(self.settings.base_dn, query, ldap3.SUBTREE, attributes=attributes, size_limit=size_limit)
        except LDAPException as exc:
            raise self._unavailable(self._reason(exc)) from exc
        code = conn.result.get("result")
        if code not in (0, 4):  # success, sizeLimitExceeded (more than one match: refused by the caller)
            raise self._unavailable(f"search {query} under {self.settings.base_dn!r} failed: "
                                    f"{conn.result.get('description')} {conn.result.get('message') or ''}".strip())
        return [e for e in conn.response or [] if e.get("type") == "searchResEntry"]

    def _binds(self, dn: str, password: str) -> bool:
        """Whether DN binds with PASSWORD (on a connection of its own, over TLS first)."""
        try:
            with self._connection(dn, password, check=False) as conn:
                return bool(conn.bound)
        except _Refused:
            return False

    # --- connections ---------------------------------------------------------------------------------------

    @contextmanager
    def _connection(self, user: str, password: str, check: bool = True) -> Iterator[Any]:
        """An open connection (TLS started), bound as USER when given (else anonymous). A refused bind raises
        DirectoryUnavailable when CHECK (the service account), else _Refused (a person)."""
        settings = self.settings
        tls = self._tls_settings() if self._ldaps or settings.starttls else None
        server = ldap3.Server(self._host, port=self._port, use_ssl=self._ldaps, tls=tls, get_info=ldap3.NONE,
                              connect_timeout=settings.timeout_s)
        conn = ldap3.Connection(server, user=user or None, password=password or None,
                                authentication=ldap3.SIMPLE if user else ldap3.ANONYMOUS,
                                auto_referrals=False, read_only=True, raise_exceptions=False,
                                receive_timeout=max(1, math.ceil(settings.timeout_s)))  # ldap3 packs an int
        try:
            try:
                conn.open(read_server_info=False)
                if tls is not None and not self._ldaps:
                    conn.start_tls(read_server_info=False)
                if user and not conn.bind(read_server_info=False):
                    code = conn.result.get("result")
                    if not check and code in _REFUSED:
                        raise _Refused()
                    who = "the service account" if check else "the bind"
                    raise self._unavailable(f"{who} {user!r} was refused: {conn.result.get('description')} "
                                            f"{conn.result.get('message') or ''}".strip())
            except LDAPException as exc:
                raise self._unavailable(self._reason(exc)) from exc
            yield conn
        finally:
            self._close(conn)

    def _tls_settings(self) -> _Tls:
        if self._tls is None:
            try:
                context = ssl.create_default_context(cafile=self.settings.ca_file or None)
            except (OSError, ssl.SSLError) as exc:
                raise self._unavailable(f"the CA file {self.settings.ca_file!r} cannot be read: {exc}") from exc
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            self._tls = _Tls(context)
        return self._tls

    @staticmethod
    def _close(conn: Any) -> None:
        try:
            conn.unbind()
        except (LDAPException, OSError):
            pass
        sock = getattr(conn, "socket", None)  # ldap3 leaves a socket that failed to open or to wrap
        if sock is not None:
            sock.close()

    def _reason(self, exc: LDAPException) -> str:
        text = str(exc)
        if "CERTIFICATE" in text.upper() or isinstance(exc.__cause__ or exc.__context__, ssl.SSLError):
            trusted = f"the CA in {self.settings.ca_file}" if self.settings.ca_file else "the system CAs"
            return f"TLS failed: the server certificate is not trusted by {trusted} or does not name " \
                   f"{self._host} ({text})"
        if "timed out" in text:
            return f"no answer within {self.settings.timeout_s:g} s ({text})"
        return text

    def _unavailable(self, reason: str) -> DirectoryUnavailable:
        message = f"LDAP directory {self.settings.url}: {reason}"
        log.warning("%s", message)
        return DirectoryUnavailable(message)


class _Refused(Exception):
    """The person's bind was refused (wrong password, account locked): not a failure of the directory."""


# --- configuration -----------------------------------------------------------------------------------------

DIRECTORY_KEYS = {"url", "base_dn", "starttls", "ca_file", "user_filter", "service_dn", "service_secret",
                  "group_filter", "group_roles", "group_units", "timeout_s"}
_PASSWORD_KEYS = {"password", "service_password", "bind_password", "secret"}


def _names_map(value: dict[str, Any], key: str, context: SectionContext) -> dict[str, str]:
    for group, target in value.items():
        if not isinstance(target, str) or not target:
            raise context.error(f"{SECTION}.{key}.{group}", f"expected a non-empty string, got {target!r}")
    return dict(value)


def parse_directory(table: Any, context: SectionContext) -> DirectorySettings:
    """`[identity.directory]`: url, base_dn, group_roles = { "ioc-operators" = "operator" }…"""
    secrets = sorted(_PASSWORD_KEYS & set(table)) if isinstance(table, dict) else []
    if secrets:
        raise context.error(f"{SECTION}.{secrets[0]}",
                            "passwords never go in the configuration file: store it with "
                            "`controlroom secrets set NAME` and give that NAME as service_secret")
    reader = context.reader(table, SECTION, DIRECTORY_KEYS)
    url = reader.get("url", str, what="an ldap:// or ldaps:// URL")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("ldap", "ldaps") or not parts.hostname:
        raise context.error(f"{SECTION}.url", f"expected ldap://host[:port] or ldaps://host[:port], got {url!r}")
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise context.error(f"{SECTION}.url", f"the port in {url!r} is not a number") from None
    starttls = reader.get("starttls", bool, True)
    if parts.scheme.lower() == "ldap" and not starttls:
        log.warning("%s: %s.starttls = false: passwords go to %s in plain text", context.file, SECTION, url)
    base_dn = reader.get("base_dn", str, what="a DN such as dc=thanhhoa,dc=gov,dc=vn")
    if not base_dn.strip():
        raise context.error(f"{SECTION}.base_dn", "expected a DN such as dc=thanhhoa,dc=gov,dc=vn")
    ca_file = reader.get("ca_file", str, "")
    if ca_file:
        ca_file = str(context.path(ca_file))
    settings = DirectorySettings(
        url=url, base_dn=base_dn, starttls=starttls, ca_file=ca_file,
        user_filter=reader.get("user_filter", str, DirectorySettings.user_filter),
        service_dn=reader.get("service_dn", str, ""), service_secret=reader.get("service_secret", str, ""),
        group_filter=reader.get("group_filter", str, DirectorySettings.group_filter),
        group_roles=_names_map(reader.get("group_roles", dict, {}), "group_roles", context),
        group_units=_names_map(reader.get("group_units", dict, {}), "group_units", context),
        timeout_s=float(reader.get("timeout_s", (int, float), 5.0)))
    _check_filter(settings.user_filter, "name", "user_filter", context)
    _check_filter(settings.group_filter, "dn", "group_filter", context)
    if settings.service_dn and not settings.service_secret:
        raise context.error(f"{SECTION}.service_secret", "service_dn needs service_secret, the NAME of the secret "
                            "holding its password (`controlroom secrets set NAME`)")
    if not 0 < settings.timeout_s <= 120:
        raise context.error(f"{SECTION}.timeout_s", f"expected seconds between 0 and 120, got {settings.timeout_s}")
    if ca_file and context.base_dir is not None and not Path(ca_file).is_file():
        raise context.error(f"{SECTION}.ca_file", f"no such file: {ca_file}")
    return settings


def _check_filter(template: str, placeholder: str, key: str, context: SectionContext) -> None:
    try:
        template.format(**{placeholder: "x"})
    except (KeyError, IndexError, ValueError) as exc:
        raise context.error(f"{SECTION}.{key}", f"only {{{placeholder}}} may be replaced in the filter "
                            f"({exc!r})") from None
    if "{" + placeholder + "}" not in template or not template.startswith("("):
        raise context.error(f"{SECTION}.{key}", f"expected an LDAP filter with {{{placeholder}}}, got {template!r}")
