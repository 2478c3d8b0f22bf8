"""The portal's 2D-Doc signing key, its X.509 certificate and the trust list.

Production (settings or environment variables of the same name):

    TWODDOC_SIGNING_KEY_FILE   PEM private key (EC P-256, unencrypted or with
                               TWODDOC_SIGNING_KEY_PASSWORD)
    TWODDOC_CERTIFICATE_FILE   PEM certificate of that key
    TWODDOC_CA_ID              4 characters: the certification authority's
                               2D-Doc identifier written in every header
    TWODDOC_CERTIFICATE_ID     4 characters: this certificate's identifier
    TWODDOC_TRUST_LIST_FILE    optional PEM bundle of the portal's other
                               certificates (previous keys, other servers),
                               still accepted when verifying

In the trust list a certificate is named by the subject's
organizationalUnitName (CA id) and commonName (certificate id), as
`generate_development_key` writes them; the configured certificate is
always named by TWODDOC_CA_ID / TWODDOC_CERTIFICATE_ID.

Development (DEBUG, or TWODDOC_ALLOW_DEV_KEYS=1 on an isolated server): when
no key file is configured, a key and a self-signed certificate are made on
first use in VAR_DIR/twoddoc/dev-signing.pem and kept there. Without DEBUG
and without that flag, signing refuses to start (and `manage.py check` says
why: core.E2DD1).
"""

import contextlib
import datetime as dt
import os
import tempfile
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import environ
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

DEV_CA_ID = "FR00"
DEV_CERTIFICATE_ID = "TD01"
DEV_VALIDITY_DAYS = 3 * 365


def _get(name: str, default, cast=str):
    if hasattr(settings, name):
        return getattr(settings, name)
    if cast is bool:
        return env.bool(name, default=default)
    return env.str(name, default=default)


def ca_id() -> str:
    return _get("TWODDOC_CA_ID", DEV_CA_ID).upper()


def certificate_id() -> str:
    return _get("TWODDOC_CERTIFICATE_ID", DEV_CERTIFICATE_ID).upper()


def key_file() -> str:
    return _get("TWODDOC_SIGNING_KEY_FILE", "")


def certificate_file() -> str:
    return _get("TWODDOC_CERTIFICATE_FILE", "")


def trust_list_file() -> str:
    return _get("TWODDOC_TRUST_LIST_FILE", "")


# settings.DEBUG as it was when the application started (set by
# CoreConfig.ready()): test runners force DEBUG off afterwards, and whether
# development keys may be made is a start-up decision, like the check.
STARTED_WITH_DEBUG: bool | None = None


def dev_keys_allowed(debug: bool | None = None) -> bool:
    if debug is None:
        debug = settings.DEBUG if STARTED_WITH_DEBUG is None else STARTED_WITH_DEBUG
    return bool(debug) or bool(_get("TWODDOC_ALLOW_DEV_KEYS", False, cast=bool))


def dev_key_path() -> Path:
    return Path(settings.VAR_DIR) / "twoddoc" / "dev-signing.pem"


def configuration_refusal(debug: bool | None = None) -> str:
    """Why the portal must not sign 2D-Docs as configured, or "" (`debug`:
    the DEBUG to judge by, by default the one the portal started with)."""
    if bool(key_file()) != bool(certificate_file()):
        return (
            "TWODDOC_SIGNING_KEY_FILE et TWODDOC_CERTIFICATE_FILE vont ensemble : "
            "définissez les deux (clé privée et certificat 2D-Doc au format PEM)."
        )
    if not key_file() and not dev_keys_allowed(debug):
        return (
            "Aucune clé de signature 2D-Doc configurée alors que DEBUG est désactivé : "
            "définissez TWODDOC_SIGNING_KEY_FILE, TWODDOC_CERTIFICATE_FILE, TWODDOC_CA_ID et "
            "TWODDOC_CERTIFICATE_ID (docs/twoddoc.md), ou TWODDOC_ALLOW_DEV_KEYS=1 pour un "
            "environnement de recette isolé."
        )
    return ""


@dataclass(frozen=True)
class TrustedCertificate:
    ca_id: str
    cert_id: str
    certificate: x509.Certificate

    # Cached: parsing the key out of the certificate at every verification
    # would cost as much as the signature check itself.
    @cached_property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self.certificate.public_key()

    @cached_property
    def not_before(self) -> dt.datetime:
        return self.certificate.not_valid_before_utc

    @cached_property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    @cached_property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex().upper()

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def valid_on(self, day: dt.date) -> bool:
        return self.not_before.date() <= day <= self.not_after.date()


@dataclass(frozen=True)
class SigningKey:
    private_key: ec.EllipticCurvePrivateKey
    trusted: TrustedCertificate

    @property
    def ca_id(self) -> str:
        return self.trusted.ca_id

    @property
    def cert_id(self) -> str:
        return self.trusted.cert_id


def generate_development_key(ca: str, cert: str, *, days: int = DEV_VALIDITY_DAYS):
    """A fresh P-256 key and its self-signed certificate (subject OU = CA id,
    CN = certificate id). Used for development and by the tests."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Titres (développement)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ca),
            x509.NameAttribute(NameOID.COMMON_NAME, cert),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _names(certificate: x509.Certificate) -> tuple[str, str] | None:
    ou = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    cn = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not ou or not cn:
        return None
    return str(ou[0].value).upper(), str(cn[0].value).upper()


def _load_dev_key() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    path = dev_key_path()
    if not path.exists():
        key, certificate = generate_development_key(ca_id(), certificate_id())
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ) + certificate.public_bytes(serialization.Encoding.PEM)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then linked into place: two processes starting
        # together never read half a file, and the first one wins.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dev-signing-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    data = path.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    certificate = x509.load_pem_x509_certificate(data)
    return key, certificate


def _load_configured_key() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    password = _get("TWODDOC_SIGNING_KEY_PASSWORD", "")
    key = serialization.load_pem_private_key(
        Path(key_file()).read_bytes(), password=password.encode() or None
    )
    certificate = x509.load_pem_x509_certificate(Path(certificate_file()).read_bytes())
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured("La clé 2D-Doc doit être une clé EC (P-256, P-384 ou P-521).")
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():
        raise ImproperlyConfigured("Le certificat 2D-Doc ne correspond pas à la clé de signature.")
    return key, certificate


_lock = threading.Lock()
_cache: dict[str, object] = {}


def reset() -> None:
    """Forget the loaded keys (tests, or after the files changed)."""
    with _lock:
        _cache.clear()


def signing_key() -> SigningKey:
    with _lock:
        cached = _cache.get("signing")
        if cached is None:
            refusal = configuration_refusal()
            if refusal:
                raise ImproperlyConfigured(refusal)
            key, certificate = _load_configured_key() if key_file() else _load_dev_key()
            cached = SigningKey(key, TrustedCertificate(ca_id(), certificate_id(), certificate))
            _cache["signing"] = cached
        return cached


def trust_list() -> dict[tuple[str, str], TrustedCertificate]:
    """The certificates whose 2D-Docs this portal accepts, by (CA id,
    certificate id): its own and those of TWODDOC_TRUST_LIST_FILE."""
    with _lock:
        cached = _cache.get("trust")
    if cached is not None:
        return cached
    own = signing_key().trusted
    trusted = {(own.ca_id, own.cert_id): own}
    if trust_list_file():
        for certificate in x509.load_pem_x509_certificates(Path(trust_list_file()).read_bytes()):
            names = _names(certificate)
            if names and names not in trusted:
                trusted[names] = TrustedCertificate(names[0], names[1], certificate)
    with _lock:
        _cache["trust"] = trusted
    return trusted
