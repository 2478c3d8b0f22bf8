"""Each way a FranceConnect sign-in must be refused: a clear French page,
no session, one journal entry."""

import datetime
import time

import pytest
from freezegun import freeze_time

from titres.core.models import AuditEvent
from titres.franceconnect.models import FranceConnectIdentity

from .fakes import CLIENT_ID, ISSUER, other_keys

pytestmark = pytest.mark.django_db


def assert_refused(client, response, reason, message, identities=0):
    assert response.status_code == 400
    html = response.content.decode()
    assert "Connexion avec FranceConnect impossible" in html
    assert message in html
    assert "_auth_user_id" not in client.session
    assert "franceconnect_id_token" not in client.session
    assert FranceConnectIdentity.objects.count() == identities
    event = AuditEvent.objects.filter(event="franceconnect.login_refused").last()
    assert event is not None and event.data["reason"] == reason


def test_the_happy_path_signs_in(client, fc):
    response = fc.sign_in()
    assert response.status_code == 302
    assert response["Location"] == "/tableau-de-bord/"
    assert client.session["franceconnect_id_token"].count(".") == 2
    assert FranceConnectIdentity.objects.get().given_name == "Jean Pierre"


def test_state_mismatch(client, fc):
    fc.start()
    response = fc.callback(state="x" * 43)
    assert_refused(client, response, "state_mismatch", "n’est pas reconnue ou a expiré")


def test_missing_state(client, fc):
    fc.start()
    response = fc.callback()
    assert_refused(client, response, "state_mismatch", "n’est pas reconnue ou a expiré")


def test_state_is_single_use(client, fc):
    query = fc.start()
    assert fc.callback(query).status_code == 302
    client.logout()
    response = fc.callback(query, code="code-2")
    assert response.status_code == 400
    assert AuditEvent.objects.filter(data__reason="state_mismatch").exists()


def test_expired_attempt(client, fc):
    query = fc.start()
    with freeze_time(datetime.datetime.now() + datetime.timedelta(minutes=11)):
        response = fc.callback(query)
    assert_refused(client, response, "state_mismatch", "n’est pas reconnue ou a expiré")


def test_replayed_code(client, fc):
    assert fc.callback(fc.start(), code="same").status_code == 302
    client.logout()
    response = fc.callback(fc.start(), code="same")
    assert_refused(client, response, "code_replayed", "déjà été utilisé", identities=1)


def test_code_refused_by_the_provider(client, fc, provider):
    provider.token_error = "invalid_grant"
    response = fc.sign_in()
    assert_refused(client, response, "code_replayed", "déjà été utilisé")


def test_other_token_endpoint_error(client, fc, provider):
    provider.token_error = "invalid_client"
    response = fc.sign_in()
    assert_refused(client, response, "token_error", "a refusé de délivrer le jeton")


def test_expired_id_token(client, fc, provider):
    provider.id_token_overrides = {"exp": int(time.time()) - 300, "iat": int(time.time()) - 400}
    response = fc.sign_in()
    assert_refused(client, response, "expired", "a expiré")


def test_wrong_audience(client, fc, provider):
    provider.id_token_overrides = {"aud": "another-service"}
    response = fc.sign_in()
    assert_refused(client, response, "wrong_audience", "n’est pas destiné à ce service")


def test_several_audiences_need_azp(client, fc, provider):
    provider.id_token_overrides = {"aud": [CLIENT_ID, "other"], "azp": "other"}
    response = fc.sign_in()
    assert_refused(client, response, "wrong_audience", "n’est pas destiné à ce service")


def test_wrong_issuer(client, fc, provider):
    provider.id_token_overrides = {"iss": "https://evil.test/api/v2"}
    response = fc.sign_in()
    assert_refused(client, response, "wrong_issuer", "ne provient pas de FranceConnect")


def test_acr_lower_than_requested(client, fc, provider, settings):
    settings.FRANCECONNECT_ACR_VALUES = "eidas2"
    response = fc.sign_in()
    assert_refused(client, response, "acr_too_low", "niveau de sécurité")


def test_missing_acr(client, fc, provider):
    provider.acr = None
    response = fc.sign_in()
    assert_refused(client, response, "acr_too_low", "niveau de sécurité")


def test_higher_acr_is_accepted(client, fc, provider):
    provider.acr = "eidas2"
    assert fc.sign_in().status_code == 302
    assert FranceConnectIdentity.objects.get().eidas_level == "eidas2"


def test_error_returned_by_the_provider(client, fc):
    query = fc.start()
    response = fc.callback(
        query, error="access_denied", error_description="User auth aborted", code=None
    )
    assert_refused(client, response, "provider_error", "n’a pas pu vous identifier")
    event = AuditEvent.objects.get(event="franceconnect.login_refused")
    # A known code, never the provider's free text.
    assert event.data["detail"] == "error=access_denied"


def test_provider_error_text_is_not_journaled(client, fc):
    query = fc.start()
    typed = "Mot-De-Passe-Secret-2026! <script>" + "x" * 5000
    response = fc.callback(query, error=typed, error_description=typed, code=None)
    assert_refused(client, response, "provider_error", "n’a pas pu vous identifier")
    event = AuditEvent.objects.get(event="franceconnect.login_refused")
    assert event.data["detail"] == "error=other"
    assert "Mot-De-Passe" not in str(event.data)


def test_nonce_mismatch(client, fc, provider):
    query = fc.start()
    provider.nonce = "n" * 43
    response = fc.callback(query)
    assert_refused(client, response, "nonce_mismatch", "ne correspond pas à votre demande")


def test_id_token_signed_with_an_unknown_key(client, fc, provider):
    provider.id_token_signer = (other_keys()["ec"], "ES256", "k1")
    response = fc.sign_in()
    assert_refused(client, response, "bad_signature", "signature")


def test_id_token_with_hs256_is_refused(client, fc, provider):
    provider.id_token_signer = (other_keys()["oct"], "HS256", "k1")
    response = fc.sign_in()
    assert_refused(client, response, "bad_signature", "signature")


def test_id_token_signed_with_rs256_is_accepted(client, fc, provider):
    provider.id_token_signer = (provider.rsa_key, "RS256", "r1")
    assert fc.sign_in().status_code == 302


def test_userinfo_signed_with_an_unknown_key(client, fc, provider):
    provider.userinfo_signer = (other_keys()["ec"], "ES256", "k1")
    response = fc.sign_in()
    assert_refused(client, response, "bad_signature", "signature")


def test_unsigned_userinfo_is_refused(client, fc, provider):
    provider.userinfo_content_type = "application/json"
    response = fc.sign_in()
    assert_refused(client, response, "bad_signature", "signature")


def test_userinfo_for_another_person(client, fc, provider):
    provider.userinfo_overrides = {"sub": "b" * 64 + "v1"}
    response = fc.sign_in()
    assert_refused(client, response, "userinfo_invalid", "informations d’identité")


def test_userinfo_for_another_service(client, fc, provider):
    provider.userinfo_overrides = {"aud": "another-service"}
    response = fc.sign_in()
    assert_refused(client, response, "wrong_audience", "n’est pas destiné à ce service")


def test_userinfo_from_another_issuer(client, fc, provider):
    provider.userinfo_overrides = {"iss": "https://evil.test"}
    response = fc.sign_in()
    assert_refused(client, response, "wrong_issuer", "ne provient pas de FranceConnect")


def test_missing_email(client, fc, provider):
    provider.identity.pop("email")
    response = fc.sign_in()
    assert_refused(client, response, "missing_email", "adresse électronique")


def test_discovery_for_another_issuer_is_refused(client, provider, settings):
    settings.FRANCECONNECT_ISSUER = "https://fc.test/other"
    settings.FRANCECONNECT_DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
    response = client.post("/franceconnect/connexion/")
    assert response.status_code == 400
    assert AuditEvent.objects.filter(data__reason="wrong_issuer").exists()


def test_unreachable_provider(client, settings):
    settings.FRANCECONNECT_ISSUER = "http://127.0.0.1:9"
    settings.FRANCECONNECT_HTTP_TIMEOUT = 2
    response = client.post("/franceconnect/connexion/")
    assert response.status_code == 502
    assert "momentanément injoignable" in response.content.decode()


def test_discovery_and_keys_are_cached(client, fc, provider):
    fc.sign_in()
    client.logout()
    fc.callback(fc.start(), code="code-2")
    assert provider.calls.count("/api/v2/.well-known/openid-configuration") == 1
    assert provider.calls.count("/api/v2/jwks") == 1
    assert provider.calls.count("/api/v2/token") == 2


def test_keys_are_fetched_again_after_a_rotation(client, fc, provider):
    fc.sign_in()
    client.logout()
    from joserfc.jwk import ECKey

    provider.key = ECKey.generate_key("P-256", parameters={"kid": "k2", "use": "sig"})
    provider.published = [provider.key]
    provider.id_token_signer = (provider.key, "ES256", "k2")
    provider.userinfo_signer = (provider.key, "ES256", "k2")
    assert fc.callback(fc.start(), code="code-2").status_code == 302
    assert provider.calls.count("/api/v2/jwks") == 2


def test_each_attempt_has_its_own_state_and_nonce(fc):
    first, second = fc.start(), fc.start()
    assert first["state"] != second["state"]
    assert first["nonce"] != second["nonce"]
    for query in (first, second):
        assert len(query["state"][0]) >= 22
        assert len(query["nonce"][0]) >= 22
        assert query["acr_values"] == ["eidas1"]
        assert query["scope"] == ["openid identite_pivot email"]
        assert query["prompt"] == ["login consent"]
