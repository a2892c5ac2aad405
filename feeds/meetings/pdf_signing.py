"""PAdES signatures on the PDFs the service issues (minutes, resolutions), with pyHanko.

The key sits in a PKCS#11 token (python-pkcs11; SoftHSM2 in the tests, a national CA's USB token on site),
named by module path and labels in [office.signing], its PIN a secret (`office/token-pin`). Without a token
configured (the demo), a software key made beside the office database signs instead, and says so in the
signature's reason and the log. `verify_pdf` checks a file against the certificate the site trusts."""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, pkcs11, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from feeds.core.secrets import get_secret

log = logging.getLogger(__name__)

CERT_FILE = "pdf-signing-cert.pem"  # the certificate a verifier trusts, written beside the office database
SOFT_KEY_FILE = "pdf-signing-key.pem"
PIN_SECRET = "office/token-pin"


@dataclass(frozen=True)
class TokenSettings:
    module: Path  # the PKCS#11 library: /usr/lib/softhsm/libsofthsm2.so, or the CA token's vendor module
    token_label: str
    key_label: str
    cert_label: str = ""  # default: the key's label
    raw_ecdsa: bool = False  # SoftHSM 2.6 signs EC keys only with raw ECDSA
    pin_secret: str = PIN_SECRET


class SigningUnavailable(RuntimeError):
    """The token cannot be used (missing module, wrong PIN, no such key): nothing was signed."""


class PdfSigner:
    def __init__(self, folder: Path, token: TokenSettings | None = None) -> None:
        self.folder = folder
        self.token = token
        if token is None:
            self._soft = _software_signer(folder)
        else:
            with self._session() as signer:  # fails now, at start, rather than at the end of a meeting
                cert = signer.signing_cert
            if cert is None:
                raise SigningUnavailable(f"the token has no certificate labelled {token.cert_label or token.key_label}")
            (folder / CERT_FILE).write_bytes(_pem(cert.dump()))

    @property
    def uses_token(self) -> bool:
        return self.token is not None

    @contextmanager
    def _session(self) -> Iterator[signers.Signer]:
        token = self.token
        assert token is not None
        pin = get_secret(token.pin_secret)
        if pin is None:
            raise SigningUnavailable(f"no PIN for the signing token: store it with `controlroom secrets set "
                                     f"{token.pin_secret}`")
        try:
            with pkcs11.open_pkcs11_session(str(token.module), user_pin=pin,
                                            token_criteria=TokenCriteria(label=token.token_label)) as session:
                yield pkcs11.PKCS11Signer(session, cert_label=token.cert_label or token.key_label,
                                          key_label=token.key_label, use_raw_mechanism=token.raw_ecdsa)
        except SigningUnavailable:
            raise
        except Exception as exc:  # python-pkcs11 raises many kinds: PinIncorrect, NoSuchToken, OSError…
            raise SigningUnavailable(f"the signing token cannot be used: {type(exc).__name__}: {exc}") from exc

    def sign(self, data: bytes, reason: str, location: str = "", field: str = "ChuKySo") -> bytes:
        """DATA with a PAdES signature added (an incremental update: the signed document is unchanged)."""
        meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256", reason=reason,
                                            location=location or None, subfilter=fields.SigSeedSubFilter.PADES)
        out = io.BytesIO()
        if self.token is None:
            signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=self._soft, output=out)
        else:
            with self._session() as signer:
                signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer, output=out)
        return out.getvalue()


def _pem(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def _software_signer(folder: Path) -> signers.SimpleSigner:
    """The demo's key and self-signed certificate, made once beside the office database (0600)."""
    key_file, cert_file = folder / SOFT_KEY_FILE, folder / CERT_FILE
    if not key_file.exists() or not cert_file.exists():
        log.warning("no PKCS#11 token configured: signing PDFs with a software key in %s (demo only)", folder)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Văn phòng điện tử (khóa phần mềm, demo)"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "controlroom")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .sign(key, hashes.SHA256()))
        key_file.touch(mode=0o600)
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signer: signers.SimpleSigner | None = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        str(key_file), str(cert_file))
    if signer is None:
        raise SigningUnavailable(f"the software signing key in {folder} cannot be loaded")
    return signer


@dataclass(frozen=True)
class PdfVerdict:
    valid: bool
    reason: str


def verify_pdf(data: bytes, trusted_cert: Path | None) -> PdfVerdict:
    """Whether every signature of DATA is intact, covers the whole file, and is by the trusted certificate."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return PdfVerdict(False, f"the PDF cannot be read: {exc}")
    if not signatures:
        return PdfVerdict(False, "the PDF carries no signature")
    roots = [load_cert_from_pemder(str(trusted_cert))] if trusted_cert else []  # type: ignore[no-untyped-call]
    for signature in signatures:
        try:
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots, allow_fetching=False))
        except Exception as exc:  # pyHanko raises its own kinds for damaged signatures
            return PdfVerdict(False, f"signature {signature.field_name}: cannot be validated: {exc}")
        if not status.intact or not status.valid:
            return PdfVerdict(False, f"signature {signature.field_name}: the signed content was changed")
        if roots and not status.trusted:
            return PdfVerdict(False, f"signature {signature.field_name}: not by the office service's certificate")
    last = signatures[-1]
    coverage = last.evaluate_signature_coverage()
    if coverage.name not in ("ENTIRE_FILE",):
        return PdfVerdict(False, f"the file was changed after it was signed ({coverage.name.lower()})")
    return PdfVerdict(True, f"{len(signatures)} signature(s) valid, covering the whole file"
                            + ("" if roots else " (certificate not checked: no trusted certificate given)"))
