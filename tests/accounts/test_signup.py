import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail

from titres.accounts.enums import Profile
from titres.accounts.models import TermsAcceptance, User
from titres.core.models import AuditEvent

from .conftest import assert_form_error
from .factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/compte/inscription/"


def signup_data(**overrides):
    data = {
        "profile": Profile.PARTICULIER,
        "username": "camille.m",
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.fr",
        "sex": "F",
        "phone": "06 12 34 56 78",
        "organisation_name": "",
        "approval_number": "",
        "siret": "",
        "password1": "Correct-Cheval-2026!",
        "password2": "Correct-Cheval-2026!",
        "secret_question": "first_pet",
        "secret_answer": "  Rex ",
        "accept_terms": "on",
        "captcha_0": "cle",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def test_form_shows_fields_of_seed_002(client, terms):
    page = client.get(URL).content.decode()
    for text in [
        "Profil principal",
        "Veuillez définir un identifiant pour votre compte",
        "Prénom",
        "Adresse e-mail",
        "Sexe",
        "Femme",
        "Homme",
        "Téléphone (n° à 10 chiffres)",
        "Question secrète",
        "Réponse à votre question secrète",
        "IMPORTANT :",
        "Merci de bien vouloir vérifier l’exactitude de votre numéro de téléphone et adresse "
        "e-mail qui vous seront demandés en cas d’oubli d’identifiant ou de mot de passe.",
        "J’accepte les conditions générales d’utilisation et les règles de confidentialité",
        "Code de sécurité",
        "Conditions générales d’utilisation en vigueur : version 1",
        "Enregistrer",
    ]:
        assert text in page, text
    assert 'src="/captcha/image/' in page


def test_particulier_signs_up_and_receives_activation_link(client, terms, run_on_commit):
    with run_on_commit():
        response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert response.url == "/compte/inscription/envoyee/"
    user = User.objects.get(username="camille.m")
    assert not user.is_active
    assert user.email_verified_at is None
    assert user.phone == "+33612345678"
    assert user.check_password("Correct-Cheval-2026!")
    assert user.password.startswith("argon2")
    # The secret answer is hashed, never stored in clear.
    assert "Rex" not in user.secret_answer_hash
    assert check_password("rex", user.secret_answer_hash)
    assert user.check_secret_answer("REX")
    acceptance = TermsAcceptance.objects.get(user=user)
    assert acceptance.version == terms
    assert AuditEvent.objects.filter(event="accounts.signup", object_id=str(user.pk)).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@exemple.fr"]
    assert message.subject == "Activez votre compte Titres"
    assert "/compte/activation/" in message.body
    assert "48 heures" in message.body
    done = client.get(response.url).content.decode()
    assert "camille@exemple.fr" in done


@pytest.mark.parametrize(
    ("profile", "extra", "stored"),
    [
        (
            Profile.AUTO_ECOLE,
            {"organisation_name": "Auto-école du Lac", "approval_number": "e0207500010"},
            {"approval_number": "E 02 075 0001 0", "siret": ""},
        ),
        (
            Profile.CENTRE_SENSIBILISATION,
            {"organisation_name": "CSSR Marseille", "approval_number": "R 13 013 0004 0"},
            {"approval_number": "R 13 013 0004 0"},
        ),
        (
            Profile.PERSONNE_MORALE,
            {"organisation_name": "Transports Moreau", "siret": "732 829 320 00074"},
            {"siret": "73282932000074", "approval_number": ""},
        ),
    ],
)
def test_professional_profiles_sign_up(client, terms, run_on_commit, profile, extra, stored):
    with run_on_commit():
        response = client.post(URL, signup_data(profile=profile, **extra))
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="camille.m")
    assert user.profile == profile
    assert user.organisation_name == extra["organisation_name"]
    for field, value in stored.items():
        assert getattr(user, field) == value
    assert not user.is_active
    assert "/compte/activation/" in mail.outbox[0].body


def test_fields_of_other_profiles_are_ignored(client, terms):
    client.post(URL, signup_data(siret="732 829 320 00074", approval_number="E 02 075 0001 0"))
    user = User.objects.get(username="camille.m")
    assert user.siret == "" and user.approval_number == "" and user.organisation_name == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"profile": Profile.AUTO_ECOLE, "organisation_name": "AE"},
            "approval_number",
            "Le numéro d’agrément est obligatoire pour ce profil.",
        ),
        (
            {
                "profile": Profile.AUTO_ECOLE,
                "organisation_name": "AE",
                "approval_number": "123456",
            },
            "approval_number",
            "Le numéro d’agrément doit avoir la forme E AA DDD NNNN C (exemple : E 02 075 0001 0).",
        ),
        (
            {
                "profile": Profile.CENTRE_SENSIBILISATION,
                "organisation_name": "CSSR",
                "approval_number": "E 02 075 0001 0",
            },
            "approval_number",
            "Le numéro d’agrément doit avoir la forme R AA DDD NNNN C (exemple : R 13 013 0004 0).",
        ),
        (
            {"profile": Profile.PERSONNE_MORALE, "organisation_name": "SAS"},
            "siret",
            "Le numéro SIRET est obligatoire pour une personne morale.",
        ),
        (
            {
                "profile": Profile.PERSONNE_MORALE,
                "organisation_name": "SAS",
                "siret": "732 829 320 00075",
            },
            "siret",
            "Ce numéro SIRET n’est pas valide : il doit comporter 14 chiffres et sa clé de "
            "contrôle doit être exacte.",
        ),
        (
            {"profile": Profile.PERSONNE_MORALE, "siret": "73282932000074"},
            "organisation_name",
            "La raison sociale est obligatoire pour ce profil.",
        ),
        (
            {"accept_terms": ""},
            "accept_terms",
            "Vous devez accepter les conditions générales d’utilisation et les règles de "
            "confidentialité pour créer votre compte.",
        ),
        (
            {"captcha_1": "mauvais"},
            "captcha",
            "Le code de sécurité saisi est incorrect. Veuillez recommencer.",
        ),
        (
            {"captcha_1": ""},
            "captcha",
            "Le code de sécurité saisi est incorrect. Veuillez recommencer.",
        ),
        (
            {"password1": "motdepasse", "password2": "motdepasse"},
            "password1",
            "Votre mot de passe doit contenir au moins 12 caractères, dont au moins une "
            "majuscule, une minuscule, un chiffre et un caractère spécial.",
        ),
        (
            {"password1": "Abcdefgh1234", "password2": "Abcdefgh1234"},
            "password1",
            "Votre mot de passe doit contenir au moins 12 caractères, dont au moins une "
            "majuscule, une minuscule, un chiffre et un caractère spécial.",
        ),
        (
            {"password2": "Autre-Cheval-2026!"},
            "password2",
            "Les deux mots de passe ne correspondent pas.",
        ),
        (
            {"phone": "06 12 34 56"},
            "phone",
            "Saisissez un numéro de téléphone français à 10 chiffres (exemple : 06 12 34 56 78).",
        ),
        (
            {"phone": "00 12 34 56 78"},
            "phone",
            "Saisissez un numéro de téléphone français à 10 chiffres (exemple : 06 12 34 56 78).",
        ),
        (
            {"username": "é"},
            "username",
            "L’identifiant doit comporter de 3 à 30 caractères : lettres sans accent, "
            "chiffres, point, tiret ou tiret bas.",
        ),
        (
            {"profile": Profile.PRO_SIV},
            "profile",
            "Les professionnels de l’automobile habilités SIV ne créent pas leur compte "
            "eux-mêmes : il est créé à partir de l’habilitation délivrée par votre "
            "préfecture, et la procédure de connexion vous est envoyée par courriel.",
        ),
        (
            {"profile": Profile.MAIRIE},
            "profile",
            "Les mairies équipées d’un dispositif de recueil demandent la création de leur "
            "compte avec le formulaire de contact dédié.",
        ),
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire."),
    ],
)
def test_refusals_show_exact_message(client, terms, overrides, field, message):
    response = client.post(URL, signup_data(**overrides))
    assert_form_error(response, field, message)
    assert not User.objects.filter(username="camille.m").exists()
    assert mail.outbox == []


def test_common_password_is_refused(client, terms, settings):
    # Four kinds of characters, but in Django's list of common passwords
    # (compared in lower case).
    response = client.post(
        URL, signup_data(password1="Mega_Pizdetz666", password2="Mega_Pizdetz666")
    )
    assert_form_error(response, "password1", "Ce mot de passe est trop courant.")


def test_duplicate_identifier_is_refused_whatever_the_case(client, terms):
    UserFactory(username="Camille.M")
    response = client.post(URL, signup_data())
    assert_form_error(
        response, "username", "Cet identifiant est déjà utilisé. Veuillez en choisir un autre."
    )


def test_duplicate_email_is_never_revealed_a_mail_goes_to_the_address(
    client, terms, mailoutbox, django_capture_on_commit_callbacks
):
    # Security review item 4: the page must not say that an address has an
    # account; its owner is told by e-mail instead.
    existing = UserFactory(email="Camille@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    assert User.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[existing.email]]
    assert "Un compte existe déjà avec cette adresse" in mailoutbox[0].body
    assert "Un compte existe déjà" not in response.content.decode()


def test_wrong_captcha_reveals_neither_identifier_nor_email(client, terms):
    UserFactory(username="camille.m", email="camille@exemple.fr")
    response = client.post(URL, signup_data(captcha_1="FAUX"))
    page = response.content.decode()
    assert "Le code de sécurité saisi est incorrect." in page
    assert "Cet identifiant est déjà utilisé" not in page
    assert "Un compte existe déjà" not in page


def test_signups_are_limited_per_address(client, terms, monkeypatch):
    monkeypatch.setattr("titres.accounts.views.SIGNUP_IP_LIMIT", "2/hour")
    for index in range(2):
        client.post(URL, signup_data(username=f"camille{index}", email=f"c{index}@exemple.fr"))
    response = client.post(URL, signup_data(username="camille9", email="c9@exemple.fr"))
    assert response.status_code == 429
    assert (
        "Trop de tentatives d’inscription depuis votre adresse réseau. Réessayez dans une heure."
        in response.content.decode()
    )
    assert User.objects.filter(username="camille9").count() == 0


def test_real_captcha_is_checked_outside_test_mode(client, terms, settings):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore

    captcha_settings.CAPTCHA_TEST_MODE = False
    try:
        store = CaptchaStore.objects.create(challenge="ABCDEF", response="abcdef")
        response = client.post(URL, signup_data(captcha_0=store.hashkey, captcha_1="PASSED"))
        assert response.status_code == 200
        store = CaptchaStore.objects.create(challenge="ABCDEF", response="abcdef")
        response = client.post(URL, signup_data(captcha_0=store.hashkey, captcha_1="ABCDEF"))
        assert response.status_code == 302
    finally:
        captcha_settings.CAPTCHA_TEST_MODE = True


def test_signup_without_published_terms_still_works(client):
    response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert not TermsAcceptance.objects.exists()


def test_signed_in_user_is_sent_to_dashboard(client, terms):
    client.force_login(UserFactory())
    assert client.get(URL).url == "/tableau-de-bord/"


def test_english_translation(client, terms):
    client.cookies["django_language"] = "en"
    response = client.post(URL, signup_data(accept_terms=""), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Create my account" in page
    assert "You must accept the terms of use and the privacy rules to create your account." in page
