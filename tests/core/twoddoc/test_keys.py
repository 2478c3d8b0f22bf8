import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured

from titres.core import checks, twoddoc
from titres.core.twoddoc import keys

from .factories import cession_fields


def _write_pair(tmp_path, ca="FR05", cert="PR01"):
    key, certificate = keys.generate_development_key(ca, cert)
    key_path, cert_path = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate, key_path, cert_path


def test_development_key_is_made_once_and_kept(settings):
    first = keys.signing_key()
    path = keys.dev_key_path()
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    keys.reset()
    again = keys.signing_key()
    assert again.trusted.fingerprint == first.trusted.fingerprint
    assert (again.ca_id, again.cert_id) == ("FR00", "TD01")


def test_production_without_keys_is_refused(monkeypatch):
    monkeypatch.setattr(keys, "STARTED_WITH_DEBUG", False)
    refusal = keys.configuration_refusal()
    assert refusal.startswith("Aucune clé de signature 2D-Doc configurée alors que DEBUG")
    with pytest.raises(ImproperlyConfigured):
        twoddoc.encode("A8", cession_fields())
    [error] = checks.twoddoc_keys_configured(None)
    assert error.id == "core.E2DD1" and error.msg == refusal


def test_isolated_acceptance_server_may_use_development_keys(monkeypatch, settings):
    monkeypatch.setattr(keys, "STARTED_WITH_DEBUG", False)
    settings.TWODDOC_ALLOW_DEV_KEYS = True
    assert keys.configuration_refusal() == ""
    assert checks.twoddoc_keys_configured(None) == []
    assert twoddoc.verify(twoddoc.encode("A8", cession_fields())).authentic


def test_configured_production_key(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(keys, "STARTED_WITH_DEBUG", False)
    _, certificate, key_path, cert_path = _write_pair(tmp_path)
    settings.TWODDOC_SIGNING_KEY_FILE = str(key_path)
    settings.TWODDOC_CERTIFICATE_FILE = str(cert_path)
    settings.TWODDOC_CA_ID = "FR05"
    settings.TWODDOC_CERTIFICATE_ID = "PR01"
    assert checks.twoddoc_keys_configured(None) == []
    text = twoddoc.encode("A8", cession_fields())
    assert text.startswith("DC04FR05PR01")
    result = twoddoc.verify(text)
    assert result.authentic
    assert result.certificate.certificate == certificate
    assert not keys.dev_key_path().exists()


def test_key_without_certificate_is_refused(settings, tmp_path):
    _, _, key_path, _ = _write_pair(tmp_path)
    settings.TWODDOC_SIGNING_KEY_FILE = str(key_path)
    assert keys.configuration_refusal().startswith(
        "TWODDOC_SIGNING_KEY_FILE et TWODDOC_CERTIFICATE_FILE vont ensemble"
    )


def test_certificate_of_another_key_is_refused(settings, tmp_path):
    _, _, key_path, _ = _write_pair(tmp_path)
    (tmp_path / "other").mkdir()
    _, _, _, other_cert = _write_pair(tmp_path / "other", cert="PR02")
    settings.TWODDOC_SIGNING_KEY_FILE = str(key_path)
    settings.TWODDOC_CERTIFICATE_FILE = str(other_cert)
    with pytest.raises(ImproperlyConfigured) as exc:
        keys.signing_key()
    assert str(exc.value) == "Le certificat 2D-Doc ne correspond pas à la clé de signature."
