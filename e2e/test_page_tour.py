"""Page tours: every page a citizen or an agent uses that no other journey
visits, opened as the right user (and, for forms, once with their errors
shown), each with the axe-core accessibility check.

The other journeys already cover the sign-up, sign-in and recovery pages,
the FranceConnect sign-in, the wizards, the shop's purchase, the licence
attachment form and the agent's suspend / validate journey: this file only
completes them."""

import re

import pytest
from playwright.sync_api import expect

from e2e.pagecheck import cells_cut

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

AGENT_PASSWORD = "Agent-Titres-2026!"


def _visit(page, check_a11y, url, heading):
    """Open `url`, wait for its main heading, check the page."""
    page.goto(url)
    expect(page.locator("h1")).to_contain_text(heading)
    check_a11y(page)


def _without_browser_validation(page):
    """Let the server answer an incomplete form (its errors are the pages
    we want to check): the browser's own checks would stop the submit."""
    page.evaluate("() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true))")


def _errors_shown(page):
    expect(
        page.locator(".fr-error-text, .fr-alert--error, .fr-message--error").first
    ).to_be_visible()


# --- Citizen: account ----------------------------------------------------------------


def test_citizen_account_pages(page, login_as, check_a11y):
    from tests.accounts.factories import UserFactory
    from titres.accounts.demo import ensure_terms

    ensure_terms()
    user = UserFactory(username="camille.tour", email="camille.tour@exemple.fr")
    login_as(page, user)

    _visit(page, check_a11y, "/compte/", "Mon compte")
    expect(page.locator("main")).to_contain_text("camille.tour")

    page.get_by_role("link", name="Modifier mes coordonnées").first.click()
    expect(page.locator("h1")).to_have_text("Modifier mes coordonnées")
    check_a11y(page)
    page.get_by_label("Prénom").fill("")
    _without_browser_validation(page)
    page.get_by_role("button", name="Enregistrer").click()
    _errors_shown(page)
    check_a11y(page)

    _visit(page, check_a11y, "/compte/mot-de-passe/", "Changer mon mot de passe")
    _without_browser_validation(page)
    page.get_by_role("button", name="Enregistrer").click()
    _errors_shown(page)
    check_a11y(page)

    _visit(page, check_a11y, "/compte/mes-donnees/", "Télécharger mes données")
    expect(page.get_by_role("button", name="Télécharger mes données (JSON)")).to_be_visible()

    _visit(page, check_a11y, "/compte/supprimer/", "Supprimer mon compte")
    _without_browser_validation(page)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    _errors_shown(page)
    check_a11y(page)

    _visit(page, check_a11y, "/compte/conditions-generales/", "Conditions générales")
    _visit(page, check_a11y, "/compte/deconnexion/", "Se déconnecter")


def test_new_terms_must_be_accepted(page, login_as, check_a11y):
    from tests.accounts.factories import TermsVersionFactory, UserFactory
    from titres.accounts.demo import ensure_terms

    ensure_terms()
    user = UserFactory()
    TermsVersionFactory(version=99)
    login_as(page, user)
    page.goto("/tableau-de-bord/")
    expect(page.locator("h1")).to_have_text("Conditions générales d’utilisation")
    expect(page.get_by_role("button", name="Accepter et continuer")).to_be_visible()
    check_a11y(page)


def test_public_account_pages(page, check_a11y):
    from titres.accounts.demo import ensure_terms

    ensure_terms()
    _visit(page, check_a11y, "/compte/conditions-generales/", "Conditions générales")

    _visit(page, check_a11y, "/compte/demande-mairie/", "Demande de compte pour une mairie")
    _without_browser_validation(page)
    page.get_by_role("button", name="Envoyer la demande").click()
    _errors_shown(page)
    check_a11y(page)
    # The spoken code replaces the image (e2e/test_captcha_audio.py follows
    # it to the end); offered only where espeak-ng is installed.
    listen = page.get_by_role("button", name="Écouter un code à la place de l’image")
    if listen.count():
        listen.click()
        expect(page.locator("h1")).to_have_text("Demande de compte pour une mairie")
        expect(page.get_by_role("button", name="Revenir au code en image")).to_be_visible()
        check_a11y(page)

    _visit(
        page, check_a11y, "/compte/activation/renvoyer/", "Recevoir un nouveau lien d’activation"
    )


def test_first_connection_page(page, check_a11y):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tests.accounts.factories import UserFactory
    from titres.accounts.tokens import account_setup_token

    user = UserFactory(email_verified_at=None)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = account_setup_token.make_token(user)
    _visit(page, check_a11y, f"/compte/premiere-connexion/{uid}/{token}/", "Première connexion")


# --- Citizen: FranceConnect ---------------------------------------------------------


def test_franceconnect_identity_pages(page, login_as, check_a11y):
    from tests.franceconnect.factories import FranceConnectIdentityFactory, UserFactory
    from titres.devidp.demo import load as load_devidp

    load_devidp()
    # Not linked: the page offers the link.
    login_as(page, UserFactory())
    _visit(page, check_a11y, "/franceconnect/", "FranceConnect")
    expect(page.get_by_role("button", name="Lier mon compte à FranceConnect")).to_be_visible()

    # Linked, with a password: the identity and the unlink button.
    identity = FranceConnectIdentityFactory(family_name="ROUX", given_name="Camille")
    page.context.clear_cookies()
    login_as(page, identity.user)
    _visit(page, check_a11y, "/franceconnect/", "FranceConnect")
    expect(page.get_by_role("cell", name="ROUX")).to_be_visible()
    expect(page.get_by_role("button", name="Délier mon compte de FranceConnect")).to_be_visible()


def test_franceconnect_link_to_an_existing_account(page, check_a11y, mailbox):
    from tests.franceconnect.factories import UserFactory
    from titres.devidp.demo import load as load_devidp

    load_devidp()
    UserFactory(username="marie.martin", email="marie.martin@example.org")
    page.goto("/franceconnect/connexion/")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_text("Marie MARTIN (LEFEBVRE)").click()
    page.get_by_role("button", name="Se connecter avec cette identité").click()

    expect(page).to_have_url(re.compile(r"/franceconnect/lier/$"))
    expect(page.locator("h1")).to_have_text("Lier votre compte à FranceConnect")
    check_a11y(page)
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Lier mon compte").click()
    _errors_shown(page)
    check_a11y(page)

    page.get_by_role("button", name="Recevoir un lien de confirmation").click()
    expect(page.get_by_text("Un courriel contenant un lien de confirmation")).to_be_visible()
    check_a11y(page)
    mail = next(m for m in mailbox.all() if "marie.martin@example.org" in m.to)
    path = re.search(r"/franceconnect/lier/confirmer/\S+/", mail.body).group(0)
    _visit(page, check_a11y, path, "Confirmer la liaison avec FranceConnect")


# --- Citizen: démarches -------------------------------------------------------------


@pytest.fixture
def toy_procedure():
    from tests.procedures import toy
    from titres.procedures.registry import register_procedure, unregister_procedure

    register_procedure(toy.definition(), replace=True)
    yield toy
    unregister_procedure(toy.CODE)


def test_citizen_demarches_pages(page, login_as, check_a11y, toy_procedure, settings):
    from tests.procedures.factories import (
        AuthorityFactory,
        DemarcheFactory,
        DocumentFactory,
        MessageFactory,
        UserFactory,
        agent,
    )
    from titres.procedures.enums import DocumentStatus, MessageKind, Role

    settings.CLAMAV_URL = ""
    AuthorityFactory(code="543", departements=["54"])
    citizen = UserFactory(email="pierre.corneille@example.org")
    officer = agent()
    DemarcheFactory(owner=citizen)  # a draft
    submitted = DemarcheFactory(owner=citizen, submitted=True, with_documents=True)
    MessageFactory(demarche=submitted, body="Quand aurai-je une réponse ?")
    answer = MessageFactory(
        demarche=submitted,
        author=officer,
        author_role=Role.AGENT_INSTRUCTEUR,
        body="Votre demande est en cours d’instruction.",
    )
    awaiting = DemarcheFactory(owner=citizen, awaiting=True, with_documents=True)
    MessageFactory(
        demarche=awaiting,
        author=officer,
        author_role=Role.AGENT_INSTRUCTEUR,
        kind=MessageKind.DEMANDE_COMPLEMENT,
        body="Merci de joindre un justificatif de domicile récent.",
    )
    scanning = DocumentFactory(demarche=submitted, status=DocumentStatus.EN_ANALYSE)
    DemarcheFactory(owner=citizen, done=True)
    login_as(page, citizen)

    _visit(page, check_a11y, "/demarches/", "Mes démarches")
    expect(page.locator("tbody tr")).to_have_count(4)
    # Every column readable at 1280 px without scrolling the table: the
    # actions were cut (« Consulte ») by the titles and badges kept on one line.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert cells_cut(page, "#mes-demarches table") == []
    _visit(page, check_a11y, f"/demarches/?q={submitted.number}", "Mes démarches")
    expect(page.locator("tbody tr")).to_have_count(1)
    _visit(page, check_a11y, "/demarches/?q=introuvable", "Mes démarches")

    _visit(page, check_a11y, f"/demarches/{submitted.number}/", submitted.title)
    expect(page.locator("main")).to_contain_text("Quand aurai-je une réponse ?")
    _visit(page, check_a11y, f"/demarches/messages/{answer.pk}/", "Message")
    expect(page.locator("main")).to_contain_text("Votre demande est en cours d’instruction.")
    _visit(page, check_a11y, f"/demarches/{submitted.number}/abandonner/", "Abandonner")
    _visit(page, check_a11y, f"/demarches/pieces/{scanning.pk}/", scanning.label)

    _visit(page, check_a11y, f"/demarches/{awaiting.number}/complement/", "Reprise")
    expect(page.locator("main")).to_contain_text("justificatif de domicile récent")
    _visit(page, check_a11y, f"/demarches/{awaiting.number}/", awaiting.title)


def test_new_request_category_pages(page, login_as, check_a11y, toy_procedure):
    from tests.procedures.factories import UserFactory
    from titres.procedures.enums import Category

    login_as(page, UserFactory())
    _visit(page, check_a11y, "/demarches/nouvelle/", "Nouvelle demande")
    for category in Category:
        _visit(page, check_a11y, f"/demarches/nouvelle/{category.value}/", str(category.label))


# --- Citizen: licence --------------------------------------------------------------


def test_licence_record_pages(page, login_as, check_a11y):
    from tests.permis.factories import (
        LicenceCategoryFactory,
        LicenceHolderLinkFactory,
        LicenceRecordFactory,
        LicenceTitleFactory,
        holder_user,
    )

    record = LicenceRecordFactory(neph="745490000015", points_balance=9)
    LicenceCategoryFactory(record=record, category="B")
    LicenceCategoryFactory(record=record, category="A")
    LicenceTitleFactory(record=record, number="17AA00001")
    user = holder_user()
    LicenceHolderLinkFactory(user=user, record=record)
    login_as(page, user)

    page.goto("/permis/mon-permis/")
    expect(page).to_have_url(re.compile(r"/permis/mon-permis/745490000015/$"))
    expect(page.locator("#points-balance")).to_have_text("9 / 12 points")
    check_a11y(page)

    # A suspended licence shows why it cannot be renewed online.
    suspended = LicenceRecordFactory(suspended=True)
    from titres.permis.models import LicenceHolderLink

    LicenceHolderLink.objects.filter(user=user).update(record=suspended)
    _visit(page, check_a11y, f"/permis/mon-permis/{suspended.neph}/", "Mon permis de conduire")


def test_driving_school_candidates_pages(page, login_as, check_a11y):
    from tests.procedures.factories import DemarcheFactory, UserFactory
    from titres.accounts.enums import Profile
    from titres.permis.procedure import CODE

    school = UserFactory(profile=Profile.AUTO_ECOLE, organisation_name="École de conduite Stan")
    login_as(page, school)
    _visit(page, check_a11y, "/permis/demandes/candidats/", "Demandes de permis de vos candidats")
    expect(page.get_by_text("Aucune demande pour le moment.")).to_be_visible()

    for name, first in [("DUPONT", "Léa"), ("MARTIN", "Hugo")]:
        DemarcheFactory(
            owner=school,
            procedure_code=CODE,
            answers={},
            acting_for={"type": "candidat", "nom_naissance": name, "prenoms": [first]},
        )
    _visit(page, check_a11y, "/permis/demandes/candidats/", "Demandes de permis de vos candidats")
    expect(page.get_by_role("cell", name="DUPONT Léa")).to_be_visible()
    _visit(page, check_a11y, "/tableau-de-bord/", "Bienvenue")


# --- Stamp shop -----------------------------------------------------------------------


def test_stamp_check_and_refund_pages(page, check_a11y):
    from tests.paiements.factories import StampFactory

    available = StampFactory(email="acheteur@exemple.fr")
    consumed = StampFactory(consumed_by="demarche:1")
    refunded = StampFactory(refunded=True)
    expired = StampFactory(expired=True)

    for stamp in (available, consumed, refunded, expired):
        _visit(page, check_a11y, f"/timbres/verifier/?numero={stamp.number}", "Vérifier")
        expect(page.locator("#etat-timbre")).to_be_visible()
    _visit(page, check_a11y, "/timbres/verifier/?numero=1234567890123456", "Vérifier")
    _visit(page, check_a11y, "/timbres/verifier/?numero=abc", "Vérifier")

    # Refund: wrong e-mail, then the confirmation step and the result.
    _visit(page, check_a11y, "/timbres/rembourser/", "Demander le remboursement")
    page.get_by_label("Numéro du timbre").fill(available.number)
    page.get_by_label("Adresse e-mail à laquelle le timbre a été envoyé").fill("autre@exemple.fr")
    page.get_by_role("button", name="Continuer").click()
    _errors_shown(page)
    check_a11y(page)
    page.get_by_label("Adresse e-mail à laquelle le timbre a été envoyé").fill(
        "acheteur@exemple.fr"
    )
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Confirmez le remboursement")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Confirmer le remboursement").click()
    expect(page.get_by_role("heading", name="Remboursement effectué")).to_be_visible()
    check_a11y(page)


def test_refused_payment_result_page(page, check_a11y, settings):
    settings.PAYMENT_PROVIDER = "local"
    page.goto("/timbres/")
    page.get_by_text("Permis de conduire après perte ou vol — 25,00").click()
    page.get_by_label("Adresse e-mail à laquelle envoyer le timbre").fill("refus@exemple.fr")
    page.get_by_role("button", name="Payer par carte bancaire").click()
    expect(page.locator("h1")).to_have_text("Paiement sécurisé")
    page.get_by_label("Numéro de carte").fill("4970 1000 0000 0014")
    page.get_by_label("Expire fin : mois").select_option("12")
    from django.utils import timezone

    page.get_by_label("Expire fin : année").select_option(str(timezone.localdate().year + 1))
    page.get_by_label("Numéro de contrôle au dos de la carte").fill("123")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("h1")).to_have_text("Résultat de votre paiement")
    check_a11y(page)


# --- Development mailbox -------------------------------------------------------------


def test_dev_mailbox_pages(page, check_a11y):
    from django.core import mail

    _visit(page, check_a11y, "/dev/mailbox/", "Boîte aux lettres de développement")
    message = mail.EmailMultiAlternatives(
        "Votre demande est enregistrée",
        "Bonjour,\n\nVotre demande est enregistrée.\n",
        "ne-pas-repondre@titres.example",
        ["camille@exemple.fr"],
    )
    message.attach_alternative("<p>Bonjour,</p><p>Votre demande est enregistrée.</p>", "text/html")
    message.send()
    _visit(page, check_a11y, "/dev/mailbox/", "Boîte aux lettres de développement")
    page.get_by_role("link", name="Votre demande est enregistrée").click()
    expect(page.locator("h1")).to_have_text("Votre demande est enregistrée")
    check_a11y(page)


# --- Agents -------------------------------------------------------------------------


def _agent_files():
    """An authority with files in every tab, an instructing agent and a
    head of department, both with a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.factories import (
        AgentMembershipFactory,
        AuthorityFactory,
        DocumentFactory,
        PermisDemarcheFactory,
        UserFactory,
        answers,
    )
    from titres.instruction.enums import AgentRole
    from titres.procedures.enums import DocumentStatus

    authority = AuthorityFactory(code="543")
    files = {
        "submitted": PermisDemarcheFactory(submitted=True, authority=authority),
        "awaiting": PermisDemarcheFactory(
            awaiting=True, authority=authority, answers=answers(nom="RACINE", prenoms=["Jean"])
        ),
        "validated": PermisDemarcheFactory(validated=True, authority=authority),
        "rejected": PermisDemarcheFactory(
            rejected=True, authority=authority, answers=answers(nom="MOLIERE")
        ),
        "done": PermisDemarcheFactory(done=True, authority=authority),
    }
    DocumentFactory(demarche=files["submitted"], label="Justificatif de domicile")
    DocumentFactory(demarche=files["submitted"], code="identite", label="Pièce d’identité")
    # Still with the antivirus: the viewer says why it shows nothing.
    DocumentFactory(demarche=files["awaiting"], status=DocumentStatus.EN_ANALYSE)
    people = {}
    for key, role, first, last in [
        ("agent", AgentRole.AGENT_INSTRUCTEUR, "Alice", "Agent"),
        ("chef", AgentRole.CHEF_DE_SERVICE, "Bernard", "Chef"),
        ("lecteur", AgentRole.LECTURE_SEULE, "Claire", "Lecture"),
    ]:
        user = AgentMembershipFactory(
            authority=authority,
            role=role,
            user=UserFactory(username=f"{first.lower()}.{key}", first_name=first, last_name=last),
        ).user
        TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
        people[key] = user
    return authority, files, people


@pytest.fixture
def login_agent(live_server):
    """Signs the page in as an agent verified with the second factor (the
    sign-in form and the TOTP step are covered by test_instruction.py)."""
    from django.conf import settings

    from tests.instruction.conftest import verified_client

    def login(page, user):
        cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return login


def test_agent_work_list_search_file_and_history(page, login_agent, check_a11y):
    authority, files, people = _agent_files()
    login_agent(page, people["agent"])
    heading = "Liste des demandes sur l’autorité 543"

    page.goto("/agent/")
    expect(page.locator("h1")).to_have_text(heading)
    check_a11y(page)
    for tab in ("a_traiter", "en_attente", "traitees", "toutes"):
        _visit(page, check_a11y, f"/agent/autorite/543/?onglet={tab}", heading)
    _visit(page, check_a11y, "/agent/autorite/543/?mien=1", heading)

    search = "Recherche globale sur l’autorité 543"
    _visit(page, check_a11y, "/agent/autorite/543/recherche/", search)
    page.locator("#id_nom").fill("Corneille")
    page.get_by_role("button", name=re.compile("Rechercher")).click()
    expect(
        page.get_by_role("link", name=f"Voir {files['submitted'].display_number}")
    ).to_be_visible()
    check_a11y(page)
    _visit(page, check_a11y, "/agent/autorite/543/recherche/?nom=Personne", search)
    _visit(
        page,
        check_a11y,
        "/agent/autorite/543/recherche/?modifie_du=2026-02-01&modifie_au=2026-01-01",
        search,
    )
    _errors_shown(page)

    for key in ("submitted", "awaiting", "rejected", "done"):
        demarche = files[key]
        _visit(page, check_a11y, f"/agent/dossiers/{demarche.number}/", demarche.display_number)
        _visit(
            page,
            check_a11y,
            f"/agent/dossiers/{demarche.number}/historique/",
            "Historique de la demande",
        )

    page.goto(f"/agent/dossiers/{files['awaiting'].number}/")
    expect(page.get_by_text("Document en cours d’analyse antivirus")).to_be_visible()

    # The viewer on the second document of a file.
    submitted = files["submitted"]
    second = submitted.documents.get(code="identite")
    _visit(
        page,
        check_a11y,
        f"/agent/dossiers/{submitted.number}/?piece={second.pk}",
        submitted.display_number,
    )
    expect(page.locator("#viewer-status")).to_contain_text("Page 1 / 1")

    # Take a file: it then shows in "assigned to me".
    page.goto(f"/agent/dossiers/{files['submitted'].number}/")
    page.get_by_role("button", name="Prendre la demande").click()
    expect(page.get_by_text("La demande vous est assignée.")).to_be_visible()
    check_a11y(page)
    _visit(page, check_a11y, "/agent/autorite/543/?mien=1", heading)
    expect(
        page.get_by_role("link", name=f"Voir {files['submitted'].display_number}")
    ).to_be_visible()


def test_head_of_department_statistics_and_assignment(page, login_agent, check_a11y):
    authority, files, people = _agent_files()
    login_agent(page, people["chef"])
    heading = "Liste des demandes sur l’autorité 543"

    # The list with the bulk actions of a head of department.
    _visit(page, check_a11y, "/agent/autorite/543/", heading)
    _visit(page, check_a11y, "/agent/autorite/543/statistiques/", "Statistiques de l’autorité 543")

    # Assign a file to an agent from its page.
    demarche = files["submitted"]
    _visit(page, check_a11y, f"/agent/dossiers/{demarche.number}/", demarche.display_number)
    page.get_by_label("Agent", exact=True).select_option(label="Alice Agent")
    page.get_by_role("button", name="Assigner", exact=True).click()
    expect(page.locator(".fr-alert--success, .fr-alert--info").first).to_be_visible()
    check_a11y(page)


def test_read_only_agent_pages(page, login_agent, check_a11y):
    authority, files, people = _agent_files()
    login_agent(page, people["lecteur"])
    _visit(page, check_a11y, "/agent/autorite/543/", "Liste des demandes sur l’autorité 543")
    demarche = files["submitted"]
    _visit(page, check_a11y, f"/agent/dossiers/{demarche.number}/", demarche.display_number)
    expect(page.get_by_role("button", name="Prendre la demande")).to_have_count(0)


def test_agent_first_sign_in_enrols_an_authenticator(page, check_a11y):
    from tests.instruction.factories import AgentMembershipFactory, AuthorityFactory, UserFactory

    user = AgentMembershipFactory(
        authority=AuthorityFactory(code="543"), user=UserFactory(username="nouvel.agent")
    ).user
    user.set_password(AGENT_PASSWORD)
    user.save()
    page.goto("/agent/connexion/")
    page.get_by_label("Identifiant").fill("nouvel.agent")
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_have_text("Enregistrer votre application d’authentification")
    check_a11y(page)
    page.get_by_label(re.compile("Code")).first.fill("000000")
    page.get_by_role("button", name=re.compile("Valider|Enregistrer")).first.click()
    _errors_shown(page)
    check_a11y(page)


def test_refusal_pages(page, login_agent, login_as, check_a11y):
    """A page refused to its visitor (403) still reads as a portal page."""
    from tests.accounts.factories import UserFactory

    authority, files, people = _agent_files()
    login_agent(page, people["agent"])
    response = page.goto("/agent/autorite/543/statistiques/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Accès refusé")
    expect(page.locator("main")).to_contain_text(
        "Les statistiques sont réservées au chef de service."
    )
    check_a11y(page)

    page.context.clear_cookies()
    login_as(page, UserFactory())
    response = page.goto("/agent/autorite/543/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Accès refusé")
    check_a11y(page)
