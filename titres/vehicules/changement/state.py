"""What the buyer's procedure knows about a démarche: its vehicle, the
declaration of sale it relies on, who the new holder is, and its
`ChangeOfHolder` record (taxes, payment, CPI, registry outcome)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from titres.procedures.enums import Status

from ..models import CessionDeclaration, ChangeOfHolder, Vehicle
from ..selectors import RegistryRefusal, vehicles_with_registry
from ..services.cession import code_digest

CODE = "vehicule-changement-titulaire"
START = "pour-commencer"
HOLDER = "nouveau-titulaire"
SUMMARY = "recapitulatif"
PAYMENT = "paiement"
CONSENT = "consentement"
MANDATE = "mandat"
POUR_AUTRUI = "autrui"
# A habilitated professional filing for a client (seed 000 §1.6).
POUR_MANDAT = "mandat"
# The professional's client: a person, or a company (raison sociale, SIRET).
CLIENT_PERSON = "physique"
CLIENT_COMPANY = "morale"

# Statuses of a filed change of holder that keep the vehicle busy.
ONGOING = (Status.EN_COURS, Status.EN_ATTENTE_USAGER, Status.VALIDEE, Status.EN_PRODUCTION)


def start_answers(demarche) -> dict:
    return (demarche.answers or {}).get(START) or {}


def holder_answers(demarche) -> dict:
    return (demarche.answers or {}).get(HOLDER) or {}


def acting_for_someone(answers) -> bool:
    """A trusted third party or a professional under mandate: the holder
    is the person named in step 1, not the filer."""
    return (answers.get(START) or {}).get("pour_qui") in (POUR_AUTRUI, POUR_MANDAT)


def trusted_third_party(answers) -> bool:
    return (answers.get(START) or {}).get("pour_qui") == POUR_AUTRUI


def under_mandate(answers) -> bool:
    return (answers.get(START) or {}).get("pour_qui") == POUR_MANDAT


def company_client(answers) -> dict:
    """{"raison_sociale", "siret"} of a professional's company client
    (empty for a person)."""
    start = answers.get(START) or {}
    if start.get("pour_qui") != POUR_MANDAT or start.get("titulaire_type") != CLIENT_COMPANY:
        return {}
    return {
        "raison_sociale": start.get("titulaire_raison_sociale", ""),
        "siret": start.get("titulaire_siret", ""),
    }


def vehicle_of(demarche) -> Vehicle | None:
    pk = start_answers(demarche).get("vehicule")
    return vehicles_with_registry().filter(pk=pk).first() if pk else None


def declaration_of(demarche) -> CessionDeclaration | None:
    answers = start_answers(demarche)
    code = answers.get("code_cession")
    if answers.get("a_code_cession") != "oui" or not code or not answers.get("vehicule"):
        return None
    return CessionDeclaration.objects.filter(
        code_digest=code_digest(code), vehicle_id=answers["vehicule"]
    ).first()


def franceconnect_identity(user):
    from titres.franceconnect.selectors import franceconnect_identity_for

    return franceconnect_identity_for(user)


def certified_identity(demarche) -> dict:
    """The new holder's identity as FranceConnect certified it, when the
    filer acts for themselves (empty otherwise)."""
    if acting_for_someone(demarche.answers or {}) or demarche.owner is None:
        return {}
    identity = franceconnect_identity(demarche.owner)
    if identity is None:
        return {}
    return {
        "nom_naissance": identity.family_name,
        "prenoms": identity.given_name,
        "nom_usage": identity.preferred_username,
        "sexe": {"female": "F", "male": "M"}.get(identity.gender, ""),
        "date_naissance": identity.birthdate,
    }


def named_holder(demarche) -> dict:
    """The holder a trusted third party (or the professional's client)
    named in step 1."""
    answers = start_answers(demarche)
    if answers.get("pour_qui") not in (POUR_AUTRUI, POUR_MANDAT):
        return {}
    if company_client(demarche.answers or {}):
        return {}
    return {
        "nom_naissance": answers.get("titulaire_nom", ""),
        "prenoms": answers.get("titulaire_prenoms", ""),
        "date_naissance": answers.get("titulaire_date_naissance"),
    }


def new_holder_names(demarche, start: dict) -> tuple[str, str]:
    """(last name, first names) of the new holder from step 1's data."""
    if start.get("pour_qui") in (POUR_AUTRUI, POUR_MANDAT):
        return start.get("titulaire_nom", ""), start.get("titulaire_prenoms", "")
    if demarche.owner is None:  # filer's account deleted (terminated habilitation)
        return "", ""
    identity = franceconnect_identity(demarche.owner)
    if identity is not None:
        return identity.family_name, identity.given_name
    return demarche.owner.last_name, demarche.owner.first_name


def record_of(demarche) -> ChangeOfHolder | None:
    return ChangeOfHolder.objects.filter(demarche=demarche).select_related("vehicle").first()


def check_no_ongoing_change(vehicle: Vehicle, demarche) -> None:
    other = (
        ChangeOfHolder.objects.filter(vehicle=vehicle, demarche__status__in=ONGOING)
        .exclude(demarche=demarche)
        .select_related("demarche")
        .first()
    )
    if other is not None:
        raise RegistryRefusal(
            _(
                "Ce véhicule fait déjà l’objet d’une demande de changement de titulaire en cours "
                "d’instruction : une seule demande peut être traitée à la fois. Si vous êtes "
                "l’acquéreur et n’êtes pas à l’origine de cette demande, contactez le vendeur "
                "ou l’Agence nationale des titres sécurisés."
            ),
            code="ongoing_change",
            field="immatriculation",
        )
