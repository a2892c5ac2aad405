"""A real OpenLDAP slapd on 127.0.0.1 (StartTLS and LDAPS on free ports) with a test CA, people and groups.

The directory (suffix dc=thanhhoa,dc=gov,dc=vn) is loaded with slapadd before slapd starts, so it is complete
the moment the ports accept. slapd runs in the foreground (`-d 0`: any -d keeps it attached) as the current
user: no -u/-g, so started as root (CI) it keeps root and can read the key and the database in our folder.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support.broker import end_process, free_port
from tests.support.waiting import wait_until

SUFFIX = "dc=thanhhoa,dc=gov,dc=vn"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-Secret-1"
SERVICE_DN = f"cn=controlroom,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-Secret-2"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


@dataclass(frozen=True)
class Person:
    uid: str
    display_name: str
    password: str
    groups: tuple[str, ...]  # cn of groups under ou=groups

    @property
    def dn(self) -> str:
        return f"uid={self.uid},ou=people,{SUFFIX}"


PEOPLE = (
    Person("an.nv", "Nguyễn Văn An", "An-mật-khẩu-1", ("ioc-operators", "so-tnmt")),
    Person("binh.tt", "Trần Thị Bình", "Bình-pass-2", ("ioc-leaders", "ioc-operators")),
    Person("cuong.lv", "Lê Văn Cường", "Cường-pass-3", ("thu-vien",)),  # in no group that maps to a role
)
GROUPS = ("ioc-operators", "ioc-leaders", "so-tnmt", "thu-vien")


# --- certificates ------------------------------------------------------------------------------------------

def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _validity(builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return builder.not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=2))


@dataclass(frozen=True)
class CertificateAuthority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    file: Path  # the PEM certificate


def make_ca(folder: Path, name: str = "Test CA") -> CertificateAuthority:
    """A fresh self-signed CA, its certificate written to FOLDER/ca.pem."""
    folder.mkdir(parents=True, exist_ok=True)
    key = _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (_validity(x509.CertificateBuilder()).subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    file = folder / "ca.pem"
    file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return CertificateAuthority(key, cert, file)


def make_server_cert(ca: CertificateAuthority, cert_file: Path, key_file: Path) -> None:
    """A server certificate for localhost and 127.0.0.1 signed by CA."""
    key = _key()
    cert = (_validity(x509.CertificateBuilder())
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_file)


# --- directory content -------------------------------------------------------------------------------------

def ssha(password: str) -> str:
    """{SSHA} hash of PASSWORD, as slappasswd makes it."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _line(attribute: str, value: str) -> str:
    """One LDIF line; values that are not plain ASCII go base64 (RFC 2849)."""
    if value.isascii() and value == value.strip() and not value.startswith((":", "<")):
        return f"{attribute}: {value}"
    return f"{attribute}:: {base64.b64encode(value.encode()).decode()}"


def _entry(dn: str, **attributes: str | list[str]) -> str:
    lines = [_line("dn", dn)]
    for attribute, values in attributes.items():
        lines.extend(_line(attribute, value) for value in ([values] if isinstance(values, str) else values))
    return "\n".join(lines) + "\n"


def ldif() -> str:
    entries = [
        _entry(SUFFIX, objectClass=["top", "dcObject", "organization"], dc="thanhhoa", o="UBND tỉnh Thanh Hóa"),
        _entry(f"ou=people,{SUFFIX}", objectClass="organizationalUnit", ou="people"),
        _entry(f"ou=groups,{SUFFIX}", objectClass="organizationalUnit", ou="groups"),
        _entry(f"ou=services,{SUFFIX}", objectClass="organizationalUnit", ou="services"),
        _entry(SERVICE_DN, objectClass=["organizationalRole", "simpleSecurityObject"], cn="controlroom",
               userPassword=ssha(SERVICE_PASSWORD)),
    ]
    for p in PEOPLE:
        family, _, given = p.display_name.partition(" ")
        entries.append(_entry(p.dn, objectClass=["inetOrgPerson"], uid=p.uid, cn=p.display_name, sn=family,
                              givenName=given, displayName=p.display_name, mail=f"{p.uid}@thanhhoa.gov.vn",
                              userPassword=ssha(p.password)))
    for group in GROUPS:
        members = [p.dn for p in PEOPLE if group in p.groups]
        entries.append(_entry(f"cn={group},ou=groups,{SUFFIX}", objectClass="groupOfNames", cn=group,
                              member=members))
    return "\n".join(entries)


# --- the server --------------------------------------------------------------------------------------------

class Slapd:
    """slapd serving SUFFIX on ldap://127.0.0.1:port (StartTLS) and ldaps://127.0.0.1:ldaps_port (and 127.0.0.2).

    Anonymous clients may search and read everything but userPassword, which they may only bind with; a bind
    with a password needs TLS (StartTLS or LDAPS)."""

    def __init__(self, folder: Path) -> None:
        exe = shutil.which("slapd") or "/usr/sbin/slapd"
        if not Path(exe).exists():
            raise RuntimeError("slapd is not installed (apt-get install -y slapd ldap-utils)")
        self.exe = exe
        self.slapadd = str(Path(exe).with_name("slapadd"))
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port, self.ldaps_port = free_port(), free_port()
        self.ca = make_ca(folder)
        self.cert_file, self.key_file = folder / "server.pem", folder / "server.key"
        make_server_cert(self.ca, self.cert_file, self.key_file)
        (folder / "db").mkdir(exist_ok=True)
        self.conf = folder / "slapd.conf"
        self.conf.write_text(self._config(), encoding="utf-8")
        self.log = folder / "slapd.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def _config(self) -> str:
        includes = "".join(f"include /etc/ldap/schema/{name}.schema\n" for name in SCHEMAS)
        return (f"{includes}"
                "modulepath /usr/lib/ldap\n"
                "moduleload back_mdb\n"
                f"pidfile {self.folder / 'slapd.pid'}\n"
                f"argsfile {self.folder / 'slapd.args'}\n"
                f"TLSCACertificateFile {self.ca.file}\n"
                f"TLSCertificateFile {self.cert_file}\n"
                f"TLSCertificateKeyFile {self.key_file}\n"
                "TLSProtocolMin 3.3\n"  # TLS 1.2
                "security simple_bind=128\n"  # binds with a password only over TLS, as a production server
                "database mdb\n"
                "maxsize 10485760\n"
                f'suffix "{SUFFIX}"\n'
                f'rootdn "{ROOT_DN}"\n'
                f"rootpw {ssha(ROOT_PASSWORD)}\n"
                f"directory {self.folder / 'db'}\n"
                "index objectClass,uid,member eq\n"
                "access to attrs=userPassword\n"
                "    by anonymous auth\n"
                "    by self auth\n"
                "    by * none\n"
                "access to *\n"
                "    by * read\n")

    @property
    def url_starttls(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def url_ldaps(self) -> str:
        return f"ldaps://127.0.0.1:{self.ldaps_port}"

    @property
    def url_ldaps_unnamed(self) -> str:
        """LDAPS on an address that the server certificate does not name (127.0.0.2, also loopback)."""
        return f"ldaps://127.0.0.2:{self.ldaps_port}"

    @property
    def ca_file(self) -> str:
        return str(self.ca.file)

    def start(self) -> Slapd:
        data = self.folder / "data.ldif"
        data.write_text(ldif(), encoding="utf-8")
        subprocess.run([self.slapadd, "-q", "-f", str(self.conf), "-l", str(data)], check=True,
                       capture_output=True, timeout=30)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([self.exe, "-f", str(self.conf), "-d", "0",
                                          "-h", f"{self.url_starttls}/ {self.url_ldaps}/ {self.url_ldaps_unnamed}/"],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(self._serving, 10.0, lambda: f"slapd to listen; its log: {self.log.read_text()!r}")
        except BaseException:
            self.stop()
            raise
        return self

    def _serving(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"slapd exited with {self.proc.returncode}: {self.log.read_text()}")
        for port in (self.port, self.ldaps_port):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    pass
            except OSError:
                return False
        return True

    def stop(self) -> None:
        end_process(self.proc)
        self.proc = None

    def __enter__(self) -> Slapd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
