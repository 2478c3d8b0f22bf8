"""The CAPTCHA's spoken alternative and its limits (issue 10, item 5): a
written question was solved by a script; the alternative is six digits said
by espeak-ng, and challenges, listenings and answers are limited per IP and
per session."""

import io
import re
import shutil
import wave

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.test import Client

from titres.accounts import captcha, speech
from titres.accounts.models import User

from .test_signup import URL, signup_data

pytestmark = pytest.mark.django_db

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(not ESPEAK, reason="espeak-ng absent (apt-get install espeak-ng)")
FAKE_WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


@pytest.fixture
def espeak(settings):
    if not ESPEAK:
        pytest.skip("espeak-ng absent (apt-get install espeak-ng)")
    settings.CAPTCHA_ESPEAK_PATH = ESPEAK
    return ESPEAK


@pytest.fixture
def fake_speech(settings, monkeypatch):
    """For the limits: a synthesiser that answers at once (the real one is
    exercised by the tests marked needs_espeak)."""
    settings.CAPTCHA_ESPEAK_PATH = "/usr/bin/espeak-ng-simule"
    calls = []

    def spoken(digits):
        calls.append(digits)
        return FAKE_WAV + digits.encode()

    monkeypatch.setattr(speech, "spoken_digits", spoken)
    return calls


@pytest.fixture
def real_check():
    captcha_settings.CAPTCHA_TEST_MODE = False
    yield
    captcha_settings.CAPTCHA_TEST_MODE = True


def audio_key(page: str) -> str:
    return re.search(r'src="/captcha/audio/(\w+)\.wav"', page).group(1)


def switch_to_audio(client, url=URL, data=None):
    return client.post(url, {**(data or signup_data()), "switch_captcha": "audio"})


# --- the spoken challenge --------------------------------------------------


def test_image_page_offers_to_listen_instead(client, terms, fake_speech):
    page = client.get(URL).content.decode()
    assert 'src="/captcha/image/' in page
    assert "Écouter un code à la place de l’image" in page
    assert "utilisez le bouton « Écouter un code à la place de l’image »" in page


def test_switch_to_audio_keeps_typed_values_and_shows_a_player(client, terms, fake_speech):
    response = switch_to_audio(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="/captcha/image/' not in page
    assert "<audio" in page and "controls" in page
    assert "Télécharger le code à écouter (fichier audio WAV)" in page
    assert str(captcha.AUDIO_HELP) in page
    assert "Revenir au code en image" in page
    assert 'name="captcha_mode" value="audio"' in page
    # The label is tied to the answer field.
    assert 'for="id_captcha_1"' in page
    assert 'value="camille.m"' in page
    assert "Correct-Cheval-2026!" not in page
    store = CaptchaStore.objects.get(hashkey=audio_key(page))
    assert store.challenge.startswith(captcha.AUDIO_PREFIX)
    assert re.fullmatch(r"\d{6}", store.response)
    # Nothing on the page gives the digits away (the written question did).
    assert store.response not in page.replace(store.hashkey, "")
    assert not User.objects.exists()


def test_audio_answer_is_checked(client, terms, fake_speech, real_check):
    page = switch_to_audio(client).content.decode()
    store = CaptchaStore.objects.get(hashkey=audio_key(page))
    wrong = str((int(store.response) + 1) % 1_000_000).zfill(6)
    response = client.post(
        URL, signup_data(captcha_0=store.hashkey, captcha_1=wrong, captcha_mode="audio")
    )
    assert "Le code de sécurité saisi est incorrect. Veuillez recommencer." in (
        response.content.decode()
    )
    # One try per challenge: the right digits no longer work on that one.
    response = client.post(
        URL, signup_data(captcha_0=store.hashkey, captcha_1=store.response, captcha_mode="audio")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="captcha_mode" value="audio"' in page  # stays in audio mode
    store = CaptchaStore.objects.get(hashkey=audio_key(page))
    response = client.post(
        URL, signup_data(captcha_0=store.hashkey, captcha_1=store.response, captcha_mode="audio")
    )
    assert response.status_code == 302
    assert User.objects.filter(username="camille.m").exists()


def test_back_to_image(client, terms, fake_speech):
    response = client.post(URL, {**signup_data(), "switch_captcha": "image"})
    page = response.content.decode()
    assert 'src="/captcha/image/' in page
    assert "<audio" not in page


@needs_espeak
def test_audio_is_french_speech_that_differs_each_time(client, espeak):
    challenge, digits = captcha.audio_challenge()
    first = CaptchaStore.objects.create(challenge=challenge, response=digits)
    second = CaptchaStore.objects.create(challenge=challenge, response=digits)
    response = client.get(f"/captcha/audio/{first.hashkey}.wav")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Cache-Control"].startswith("max-age=0")
    with wave.open(io.BytesIO(response.content)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        seconds = wav.getnframes() / wav.getframerate()
    assert 3 < seconds < 15
    # A player asking again gets the same file; another challenge with the
    # same digits does not sound the same (no waveform to match).
    assert client.get(f"/captcha/audio/{first.hashkey}.wav").content == response.content
    other = client.get(f"/captcha/audio/{second.hashkey}.wav").content
    assert other != response.content


@needs_espeak
def test_speech_module_refuses_anything_but_digits(espeak):
    with pytest.raises(ValueError):
        speech.spoken_digits("12; rm -rf /")


def test_image_of_a_spoken_challenge_and_audio_of_an_image_are_gone(client, fake_speech):
    spoken = CaptchaStore.objects.create(challenge="audio:123456", response="123456")
    image = CaptchaStore.objects.create(challenge="ABCDEF", response="abcdef")
    assert client.get(f"/captcha/image/{spoken.hashkey}/").status_code == 410
    assert client.get(f"/captcha/image/{image.hashkey}/").status_code == 200
    response = client.get(f"/captcha/audio/{image.hashkey}.wav")
    assert response.status_code == 410
    assert response.content.decode() == "Ce code de sécurité a expiré : rechargez la page."
    assert client.get("/captcha/audio/inconnu.wav").status_code == 410


def test_library_refresh_url_is_not_mounted(client):
    # It made a new challenge per request, without any limit.
    assert client.get("/captcha/refresh/").status_code == 404


def test_synthesiser_failure_is_a_503_not_a_500(client, settings):
    settings.CAPTCHA_ESPEAK_PATH = "/bin/false"
    store = CaptchaStore.objects.create(challenge="audio:123456", response="123456")
    response = client.get(f"/captcha/audio/{store.hashkey}.wav")
    assert response.status_code == 503
    assert response.content.decode() == (
        "L’écoute du code de sécurité est momentanément indisponible."
    )


# --- without espeak-ng ---------------------------------------------------------


def test_without_espeak_the_form_offers_the_image_and_says_how_to_get_help(client, terms, settings):
    settings.CAPTCHA_ESPEAK_PATH = ""
    page = client.get(URL).content.decode()
    assert "Écouter un code à la place de l’image" not in page
    assert "contactez-nous à l’adresse indiquée sur la page « Accessibilité »" in page
    # Asking for audio anyway falls back to the image.
    page = switch_to_audio(client).content.decode()
    assert 'src="/captcha/image/' in page
    assert "<audio" not in page
    store = CaptchaStore.objects.create(challenge="audio:123456", response="123456")
    response = client.get(f"/captcha/audio/{store.hashkey}.wav")
    assert response.status_code == 404
    assert response.content.decode() == "L’écoute du code de sécurité n’est pas disponible."


def test_system_check_warns_in_production_without_espeak(settings):
    from titres.accounts.checks import spoken_captcha_available

    settings.DEBUG = False
    settings.CAPTCHA_ESPEAK_PATH = ""
    assert [w.id for w in spoken_captcha_available(None)] == ["accounts.W001"]
    settings.CAPTCHA_ESPEAK_PATH = "/usr/bin/espeak-ng"
    assert spoken_captcha_available(None) == []


# --- limits ------------------------------------------------------------------


def test_challenges_are_limited_per_session(client, terms, settings, fake_speech):
    settings.CAPTCHA_RATE_LIMITS = {"challenge_session": 2}
    for _ in range(2):
        assert 'src="/captcha/image/' in client.get(URL).content.decode()
    count = CaptchaStore.objects.count()
    page = client.get(URL).content.decode()
    assert str(captcha.CHALLENGES_LIMITED) in page
    assert 'src="/captcha/image/' not in page
    assert CaptchaStore.objects.count() == count  # nothing stored
    # Another visitor is not affected.
    assert 'src="/captcha/image/' in Client().get(URL).content.decode()


def test_challenges_are_limited_per_ip(terms, settings, fake_speech):
    settings.CAPTCHA_RATE_LIMITS = {"challenge_ip": "2/hour"}
    for _ in range(2):
        assert 'src="/captcha/image/' in Client().get(URL).content.decode()
    page = Client().get(URL).content.decode()
    assert (
        "Trop de codes de sécurité ont été demandés depuis votre connexion. Par sécurité, "
        "réessayez dans une heure." in page
    )
    other = Client(REMOTE_ADDR="192.0.2.7").get(URL).content.decode()
    assert 'src="/captcha/image/' in other


def test_answers_are_limited_per_session(client, terms, settings):
    settings.CAPTCHA_RATE_LIMITS = {"attempt_session": 2}
    for index in range(2):
        client.post(URL, signup_data(captcha_1="FAUX", username=f"camille{index}"))
    response = client.post(URL, signup_data())  # even the right answer
    assert response.status_code == 200
    assert (
        "Trop de codes de sécurité ont été saisis depuis votre connexion. Par sécurité, "
        "réessayez dans une heure." in response.content.decode()
    )
    assert not User.objects.exists()


def test_answers_are_limited_per_ip(terms, settings):
    settings.CAPTCHA_RATE_LIMITS = {"attempt_ip": "1/hour"}
    Client().post(URL, signup_data(captcha_1="FAUX"))
    response = Client().post(URL, signup_data())
    assert str(captcha.ATTEMPTS_LIMITED) in response.content.decode()
    assert not User.objects.exists()


def test_listenings_are_limited_per_session(client, settings, fake_speech):
    settings.CAPTCHA_RATE_LIMITS = {"audio_session": 2}
    keys = [CaptchaStore.generate_key(captcha.audio_challenge) for _ in range(3)]
    assert client.get(f"/captcha/audio/{keys[0]}.wav").status_code == 200
    assert client.get(f"/captcha/audio/{keys[1]}.wav").status_code == 200
    response = client.get(f"/captcha/audio/{keys[2]}.wav")
    assert response.status_code == 429
    assert response.content.decode() == (
        "Ce code a été écouté trop de fois. Rechargez la page pour obtenir un nouveau code, "
        "ou réessayez dans une heure."
    )
    assert Client().get(f"/captcha/audio/{keys[2]}.wav").status_code == 200


def test_listenings_are_limited_per_ip(settings, fake_speech):
    settings.CAPTCHA_RATE_LIMITS = {"audio_ip": "1/hour"}
    key = CaptchaStore.generate_key(captcha.audio_challenge)
    assert Client().get(f"/captcha/audio/{key}.wav").status_code == 200
    assert Client().get(f"/captcha/audio/{key}.wav").status_code == 429


def test_one_challenge_is_served_a_bounded_number_of_times_and_rendered_once(settings, fake_speech):
    key = CaptchaStore.generate_key(captcha.audio_challenge)
    served = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").get(f"/captcha/audio/{key}.wav").status_code
        for n in range(1, 12)
    ]
    limit = captcha.AUDIO_PLAYS_PER_CHALLENGE * 3
    assert served == [200] * limit + [429] * (11 - limit)
    assert len(fake_speech) == 1  # the same bytes each time, from the cache


def test_mairie_request_has_the_spoken_alternative(client, fake_speech, real_check):
    from .test_operators import mairie_data

    page = client.post(
        "/compte/demande-mairie/", {**mairie_data(), "switch_captcha": "audio"}
    ).content.decode()
    store = CaptchaStore.objects.get(hashkey=audio_key(page))
    response = client.post(
        "/compte/demande-mairie/",
        mairie_data(captcha_0=store.hashkey, captcha_1=store.response, captcha_mode="audio"),
    )
    assert response.status_code == 302
