"""Tests about the code itself (issue 13, as les-emplois does).

- Every model holding personal data declares a retention rule
  (titres/<app>/retention.py, see titres/core/data_retention.py) or is
  listed as not personal, with the reason. The rule for "personal" is
  written below (PERSONAL_FIELD, `is_personal`).
- Every foreign key to a payment, a stamp, a ledger entry or a document is
  PROTECT: that evidence is never deleted as a side effect.
- Every URL pattern is agent-protected, login-protected, or on the one
  reviewed list of public URLs (PUBLIC_URLS, a reason each). Which profile
  gets what from each URL is the role matrix's job (tests/test_url_matrix.py).
- Audit codes come from the apps' enums: `record_event` refuses anything but
  an `AuditCode` member; tests/core/test_audit_codes.py checks the enums and
  the calls; here, no `AuditCode` enum outside an app's `audit.py` (where
  `code_enums` would not see it).
- No text is translated at import time (`gettext` at module or class level
  freezes the language of the first request): `gettext_lazy` there.
- Every `Signal` declared in titres/ has a receiver.

Each check is a function of the models, the URL patterns or a module's
source, shown to fail on a deliberately broken example in its own test.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import models
from django.dispatch import Signal
from django.test.utils import isolate_apps
from django.urls import path

from titres.core.data_retention import Action, not_personal, rules

# A model is personal if it points to an account (foreign key or one-to-one
# to the user model) or has a field whose name, cut at underscores, holds one
# of these words (so `last_name`, `birth_date`, `buyer_email`, `ip` match;
# `username`, `hostname` do not).
PERSONAL_FIELD = re.compile(
    r"(^|_)(name|names|nom|prenoms?|birth|naissance|email|courriel|phone|telephone"
    r"|address|adresse|ip)(_|$)"
)
PROTECTED_TARGETS = frozenset(
    {"paiements.Payment", "paiements.Stamp", "paiements.LedgerEntry", "procedures.Document"}
)


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("titres.")]


def is_personal(model, user_label: str = settings.AUTH_USER_MODEL) -> bool:
    for field in model._meta.concrete_fields:
        related = field.related_model if field.is_relation else None
        if related is not None and related._meta.label == user_label:
            return True
        if PERSONAL_FIELD.search(field.name):
            return True
    return False


def models_without_rule(candidates, declared: set[str], exempt: set[str]) -> list[str]:
    return sorted(
        m._meta.label
        for m in candidates
        if is_personal(m) and m._meta.label not in declared | exempt
    )


def unprotected_links(candidates, targets=PROTECTED_TARGETS) -> list[str]:
    found = []
    for model in candidates:
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            if field.related_model._meta.label not in targets:
                continue
            if field.remote_field.on_delete is not models.PROTECT:
                found.append(
                    f"{model._meta.label}.{field.name} → {field.related_model._meta.label} "
                    f"({field.remote_field.on_delete.__name__})"
                )
    return found


# --- the project ---------------------------------------------------------------------


def test_every_model_with_personal_data_has_a_retention_rule():
    declared = {rule.model for rule in rules()}
    exempt = {item.model for item in not_personal()}
    missing = models_without_rule(project_models(), declared, exempt)
    assert not missing, (
        "Modèles à données personnelles sans règle de conservation : déclarez une "
        "RetentionRule dans titres/<app>/retention.py (ou NotPersonal avec la raison) : "
        + ", ".join(missing)
    )


def test_every_rule_names_a_real_model_and_says_everything():
    exempt = {item.model for item in not_personal()}
    keys = [rule.key for rule in rules()]
    assert len(keys) == len(set(keys)), "deux règles ont la même clé (donnez-leur un name)"
    for rule in rules():
        apps.get_model(rule.model)  # LookupError on a stale entry
        assert rule.model not in exempt, f"{rule.model} : à la fois règle et non personnel"
        assert rule.data and rule.duration and rule.basis, rule.key
        if rule.action is Action.CONSERVER:
            assert rule.purge is None, f"{rule.key} : « conserver » ne purge rien"
    for item in not_personal():
        apps.get_model(item.model)
        assert item.reason


def test_docs_retention_lists_every_rule():
    text = (Path(settings.BASE_DIR) / "docs" / "retention.md").read_text()
    missing = [rule.key for rule in rules() if f"`{rule.key}`" not in text]
    assert not missing, f"docs/retention.md ne cite pas : {', '.join(missing)}"


def test_links_to_payments_stamps_and_documents_are_protected():
    assert unprotected_links(project_models()) == []


# --- each check fails on a broken example --------------------------------------------


@isolate_apps("tests")
def test_the_retention_check_names_a_personal_model_without_rule():
    class Contact(models.Model):  # noqa: DJ008 - throwaway model
        contact_email = models.EmailField()

        class Meta:
            app_label = "tests"

    class Counter(models.Model):  # noqa: DJ008 - throwaway model
        hostname = models.CharField(max_length=10)

        class Meta:
            app_label = "tests"

    assert models_without_rule([Contact, Counter], set(), set()) == ["tests.Contact"]
    assert models_without_rule([Contact], {"tests.Contact"}, set()) == []
    assert models_without_rule([Contact], set(), {"tests.Contact"}) == []


@isolate_apps("tests")
def test_the_retention_check_counts_a_link_to_an_account():
    class Owner(models.Model):  # noqa: DJ008 - throwaway model
        class Meta:
            app_label = "tests"

    class Note(models.Model):  # noqa: DJ008 - throwaway model
        owner = models.ForeignKey(Owner, on_delete=models.CASCADE)

        class Meta:
            app_label = "tests"

    assert is_personal(Note, user_label="tests.Owner")
    assert not is_personal(Owner, user_label="tests.Owner")


@isolate_apps("tests")
def test_the_protect_check_names_a_cascading_link():
    class Receipt(models.Model):  # noqa: DJ008 - throwaway model
        class Meta:
            app_label = "tests"

    class Refund(models.Model):  # noqa: DJ008 - throwaway model
        receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE)
        kept = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "tests"

    assert unprotected_links([Refund], targets={"tests.Receipt"}) == [
        "tests.Refund.receipt → tests.Receipt (CASCADE)"
    ]


@pytest.mark.parametrize("name", ["last_name", "birth_date", "buyer_email", "ip", "phone"])
def test_personal_field_names(name):
    assert PERSONAL_FIELD.search(name)


@pytest.mark.parametrize("name", ["username", "hostname", "status", "key_hash"])
def test_field_names_that_are_not_personal(name):
    assert not PERSONAL_FIELD.search(name)


# --- URLs: agent-protected, login-protected, or reviewed as public ------------------

# Every URL pattern a stranger reaches without signing in, with the reason it
# may. LoginRequiredMiddleware protects everything else; agent views
# (`instruction.auth.agent_view`) are marked `login_not_required` because
# they send strangers to the agents' own login, and are counted as
# agent-protected. A new public URL means a new line here, reviewed.
PUBLIC_URLS: dict[str, str] = {
    # Portal pages anyone reads.
    "core:home": "page d'accueil",
    "core:accessibility": "déclaration d'accessibilité (obligation légale)",
    "core:healthz": "sonde de vie du répartiteur de charge",
    "core:readyz": "sonde de disponibilité",
    "jobs:probe": "sonde de disponibilité des tâches",
    "jobs:scheduler_probe": "sonde de disponibilité du planificateur",
    "core:mailbox": "boîte aux lettres de développement (DEBUG seulement)",
    "core:mailbox_message": "boîte aux lettres de développement (DEBUG seulement)",
    "set_language": "choix de la langue avant connexion",
    "core:twoddoc_verify": "vérification publique d'un 2D-Doc",
    "core:twoddoc_certificates": "certificats 2D-Doc publiés",
    "core:twoddoc_trust_list": "liste de confiance 2D-Doc publiée",
    "core:twoddoc_certificate": "certificat 2D-Doc publié",
    "annuaire:directory": "annuaire public des services",
    "annuaire:communes": "recherche de communes des formulaires (aussi avant connexion)",
    "annuaire:ephoto_check": "vérification d'un code e-photo par le photographe",
    "contact:home": "nous contacter : aussi sans compte (CGU §1.15)",
    "contact:write": "formulaire de contact sans compte (e-mail, CAPTCHA, limité en débit)",
    "contact:complaint": "réclamation sans compte (e-mail, CAPTCHA, limitée en débit)",
    "contact:sent": "numéro de la demande, pour le seul navigateur qui l'a envoyée (session)",
    "contact:ticket_by_link": "lecture d'une demande sans compte : le jeton envoyé par e-mail",
    "permis:photographers": "liste publique des photographes agréés",
    "permis:results": "résultats du permis de conduire (NEPH + date de naissance, limité par IP)",
    "permis:results_cepc": "certificat d’examen du permis (jeton signé, 30 minutes)",
    "vehicules:situation": "certificat de situation administrative (la carte grise est la clé)",
    "vehicules:situation_pdf": "certificat de situation administrative (jeton signé, 30 minutes)",
    # Information pages and the legal pages of the footer (published content only).
    "infos:faq": "questions fréquentes publiées",
    "infos:guides": "guides « Tout savoir » publiés",
    "infos:guide": "guide publié (un brouillon donne 404)",
    "infos:news": "actualités publiées",
    "infos:news_item": "actualité publiée (un brouillon donne 404)",
    "infos:search": "recherche dans les pages publiées (longueur et débit bornés)",
    "infos:cerfa": "liste des formulaires CERFA",
    "infos:legal": "mentions légales (obligation légale)",
    "infos:privacy": "données personnelles (RGPD, information des personnes)",
    "infos:cookies": "gestion des cookies (obligation légale)",
    "infos:sitemap": "plan du site",
    # Account: before one is signed in, by definition.
    "accounts:login": "connexion",
    "accounts:logout": "déconnexion (sans effet pour un inconnu)",
    "accounts:signup": "inscription",
    "accounts:signup_done": "inscription envoyée",
    "accounts:resend_activation": "renvoi du lien d'activation",
    "accounts:activate": "lien d'activation (jeton)",
    "accounts:forgot_identifier": "identifiant oublié",
    "accounts:password_reset": "mot de passe oublié",
    "accounts:password_reset_confirm": "lien de réinitialisation (jeton)",
    "accounts:account_setup": "première connexion d'un compte créé pour la personne (jeton)",
    "accounts:email_confirm": "confirmation d'adresse e-mail (jeton)",
    "accounts:terms": "conditions générales, lisibles avant l'inscription",
    "accounts:mairie_request": "demande de compte d'une mairie",
    "admin:login": "connexion des opérateurs",
    "captcha-image": "image du CAPTCHA des formulaires publics",
    "captcha-image-2x": "image du CAPTCHA des formulaires publics",
    "captcha-audio": "alternative sonore du CAPTCHA",
    # FranceConnect and the local identity provider: the login itself.
    "franceconnect:login": "connexion FranceConnect",
    "franceconnect:callback": "retour de FranceConnect",
    "franceconnect:link_existing": "rattachement à un compte existant pendant la connexion",
    "franceconnect:link_confirm": "confirmation du rattachement (jeton)",
    "franceconnect:logout": "déconnexion FranceConnect",
    "franceconnect:logged_out": "fin de déconnexion FranceConnect",
    "devidp:discovery": "fournisseur d'identité local : découverte OIDC",
    "devidp:jwks": "fournisseur d'identité local : clés publiques",
    "devidp:authorize": "fournisseur d'identité local : authentification",
    "devidp:token": "fournisseur d'identité local : jeton (serveur à serveur)",
    "devidp:userinfo": "fournisseur d'identité local : identité (jeton d'accès)",
    "devidp:end_session": "fournisseur d'identité local : déconnexion",
    # Stamps are bought without an account (the seed's boutique).
    "paiements:boutique": "achat de timbre sans compte",
    "paiements:resultat": "résultat du paiement (jeton)",
    "paiements:timbre_pdf": "timbre acheté (jeton)",
    "paiements:verifier": "vérification d'un timbre",
    "paiements:rembourser": "remboursement d'un timbre (numéro et preuve)",
    "paiements:notification": "notification serveur à serveur du prestataire (signée)",
    "paiements:banque": "banque locale simulée : page de paiement (jeton)",
    "paiements:banque_3ds": "banque locale simulée : 3-D Secure (jeton)",
    "paiements:banque_annulation": "banque locale simulée : annulation (jeton)",
    # Appointments: slots are searched before signing in; a booking is
    # managed from the link of its e-mail.
    "identite:rdv_search": "recherche de créneaux",
    "identite:manage_appointment": "gestion d'un rendez-vous (lien à jeton de l'e-mail)",
    "identite:api_status": "API de coordination des rendez-vous (jeton d'éditeur)",
    "identite:api_appointments": "API de coordination des rendez-vous (jeton d'éditeur)",
    # Partner API: a token in a header (PartnerApiMiddleware), no session.
    "partenaires_api:api-root": "API partenaires (jeton)",
    "partenaires_api:openapi-json": "API partenaires : schéma OpenAPI",
    "partenaires_api:openapi-view": "API partenaires : documentation",
    "partenaires_api:permis": "API partenaires (jeton)",
    "partenaires_api:vehicule": "API partenaires (jeton)",
    "partenaires_api:titre_identite": "API partenaires (jeton)",
    "partenaires_api:pre_demande": "API partenaires (jeton)",
    "partenaires_api:permis_france_connect": "API partenaires (jeton et jeton FranceConnect)",
    "partenaires_api:vehicule_france_connect": "API partenaires (jeton et jeton FranceConnect)",
    "partenaires_api:titre_identite_france_connect": "API partenaires (jeton et jeton FranceConnect)",
    "partenaires_api:pre_demande_france_connect": "API partenaires (jeton et jeton FranceConnect)",
    # The measured availability (seed 004 §3): public, a ceiling per IP.
    "partenaires_api:status": "API partenaires : disponibilité mesurée",
    "partenaires:status": "page publique de disponibilité de l'API partenaires",
    # The agents' entrance: password then second factor, before agent_view.
    "instruction:login": "connexion des agents",
    "instruction:logout": "déconnexion des agents",
    "instruction:otp_enrol": "enrôlement du second facteur (avant agent_view)",
    "instruction:otp_enrol_link": "lien d'enrôlement du second facteur (jeton)",
    "instruction:otp_verify": "saisie du second facteur (avant agent_view)",
}


def protection(pattern, route: str, public_prefixes=None) -> str:
    """ "agent", "login" or "public": what stands between a stranger and the view."""
    prefixes = tuple(settings.PUBLIC_PATH_PREFIXES if public_prefixes is None else public_prefixes)
    callback = pattern.callback
    if getattr(callback, "agent_view", False):
        return "agent"
    if ("/" + route).startswith(prefixes) or not getattr(callback, "login_required", True):
        return "public"
    return "login"


def unreviewed_public_urls(patterns, reviewed, public_prefixes=None) -> list[str]:
    """Public patterns missing from `reviewed`, and reviewed keys no longer public."""
    public = {
        key
        for key, pattern, route in patterns
        if protection(pattern, route, public_prefixes) == "public"
    }
    return sorted(
        [f"public sans revue : {key}" for key in public - set(reviewed)]
        + [f"revu mais plus public : {key}" for key in set(reviewed) - public]
    )


def test_every_url_is_agent_or_login_protected_or_reviewed_public():
    from tests.test_url_matrix import url_patterns

    problems = unreviewed_public_urls(url_patterns(), PUBLIC_URLS)
    assert not problems, (
        "Ajoutez l'URL publique à PUBLIC_URLS avec sa raison, ou protégez la vue :\n"
        + "\n".join(problems)
    )
    assert all(PUBLIC_URLS.values()), "chaque URL publique dit pourquoi"


def _throwaway_view():
    def view(request):
        raise AssertionError("never called")

    return view


def test_the_url_check_names_an_unreviewed_public_url():
    from titres.instruction.auth import agent_view

    patterns = [
        ("t:open", path("ouvert/", login_not_required(_throwaway_view())), "ouvert/"),
        ("t:signed_in", path("compte/", _throwaway_view()), "compte/"),
        ("t:agent", path("agent/", agent_view(_throwaway_view())), "agent/"),
        ("t:api", path("api/x", _throwaway_view()), "api/x"),
    ]
    kinds = [protection(pattern, route, ["/api/"]) for _key, pattern, route in patterns]
    assert kinds == ["public", "login", "agent", "public"]
    assert unreviewed_public_urls(patterns, {}, ["/api/"]) == [
        "public sans revue : t:api",
        "public sans revue : t:open",
    ]
    reviewed = {"t:open": "raison", "t:api": "raison", "t:signed_in": "plus public"}
    assert unreviewed_public_urls(patterns, reviewed, ["/api/"]) == [
        "revu mais plus public : t:signed_in"
    ]


# --- audit codes: enums only in the apps' audit.py ----------------------------------

TITRES = Path(settings.BASE_DIR) / "titres"


def project_sources():
    """(dotted module, source) of every Python module of titres/, migrations aside."""
    for file in sorted(TITRES.rglob("*.py")):
        if "migrations" in file.parts:
            continue
        parts = file.relative_to(TITRES.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield module, file.read_text()


def misplaced_code_enums(module: str, source: str) -> list[str]:
    """AuditCode subclasses outside titres.<app>.audit: record_event would
    take their members, but code_enums (the register, the checks) never sees
    them."""
    if re.fullmatch(r"titres\.[a-z_]+\.audit", module) or module == "titres.core.audit":
        return []
    return [
        f"{module}.{node.name}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(base).split(".")[-1] == "AuditCode" for base in node.bases)
    ]


def test_audit_code_enums_live_in_the_apps_audit_modules():
    found = [
        name
        for module, source in project_sources()
        for name in misplaced_code_enums(module, source)
    ]
    assert not found, f"Déplacez ces codes dans titres/<app>/audit.py : {found}"


def test_the_enum_check_names_an_enum_outside_audit_py():
    source = (
        "from titres.core.audit import AuditCode\n\nclass Local(AuditCode):\n    A = 'permis.a'\n"
    )
    assert misplaced_code_enums("titres.permis.services", source) == [
        "titres.permis.services.Local"
    ]
    assert misplaced_code_enums("titres.permis.audit", source) == []


# --- translations: nothing translated at import time --------------------------------

EAGER_GETTEXT = frozenset({"gettext", "ngettext", "pgettext", "npgettext"})


def import_time_gettext(source: str, filename: str = "<source>") -> list[str]:
    """Calls of gettext (under any alias, `_` included) evaluated when the
    module is imported: module and class bodies, decorators, default values.
    Function bodies run per request, in the request's language: not counted."""
    tree = ast.parse(source, filename)
    eager_names, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            eager_names |= {a.asname or a.name for a in node.names if a.name in EAGER_GETTEXT}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules |= {a.asname or a.name for a in node.names if a.name == "translation"}
        elif isinstance(node, ast.Import):
            modules |= {
                a.asname for a in node.names if a.name == "django.utils.translation" and a.asname
            }

    def eager(call: ast.Call) -> bool:
        func = call.func
        if isinstance(func, ast.Name):
            return func.id in eager_names
        return (
            isinstance(func, ast.Attribute)
            and func.attr in EAGER_GETTEXT
            and ast.unparse(func.value) in modules | {"django.utils.translation"}
        )

    found = []

    def visit(node):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = node.args
            now = [*getattr(node, "decorator_list", []), *args.defaults]
            now += [default for default in args.kw_defaults if default is not None]
            for child in now:
                visit(child)
            return
        if isinstance(node, ast.Call) and eager(node):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:60]}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_no_text_is_translated_at_import_time():
    found = [
        hit for module, source in project_sources() for hit in import_time_gettext(source, module)
    ]
    assert not found, "gettext_lazy au niveau du module ou de la classe :\n" + "\n".join(found)


def test_the_gettext_check_names_import_time_calls():
    source = """
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, ngettext

TITLE = _("Titre")
LAZY = gettext_lazy("Paresseux")

class Form:
    label = translation.gettext("Libellé")
    later = gettext_lazy("Libellé")

    def clean(self, message=ngettext("un", "des", 2)):
        return _("Dans la requête")

def view(request):
    return translation.gettext("Dans la requête")
"""
    found = import_time_gettext(source)
    assert [hit.split(": ")[1] for hit in found] == [
        "_('Titre')",
        "translation.gettext('Libellé')",
        "ngettext('un', 'des', 2)",
    ]


# --- signals: every declared signal is heard ----------------------------------------


def signal_names(source: str) -> list[str]:
    """Module-level names assigned a new `Signal()`."""
    return [
        target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).split(".")[-1] == "Signal"
        for target in node.targets
        if isinstance(target, ast.Name)
    ]


def signals_without_receiver(signals: dict[str, Signal]) -> list[str]:
    return sorted(name for name, signal in signals.items() if not signal.receivers)


def test_every_declared_signal_has_a_receiver():
    declared = {
        f"{module}.{name}": getattr(importlib.import_module(module), name)
        for module, source in project_sources()
        for name in signal_names(source)
    }
    assert declared, "no Signal found: the scan is broken"
    assert signals_without_receiver(declared) == [], (
        "signal sans récepteur : branchez-le ou supprimez-le"
    )


def test_the_signal_check_names_a_signal_nobody_hears():
    source = (
        "from django.dispatch import Signal\nheard = Signal()\nlost = django.dispatch.Signal()\n"
    )
    assert signal_names(source) == ["heard", "lost"]
    heard, lost = Signal(), Signal()

    def receiver(sender, **kwargs):
        pass

    heard.connect(receiver, weak=False)
    assert signals_without_receiver({"heard": heard, "lost": lost}) == ["lost"]
