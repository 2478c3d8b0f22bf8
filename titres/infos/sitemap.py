"""The « Plan du site », built from the URL tree itself.

`pages()` walks the project's URL patterns and keeps those a person opens
in a browser without arguments; each must have a label here (LABELS) or be
listed as not a page (NOT_PAGES, with the reason). tests/infos/test_sitemap.py
fails on a public page that is in neither, so a new page cannot be
forgotten; a pattern that disappears simply leaves the plan.

Pages that need an account are listed too (marked), so a visitor knows
what exists behind the sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import gettext_lazy as _

# Sections of the plan, in order, by URL namespace.
SECTIONS = {
    "core": _("Accueil et services"),
    "infos": _("Informations"),
    "accounts": _("Compte"),
    "procedures": _("Démarches"),
    "permis": _("Permis de conduire"),
    "vehicules": _("Immatriculation"),
    "identite": _("Carte d’identité et passeport"),
    "paiements": _("Timbres électroniques"),
    "annuaire": _("Services associés"),
    "contact": _("Nous contacter"),
    "partenaires": _("Partenaires"),
    "instruction": _("Espace agents"),
}

LABELS = {
    "core:home": _("Accueil"),
    "core:dashboard": _("Tableau de bord"),
    "core:accessibility": _("Déclaration d’accessibilité"),
    "core:twoddoc_verify": _("Vérifier un document (2D-Doc)"),
    "core:twoddoc_certificates": _("Certificats de signature des 2D-Doc"),
    "infos:faq": _("Questions fréquentes"),
    "infos:guides": _("Tout savoir sur vos démarches"),
    "infos:news": _("Actualités"),
    "infos:search": _("Rechercher dans l’aide"),
    "infos:cerfa": _("Formulaires CERFA"),
    "infos:legal": _("Mentions légales"),
    "infos:privacy": _("Données personnelles"),
    "infos:cookies": _("Gestion des cookies"),
    "infos:sitemap": _("Plan du site"),
    "accounts:login": _("Se connecter"),
    "accounts:signup": _("Créer un compte"),
    "accounts:resend_activation": _("Recevoir à nouveau le lien d’activation"),
    "accounts:forgot_identifier": _("Identifiant oublié"),
    "accounts:password_reset": _("Mot de passe oublié"),
    "accounts:terms": _("Conditions générales d’utilisation"),
    "accounts:mairie_request": _("Demander un compte mairie"),
    "accounts:account": _("Mon compte"),
    "procedures:list": _("Mes démarches"),
    "procedures:new": _("Nouvelle demande"),
    "permis:my_licence": _("Mon permis de conduire"),
    "permis:photographers": _("Photographes agréés"),
    "permis:results": _("Résultats du permis de conduire"),
    "vehicules:espace": _("Mon espace immatriculation"),
    "vehicules:cession_declarer": _("Déclarer la cession d’un véhicule"),
    "vehicules:situation": _("Certificat de situation administrative (non-gage)"),
    "paiements:boutique": _("Acheter un timbre électronique"),
    "paiements:verifier": _("Vérifier un timbre électronique"),
    "paiements:rembourser": _("Demander le remboursement d’un timbre"),
    "annuaire:directory": _("Trouver un lieu près de chez vous"),
    "annuaire:ephoto_check": _("Vérifier un code photo-signature"),
    "contact:home": _("Nous contacter"),
    "contact:complaint": _("Faire une réclamation"),
    "contact:my_tickets": _("Mes demandes de contact"),
    "identite:rdv_search": _("Prendre rendez-vous en mairie"),
    "partenaires:status": _("Disponibilité de l’API partenaires"),
    "instruction:login": _("Connexion des agents"),
}

# Public argument-free patterns that are not pages a person browses to.
NOT_PAGES = {
    "core:healthz": "sonde de supervision",
    "core:readyz": "sonde de supervision",
    "core:twoddoc_trust_list": "fichier PEM",
    "core:mailbox": "boîte aux lettres de développement",
    "set_language": "action (POST) du sélecteur de langue",
    "accounts:logout": "confirmation de déconnexion",
    "accounts:signup_done": "étape après la création du compte",
    "annuaire:communes": "suggestions (JSON) du champ de recherche",
    "franceconnect:callback": "retour de FranceConnect",
    "franceconnect:link_existing": "étape du rattachement FranceConnect",
    "franceconnect:logged_out": "page après la déconnexion FranceConnect",
    "franceconnect:login": "départ vers FranceConnect (bouton de la page de connexion)",
    "franceconnect:logout": "action de déconnexion",
    "identite:api_appointments": "API de coordination des rendez-vous (JSON)",
    "identite:api_status": "API de coordination des rendez-vous (JSON)",
    "instruction:home": "redirige vers la connexion ou la liste des agents",
    "permis:exam_results": "écran des agents habilités (second facteur et permission)",
    "instruction:logout": "action de déconnexion",
    "instruction:otp_enrol": "étape du second facteur des agents",
    "instruction:otp_verify": "étape du second facteur des agents",
    "jobs:probe": "sonde de supervision",
    "jobs:scheduler_probe": "sonde de supervision",
}


@dataclass(frozen=True)
class Entry:
    name: str
    label: str
    url: str
    public: bool


def _walk(resolver: URLResolver, namespace: str = ""):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = (
                f"{namespace}:{item.namespace}"
                if namespace and item.namespace
                else (item.namespace or namespace)
            )
            yield from _walk(item, inner)
        elif isinstance(item, URLPattern) and item.name:
            name = f"{namespace}:{item.name}" if namespace else item.name
            yield name, item


def argument_free_patterns() -> dict[str, URLPattern]:
    """Named patterns reversible without arguments, first definition wins."""
    found: dict[str, URLPattern] = {}
    for name, pattern in _walk(get_resolver()):
        if pattern.pattern.regex.groups or name in found:
            continue
        found[name] = pattern
    return found


def is_public(pattern: URLPattern) -> bool:
    return getattr(pattern.callback, "login_required", True) is False


def pages() -> list[tuple[str, list[Entry]]]:
    """The plan: (section label, entries) for every labelled page that
    exists in the URL tree, public pages first in each section."""
    found = argument_free_patterns()
    sections: dict[str, list[Entry]] = {}
    for name, label in LABELS.items():
        pattern = found.get(name)
        if pattern is None:
            continue
        namespace = name.split(":", 1)[0]
        sections.setdefault(namespace, []).append(
            Entry(name, str(label), reverse(name), is_public(pattern))
        )
    return [
        (str(SECTIONS.get(namespace, namespace)), sorted(entries, key=lambda e: not e.public))
        for namespace, entries in sorted(
            sections.items(), key=lambda item: list(SECTIONS).index(item[0])
        )
    ]


def unlisted_public_pages() -> list[str]:
    """Public argument-free patterns neither labelled nor declared not pages
    (the test requires none); the admin and third-party URL sets excluded."""
    return sorted(
        name
        for name, pattern in argument_free_patterns().items()
        if is_public(pattern)
        and name not in LABELS
        and name not in NOT_PAGES
        and not name.startswith(("admin:", "devidp:", "api-", "captcha"))
    )
