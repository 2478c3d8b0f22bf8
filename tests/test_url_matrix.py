"""The role × URL matrix: a test about the code itself.

Every URL pattern of the project has an entry in URLS below, with the
profiles allowed to get a 200 from it. The test requests every pattern with
every profile (anonymous, a citizen and the owner of the objects, another
citizen, each professional profile, agents of two authorities before and
after their second factor, an operator) and fails on:
- any 5xx;
- a 200 for a profile that is not allowed (someone sees what is not theirs);
- an allowed page that none of its profiles could open (the entry's
  arguments are wrong, so the entry would prove nothing);
- a URL pattern without an entry, or an entry whose pattern is gone.

ADDING A URL: add one line to URLS, keyed by the pattern's name
("app:name"), with `Route(ALLOWED, args)`: ALLOWED is one of the profile
sets below (PUBLIC, CITIZENS, OWNER, AGENTS_A, OPERATOR...) and `args` a
function of the test world returning the URL's arguments (see WORLD). The
failure message prints the line to start from.

The operators' admin (/gestion/) is generated from the model admins: every
one of its patterns is requested with the rule ADMIN_ROUTE (operator only)
instead of one line each.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PROFILES = (
    "anonyme",
    "usager",  # owns the world's démarches, licence, payment
    "autre_usager",
    "pro_siv",
    "auto_ecole",
    "centre_sensibilisation",
    "personne_morale",
    "mairie",
    "agent_a_sans_2fa",  # agent of authority A, second factor not done yet
    "agent_a",  # agent of authority A (which instructs the world's file)
    "agent_b",  # agent of another authority
    "operateur",  # staff, second factor done
)
SIGNED_IN = frozenset(PROFILES) - {"anonyme"}
PUBLIC = frozenset(PROFILES)
ANONYMOUS = frozenset({"anonyme"})
NONE = frozenset()
OWNER = frozenset({"usager"})
CITIZENS = frozenset({"usager", "autre_usager"})
# Accounts that use the public portal (every profile but agents and operator).
PORTAL_USERS = frozenset(
    {
        "usager",
        "autre_usager",
        "pro_siv",
        "auto_ecole",
        "centre_sensibilisation",
        "personne_morale",
        "mairie",
    }
)
AGENTS = frozenset({"agent_a", "agent_b"})
AGENTS_A = frozenset({"agent_a"})
AGENTS_UNVERIFIED = frozenset({"agent_a_sans_2fa"})
OPERATOR = frozenset({"operateur"})
MAIRIE = frozenset({"mairie"})
PRO_SIV = frozenset({"pro_siv"})


@dataclass(frozen=True)
class Route:
    allowed: frozenset  # profiles that may get a 200
    args: Callable | None = None  # world -> list of URL arguments
    # False when no profile can get a 200 with a GET (POST-only actions,
    # pages answering with a redirect or a file only under conditions).
    opens: bool = True
    query: dict = field(default_factory=dict)
    # Pages without personal data whose answer may be kept by a browser;
    # every other page of a signed-in profile must say Cache-Control: no-store.
    cacheable: bool = False
    # A health probe answers 503 when what it watches is down (here: no
    # worker runs during the tests): that is its job, not a crash.
    probe: bool = False

    def server_error(self, status: int) -> bool:
        return status >= 500 and not (self.probe and status == 503)


def _w(name):
    return lambda world: [getattr(world, name)]


URLS: dict[str, Route] = {
    # --- core -------------------------------------------------------------
    "core:home": Route(PUBLIC),
    "core:dashboard": Route(SIGNED_IN),
    "core:healthz": Route(PUBLIC),
    "core:accessibility": Route(PUBLIC),
    "core:session_keepalive": Route(NONE, opens=False),
    "core:readyz": Route(PUBLIC),
    # The development mailbox: only with DEBUG (the test runner turns it off).
    "core:mailbox": Route(PUBLIC, opens=False),
    "core:mailbox_message": Route(PUBLIC, _w("mail_pk"), opens=False),
    "set_language": Route(NONE, opens=False),
    # 2D-Doc verification and the published trust list: public by design.
    "core:twoddoc_verify": Route(PUBLIC),
    "core:twoddoc_certificates": Route(PUBLIC, cacheable=True),
    "core:twoddoc_trust_list": Route(PUBLIC, cacheable=True),
    "core:twoddoc_certificate": Route(
        PUBLIC, lambda w: ["inconnu", "pem"], opens=False, cacheable=True
    ),
    # --- third-party public URLs -------------------------------------------
    "captcha-image": Route(PUBLIC, _w("captcha_key")),
    "captcha-image-2x": Route(PUBLIC, _w("captcha_key")),
    "captcha-audio": Route(PUBLIC, _w("captcha_key"), opens=False),
    "devidp:discovery": Route(PUBLIC),
    "devidp:jwks": Route(PUBLIC, cacheable=True),
    "devidp:authorize": Route(NONE, opens=False),
    "devidp:token": Route(NONE, opens=False),
    "devidp:userinfo": Route(NONE, opens=False),
    "devidp:end_session": Route(PUBLIC, opens=False),
    # --- accounts -----------------------------------------------------------
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC),  # GET: the confirmation page
    "accounts:signup": Route(PUBLIC),
    "accounts:signup_done": Route(PUBLIC),
    "accounts:resend_activation": Route(PUBLIC),
    "accounts:activate": Route(PUBLIC, lambda w: ["jeton-invalide"], opens=False),
    "accounts:forgot_identifier": Route(PUBLIC),
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(PUBLIC, lambda w: ["MQ", "x"], opens=False),
    "accounts:account_setup": Route(PUBLIC, lambda w: ["MQ", "x"], opens=False),
    "accounts:account": Route(SIGNED_IN),
    "accounts:account_edit": Route(SIGNED_IN),
    "accounts:email_confirm": Route(SIGNED_IN, lambda w: ["jeton-invalide"], opens=False),
    "accounts:password_change": Route(SIGNED_IN),
    "accounts:export": Route(SIGNED_IN),
    "accounts:delete": Route(SIGNED_IN),
    "accounts:terms": Route(PUBLIC),
    "accounts:mairie_request": Route(PUBLIC),
    # --- FranceConnect ------------------------------------------------------
    "franceconnect:manage": Route(SIGNED_IN),
    "franceconnect:login": Route(PUBLIC),
    "franceconnect:callback": Route(NONE, opens=False),
    "franceconnect:link_existing": Route(NONE, opens=False),
    "franceconnect:link_confirm": Route(NONE, lambda w: ["jeton-invalide"], opens=False),
    "franceconnect:start_link": Route(NONE, opens=False),
    "franceconnect:unlink": Route(NONE, opens=False),
    "franceconnect:logout": Route(NONE, opens=False),
    "franceconnect:logged_out": Route(PUBLIC, opens=False),
    # --- procedures (the citizen's files) -----------------------------------
    "procedures:list": Route(SIGNED_IN),
    "procedures:new": Route(SIGNED_IN),
    "procedures:category": Route(SIGNED_IN, lambda w: ["permis"]),
    "procedures:start": Route(NONE, _w("procedure_code"), opens=False),
    "procedures:document": Route(OWNER | AGENTS_A, _w("document_pk"), opens=False),
    "procedures:document_remove": Route(NONE, _w("document_pk"), opens=False),
    "procedures:message": Route(OWNER, _w("message_pk"), opens=False),
    "procedures:detail": Route(OWNER, _w("number")),
    "procedures:resume": Route(OWNER, _w("number"), opens=False),
    "procedures:complement": Route(OWNER, _w("number"), opens=False),
    "procedures:confirmation": Route(OWNER, _w("number"), opens=False),
    "procedures:abandon": Route(OWNER, _w("draft_number")),
    "procedures:step": Route(OWNER, lambda w: [w.draft_number, w.draft_step]),
    "procedures:upload": Route(NONE, lambda w: [w.draft_number, "domicile"], opens=False),
    "procedures:message_post": Route(NONE, _w("number"), opens=False),
    "procedures:act": Route(NONE, _w("number"), opens=False),
    # --- payments (anonymous purchase by design: the token is the secret) ----
    "paiements:boutique": Route(PUBLIC),
    "paiements:resultat": Route(PUBLIC, _w("payment_token")),
    "paiements:timbre_pdf": Route(PUBLIC, _w("payment_token"), opens=False),
    "paiements:verifier": Route(PUBLIC),
    "paiements:rembourser": Route(PUBLIC),
    "paiements:notification": Route(NONE, lambda w: ["local"], opens=False),
    "paiements:banque": Route(PUBLIC, _w("bank_token")),
    "paiements:banque_3ds": Route(PUBLIC, _w("bank_token"), opens=False),
    "paiements:banque_annulation": Route(NONE, _w("bank_token"), opens=False),
    # --- driving licence --------------------------------------------------
    "permis:my_licence": Route(SIGNED_IN),
    "permis:unlink": Route(NONE, opens=False),
    "permis:record": Route(OWNER, _w("neph")),
    "permis:communes": Route(SIGNED_IN, cacheable=True),  # reference data
    "permis:photographers": Route(PUBLIC),
    # --- the geolocated directory (public by design) ---------------------------
    "annuaire:directory": Route(PUBLIC),
    "annuaire:communes": Route(PUBLIC, cacheable=True),  # reference data
    "annuaire:ephoto_check": Route(PUBLIC),
    # --- contact and complaints --------------------------------------------
    "contact:home": Route(PUBLIC),
    # Town halls' category is their own form (a redirect): compte is a category page.
    "contact:write": Route(PUBLIC, lambda w: ["compte"]),
    "contact:complaint": Route(PUBLIC),
    # Only the browser that sent the ticket sees this page (session).
    "contact:sent": Route(NONE, _w("ticket_number"), opens=False),
    "contact:my_tickets": Route(SIGNED_IN),
    "contact:my_ticket": Route(OWNER, _w("ticket_number")),
    # The token is the secret: whoever holds the e-mailed link reads it.
    "contact:ticket_by_link": Route(PUBLIC, lambda w: [w.anonymous_ticket, w.ticket_token]),
    # --- information pages and the footer's legal pages (public by design) ----
    "infos:faq": Route(PUBLIC),
    "infos:guides": Route(PUBLIC),
    "infos:guide": Route(PUBLIC, _w("guide_slug")),
    "infos:news": Route(PUBLIC),
    "infos:news_item": Route(PUBLIC, _w("news_slug")),
    "infos:search": Route(PUBLIC, query={"q": "permis"}),
    "infos:cerfa": Route(PUBLIC),
    "infos:legal": Route(PUBLIC),
    "infos:privacy": Route(PUBLIC),
    "infos:cookies": Route(PUBLIC),
    "infos:sitemap": Route(PUBLIC),
    "permis:candidates": Route(frozenset({"auto_ecole"})),
    "permis:candidates_export": Route(frozenset({"auto_ecole"})),
    "permis:request_confirmation": Route(OWNER, _w("number")),
    "permis:request_receipt": Route(OWNER, _w("number")),
    "permis:stamp_return": Route(NONE, _w("draft_number"), opens=False),
    "permis:request_talon": Route(OWNER, _w("number"), opens=False),
    "permis:inscription_attestation": Route(OWNER, _w("number"), opens=False),
    # Road-safety centres' stages: the centre profile only; its sessions are
    # covered by tests/permis/test_stages.py (another centre's: 404).
    "permis:stages": Route(frozenset({"centre_sensibilisation"})),
    "permis:stage_new": Route(frozenset({"centre_sensibilisation"})),
    "permis:stages_export": Route(frozenset({"centre_sensibilisation"})),
    "permis:stage": Route(NONE, lambda w: [999999], opens=False),
    "permis:stage_close": Route(NONE, lambda w: [999999], opens=False),
    "permis:stage_attendee": Route(NONE, lambda w: [999999, 1, "retirer"], opens=False),
    # --- the agents' back office ----------------------------------------------
    "instruction:home": Route(AGENTS, opens=False),  # redirects to the work list
    "instruction:login": Route(PUBLIC),
    "instruction:logout": Route(NONE, opens=False),
    "instruction:otp_enrol": Route(AGENTS_UNVERIFIED, opens=False),
    # A link nobody was sent: refused (404) for the agent, login for anyone else.
    "instruction:otp_enrol_link": Route(NONE, lambda w: ["inconnu"], opens=False),
    "instruction:otp_verify": Route(AGENTS_UNVERIFIED),
    "instruction:worklist": Route(AGENTS_A, _w("authority_code")),
    "instruction:search": Route(AGENTS_A, _w("authority_code")),
    "instruction:bulk": Route(NONE, _w("authority_code"), opens=False),
    "instruction:statistics": Route(AGENTS_A, _w("authority_code"), opens=False),
    "instruction:detail": Route(AGENTS_A, _w("number")),
    "instruction:history": Route(AGENTS_A, _w("number")),
    "instruction:ephoto": Route(AGENTS_A, lambda w: [w.number, "photo"], opens=False),
    "instruction:action": Route(NONE, lambda w: [w.number, "prendre"], opens=False),
    "instruction:document_page": Route(AGENTS_A, lambda w: [w.document_pk, 1]),
    "instruction_public:attestation": Route(OWNER, _w("number"), opens=False),
    # --- job queues' probe (load balancer, operators) ---------------------------
    "jobs:probe": Route(PUBLIC, opens=False, probe=True),
    "jobs:scheduler_probe": Route(PUBLIC, opens=False, probe=True),
    # --- vehicles (the world's file is a licence request: object pages 404) ----
    "vehicules:espace": Route(SIGNED_IN, opens=False),
    "vehicules:demarches": Route(SIGNED_IN, opens=False),
    "vehicules:nouvelle_demande": Route(SIGNED_IN, opens=False),
    "vehicules:cession_declarer": Route(SIGNED_IN, opens=False),
    # Résultats du permis de conduire: public by design (NEPH + birth date are the key).
    "permis:results": Route(PUBLIC),
    # Agents holding permis.record_exam_result (the world's agent A does).
    "permis:exam_results": Route(AGENTS_A),
    "permis:results_cepc": Route(PUBLIC, lambda w: ["jeton-invalide"], opens=False),
    # Certificat de situation administrative: public by design (the card is the key).
    "vehicules:situation": Route(PUBLIC),
    "vehicules:situation_pdf": Route(PUBLIC, lambda w: ["jeton-invalide"], opens=False),
    "vehicules:pro_espace": Route(PRO_SIV),
    "vehicules:pro_nouvelle_demande": Route(NONE, opens=False),
    "vehicules:pro_demarches": Route(PRO_SIV),
    "vehicules:pro_stock": Route(PRO_SIV),
    "vehicules:pro_stock_achat": Route(PRO_SIV),
    # Another professional's stock entry, or none: 404 (tests/vehicules/test_pro_stock.py).
    "vehicules:pro_stock_revente": Route(NONE, _w("uuid"), opens=False),
    # Another professional's purchase, or none: 404 (tests/vehicules/test_pro_stock.py).
    "vehicules:pro_stock_accuse": Route(NONE, _w("uuid"), opens=False),
    # Another professional's purchase, or none: 404 (tests/vehicules/test_pro_purchase_scan.py).
    "vehicules:pro_stock_certificat": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_lots": Route(PRO_SIV),
    "vehicules:pro_lot_modele": Route(PRO_SIV),
    "vehicules:pro_lot": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_lot_etat": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_lot_compte_rendu": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_lot_codes": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_export_csv": Route(PRO_SIV),
    "vehicules:pro_telechargement_demander": Route(NONE, opens=False),
    "vehicules:pro_telechargement": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_telechargement_etat": Route(NONE, _w("uuid"), opens=False),
    "vehicules:pro_telechargement_archive": Route(NONE, _w("uuid"), opens=False),
    "vehicules:cession_resultat": Route(OWNER, _w("uuid"), opens=False),
    "vehicules:cession_annuler": Route(NONE, _w("uuid"), opens=False),
    "vehicules:cession_certificat": Route(OWNER, _w("uuid"), opens=False),
    "vehicules:demarche_action": Route(NONE, _w("number"), opens=False),
    "vehicules:accuse": Route(OWNER, _w("number"), opens=False),
    "vehicules:cpi": Route(OWNER, _w("number"), opens=False),
    "vehicules:recu": Route(OWNER, _w("number"), opens=False),
    "vehicules:finalisation": Route(OWNER, _w("number"), opens=False),
    "vehicules:payer": Route(OWNER, _w("number"), opens=False),
    "vehicules:paiement_retour": Route(OWNER, _w("number"), opens=False),
    "vehicules:enregistrer_paiement": Route(NONE, _w("number"), opens=False),
    "vehicules:operation_finalisation": Route(OWNER, _w("number"), opens=False),
    "vehicules:operation_cpi": Route(OWNER, _w("number"), opens=False),
    "vehicules:operation_accuse": Route(OWNER, _w("number"), opens=False),
    # The new vehicle's pages are a professional's: a citizen's file number opens nothing.
    "vehicules:neuf_finalisation": Route(OWNER, _w("number"), opens=False),
    "vehicules:neuf_cpi": Route(OWNER, _w("number"), opens=False),
    "vehicules:neuf_accuse": Route(OWNER, _w("number"), opens=False),
    # --- ID card / passport pre-requests and town halls -------------------------
    "identite:rdv_search": Route(PUBLIC, opens=False),
    "identite:rdv_book": Route(SIGNED_IN, lambda w: [1, "2030-01-01T09:00"], opens=False),
    "identite:manage_appointment": Route(PUBLIC, lambda w: ["inconnue", "x"], opens=False),
    "identite:confirmation": Route(OWNER, _w("number"), opens=False),
    "identite:recapitulatif_pdf": Route(OWNER, _w("number"), opens=False),
    "identite:agenda": Route(MAIRIE, opens=False),
    "identite:counter": Route(MAIRIE, opens=False),
    "identite:counter_file": Route(MAIRIE, _w("number"), opens=False),
    "identite:attendance": Route(NONE, lambda w: [1], opens=False),
    "identite:deliveries": Route(MAIRIE, opens=False),
    "identite:delivery_action": Route(NONE, lambda w: [1], opens=False),
    # Coordination API for other appointment platforms (token in the request).
    "identite:api_appointments": Route(PUBLIC, opens=False),
    "identite:api_status": Route(PUBLIC, opens=False),
    # --- partner API (bearer token; the description is public) ------------------
    "partenaires_api:api-root": Route(PUBLIC, opens=False, cacheable=True),
    "partenaires_api:openapi-json": Route(PUBLIC, opens=False, cacheable=True),
    "partenaires_api:openapi-view": Route(PUBLIC, opens=False, cacheable=True),
    "partenaires:dashboard": Route(NONE),
    # No profile of the world is a partner's member (tests/partenaires).
    "partenaires:contacts": Route(NONE),
    "partenaires:status": Route(PUBLIC),
    "partenaires_api:status": Route(PUBLIC, opens=False),
    "partenaires:token_renew": Route(NONE, lambda w: [1]),
    "partenaires:token_revoke": Route(NONE, lambda w: [1]),
    "partenaires_api:permis": Route(NONE, opens=False),
    "partenaires_api:permis_france_connect": Route(NONE, opens=False),
    "partenaires_api:vehicule_france_connect": Route(NONE, opens=False),
    "partenaires_api:titre_identite_france_connect": Route(NONE, opens=False),
    "partenaires_api:pre_demande_france_connect": Route(NONE, opens=False),
    "partenaires_api:vehicule": Route(NONE, opens=False),
    "partenaires_api:titre_identite": Route(NONE, opens=False),
    "partenaires_api:pre_demande": Route(NONE, opens=False),
}

ADMIN_ROUTE = Route(OPERATOR, opens=False)
# Admin patterns that are not operator-only pages.
URLS.update(
    {
        "admin:login": Route(PUBLIC),
        "admin:logout": Route(NONE, opens=False),
        "admin:password_change": Route(OPERATOR),
        "admin:password_change_done": Route(OPERATOR),
    }
)
# Profiles that request the operators' admin patterns (all of them would
# multiply the run time for no more coverage: the admin only knows staff).
ADMIN_PROFILES = ("anonyme", "usager", "pro_siv", "agent_a", "operateur")


def url_patterns():
    """(key, pattern, route string) of every URL pattern of the project."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                key = f"{namespace}{pattern.name}" if pattern.name else route
                yield key, pattern, route

    return list(walk(get_resolver().url_patterns))


def is_admin(route: str) -> bool:
    return route.startswith("gestion/")


# --- the world every profile is tested against -------------------------------


@dataclass
class World:
    clients: dict
    users: dict = field(default_factory=dict)
    number: str = ""
    draft_number: str = ""
    draft_step: str = ""
    document_pk: str = ""
    message_pk: str = ""
    neph: str = ""
    payment_token: str = ""
    bank_token: str = ""
    authority_code: str = ""
    procedure_code: str = ""
    captcha_key: str = ""
    mail_pk: int = 0
    ticket_number: str = ""
    anonymous_ticket: str = ""
    ticket_token: str = ""
    guide_slug: str = ""
    news_slug: str = ""
    uuid: str = "00000000-0000-4000-8000-000000000000"  # an object nobody has


VERIFIED = frozenset({"agent_a", "agent_b", "operateur"})


def fresh_client(world, profile) -> Client:
    """A new session for `profile` (for requests that may sign it out)."""
    return _client(world.users.get(profile), verified=profile in VERIFIED)


def _client(user=None, *, verified=False):
    # Server errors come back as 500 responses, so that all are reported.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
        if verified:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
    return client


@pytest.fixture
def world(settings, django_capture_on_commit_callbacks):
    from captcha.models import CaptchaStore
    from django.core.files.base import ContentFile

    from tests.accounts.factories import HabilitationFactory, UserFactory
    from tests.instruction.factories import AgentMembershipFactory, PermisDemarcheFactory
    from tests.paiements.helpers import bank_session, open_purchase
    from tests.permis.factories import LicenceHolderLinkFactory, LicenceRecordFactory
    from tests.procedures import samples
    from tests.procedures.factories import AuthorityFactory, DocumentFactory, MessageFactory
    from titres.accounts.enums import Profile
    from titres.core.models import MailboxMessage
    from titres.permis.procedure import CODE as PERMIS
    from titres.procedures.enums import DocumentStatus
    from titres.procedures.registry import find_procedure

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CLAMAV_URL = ""
    settings.PAYMENT_PROVIDER = "local"
    settings.PAYMENT_SECRET_KEY = "cle-de-test-hmac"

    authority_a = AuthorityFactory(code="543", name="Préfecture A", departements=["54"])
    authority_b = AuthorityFactory(code="999", name="Préfecture B", departements=["99"])
    owner = UserFactory(username="usager.matrice")
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority_a, owner=owner, procedure_code=PERMIS
    )
    draft = PermisDemarcheFactory(owner=owner, procedure_code=PERMIS)
    document = DocumentFactory(
        demarche=demarche,
        file=ContentFile(samples.pdf(), name="piece.pdf"),
        content_type="application/pdf",
        pages=1,
        status=DocumentStatus.VALIDE,
    )
    message = MessageFactory(demarche=demarche)
    record = LicenceRecordFactory()
    LicenceHolderLinkFactory(user=owner, record=record)

    def agent(authority, name):
        membership = AgentMembershipFactory(authority=authority, user=UserFactory(username=name))
        TOTPDevice.objects.create(user=membership.user, name="Application", confirmed=True)
        return membership.user

    operator = UserFactory(username="operateur.matrice", operator=True)
    TOTPDevice.objects.create(user=operator, name="Application", confirmed=True)
    siv = HabilitationFactory().user
    users = {
        "usager": owner,
        "autre_usager": UserFactory(username="autre.usager"),
        "pro_siv": siv,
        "auto_ecole": UserFactory(profile=Profile.AUTO_ECOLE, organisation_name="Auto-école"),
        "centre_sensibilisation": UserFactory(
            profile=Profile.CENTRE_SENSIBILISATION, organisation_name="Centre"
        ),
        "personne_morale": UserFactory(profile=Profile.PERSONNE_MORALE, organisation_name="SA"),
        "mairie": UserFactory(profile=Profile.MAIRIE, organisation_name="Mairie"),
    }
    users.update(
        {
            "agent_a_sans_2fa": agent(authority_a, "agent.a.sans2fa"),
            "agent_a": agent(authority_a, "agent.a"),
            "agent_b": agent(authority_b, "agent.b"),
            "operateur": operator,
        }
    )
    from django.contrib.auth.models import Permission

    users["agent_a"].user_permissions.add(Permission.objects.get(codename="record_exam_result"))
    clients = {"anonyme": _client()}
    clients.update({name: _client(user, verified=name in VERIFIED) for name, user in users.items()})

    _, payment = open_purchase(Client())
    steps = find_procedure(PERMIS).steps
    mail = MailboxMessage.objects.create(
        **{
            f.name: "x"
            for f in MailboxMessage._meta.fields
            if f.get_internal_type() in ("CharField", "TextField")
        }
    )
    from tests.contact.factories import TicketFactory
    from titres.contact.services import access_token

    ticket = TicketFactory(user=owner, email="")
    anonymous_ticket = TicketFactory()
    from tests.infos.factories import ArticleFactory
    from titres.infos.enums import ArticleKind

    guide = ArticleFactory(kind=ArticleKind.GUIDE, published=True)
    news = ArticleFactory(kind=ArticleKind.ACTUALITE, published=True)
    return World(
        ticket_number=ticket.number,
        anonymous_ticket=anonymous_ticket.number,
        ticket_token=access_token(anonymous_ticket),
        clients=clients,
        guide_slug=guide.slug,
        news_slug=news.slug,
        users=users,
        number=demarche.number,
        draft_number=draft.number,
        draft_step=steps[0].slug,
        document_pk=str(document.pk),
        message_pk=str(message.pk),
        neph=record.neph,
        payment_token=payment.public_token,
        bank_token=bank_session(payment).token,
        authority_code=authority_a.code,
        procedure_code=demarche.procedure_code,
        captcha_key=CaptchaStore.generate_key(),
        mail_pk=mail.pk,
    )


def _admin_path(route: str) -> str:
    """A concrete path for an admin pattern: object ids 1, the accounts app."""
    path = re.sub(r"<[^>]+>", "1", route)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "accounts", path)
    path = path.replace("(?P<url>.*)", "inconnu/")
    return "/" + path.replace("^", "").replace("$", "")


def _url(key, pattern, route, world) -> str:
    if is_admin(route):
        return _admin_path(route)
    entry = URLS[key]
    return reverse(key, args=entry.args(world) if entry.args else [])


def test_every_url_pattern_has_an_entry():
    patterns = url_patterns()
    keys = {key for key, _pattern, route in patterns if not is_admin(route)}
    missing = sorted(keys - set(URLS))
    stale = sorted(set(URLS) - keys - {key for key, _pattern, _route in patterns})
    routes = {key: route for key, _pattern, route in url_patterns()}
    assert not missing, (
        "URL sans entrée dans la matrice des droits : ajoutez à URLS dans "
        "tests/test_url_matrix.py, en choisissant les profils qui peuvent obtenir une page "
        "(PUBLIC, SIGNED_IN, CITIZENS, OWNER, AGENTS, AGENTS_A, OPERATOR, NONE...) :\n"
        + "\n".join(
            f'    "{key}": Route(OWNER, lambda w: [...]),  # /{routes[key]}' for key in missing
        )
    )
    assert not stale, f"Entrées de URLS sans motif d’URL (supprimez-les) : {stale}"


def test_role_url_matrix(world):
    problems = []
    opened = {}
    for key, pattern, route in url_patterns():
        admin = is_admin(route)
        entry = URLS.get(key, ADMIN_ROUTE if admin else None)
        if entry is None:
            continue  # reported by test_every_url_pattern_has_an_entry
        url = _url(key, pattern, route, world)
        for profile in ADMIN_PROFILES if admin else PROFILES:
            response = world.clients[profile].get(url, entry.query)
            status = response.status_code
            if entry.server_error(status):
                problems.append(f"{status} {url} en tant que {profile}")
            elif status == 200 and profile not in entry.allowed:
                problems.append(
                    f"200 inattendu : {url} ({key}) en tant que {profile} "
                    f"(autorisés : {sorted(entry.allowed) or 'aucun'})"
                )
            elif status == 200:
                opened.setdefault(key, set()).add(profile)
                if (
                    profile != "anonyme"
                    and not entry.cacheable
                    and "no-store" not in response.get("Cache-Control", "")
                ):
                    problems.append(f"Cache-Control sans no-store : {url} en tant que {profile}")
        if entry.opens and entry.allowed and key not in opened:
            problems.append(
                f"{url} ({key}) : aucun des profils autorisés {sorted(entry.allowed)} n’a obtenu "
                "de page ; corrigez les arguments de l’entrée, ou opens=False"
            )
    assert not problems, "\n".join(problems)


def test_another_citizens_file_and_another_authority_give_404(world):
    """The same rule as in the matrix, said plainly for the review's cases."""
    other = world.clients["autre_usager"]
    assert other.get(reverse("procedures:detail", args=[world.number])).status_code == 404
    assert other.get(reverse("permis:record", args=[world.neph])).status_code == 404
    agent_b = world.clients["agent_b"]
    assert agent_b.get(reverse("instruction:detail", args=[world.number])).status_code == 404
    page = reverse("instruction:document_page", args=[world.document_pk, 1])
    assert agent_b.get(page).status_code == 404
    assert world.clients["agent_a"].get(page).status_code == 200


def test_unknown_object_ids_give_404_not_500(world):
    client = world.clients["usager"]
    for name, args in [
        ("procedures:document", [uuid.uuid4()]),
        ("procedures:detail", ["ı" * 40]),
        ("permis:record", ["ı" * 300]),
        ("paiements:resultat", ["0" * 64]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
