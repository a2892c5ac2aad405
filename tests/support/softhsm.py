"""A SoftHSM2 token in the test's folder holding a signing key and its certificate, as a CA's USB token would."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, ObjectClass
from pkcs11.util.rsa import decode_rsa_private_key
from pkcs11.util.x509 import decode_x509_certificate

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "246810"
LABEL = "controlroom-test"
KEY_LABEL = "ky-so"


@dataclass(frozen=True)
class Token:
    module: Path
    label: str
    key_label: str
    pin: str
    cert_pem: Path


def make_token(folder: Path) -> Token:
    """Initialise a token (SOFTHSM2_CONF points at FOLDER for this process and its children) and put an RSA key
    with a self-signed certificate on it."""
    if not MODULE.exists() or shutil.which("softhsm2-util") is None:
        raise RuntimeError("SoftHSM2 is not installed (apt-get install -y softhsm2)")
    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", "13579",
                    "--pin", PIN], check=True, capture_output=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND tỉnh Thanh Hóa (thử)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    token = pkcs11.lib(str(MODULE)).get_token(token_label=LABEL)
    with token.open(user_pin=PIN, rw=True) as session:
        attrs = decode_rsa_private_key(der_key)
        attrs.update({Attribute.TOKEN: True, Attribute.LABEL: KEY_LABEL, Attribute.ID: b"\x01",
                      Attribute.SIGN: True, Attribute.PRIVATE: True, Attribute.SENSITIVE: True})
        session.create_object(attrs)
        cert_attrs = decode_x509_certificate(cert.public_bytes(serialization.Encoding.DER))
        cert_attrs.update({Attribute.TOKEN: True, Attribute.LABEL: KEY_LABEL, Attribute.ID: b"\x01",
                           Attribute.CLASS: ObjectClass.CERTIFICATE})
        session.create_object(cert_attrs)
    pem = folder / "token-cert.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Token(MODULE, LABEL, KEY_LABEL, PIN, pem)
