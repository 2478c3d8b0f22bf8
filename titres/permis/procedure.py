"""The téléprocédure "Permis de conduire" (seed 002): its steps, documents,
fee and the hooks that tie it to the national file, the e-photo codes and
the electronic stamps. Registered with the procedure engine by
PermisConfig.ready()."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.procedures.enums import AuthorityKind, Category, Status
from titres.procedures.registry import (
    DocumentRule,
    DocumentsStep,
    FormStep,
    Link,
    ProcedureDefinition,
    SummaryStep,
    find_procedure,
    register_procedure,
)

from . import backoffice
from . import request_forms as rf
from .backoffice import snpc_match
from .submission import store_snpc_match

logger = logging.getLogger(__name__)

CODE = "permis-de-conduire"
DEFAULT_AUTHORITY_CODE = "CERT-PC"
DEFAULT_AUTHORITY_NAME = "CERT permis de conduire (compétence nationale)"

ATTESTATION = gettext_lazy(
    "Je soussigné(e), le (la) déclarant(e), atteste sur l’honneur que les renseignements "
    "de la présente demande sont exacts et ne pas faire l’objet d’une suspension du permis "
    "de conduire en cours d’exécution ou d’une interdiction judiciaire de solliciter la "
    "délivrance du permis de conduire."
)
WARNING = gettext_lazy(
    "Relisez soigneusement les informations de votre récapitulatif. Une fois validée, la "
    "pré-demande ne pourra en effet plus être modifiée et toute erreur risque d’entraîner "
    "l’échec de la procédure de délivrance de votre titre."
)

# --- Documents ---------------------------------------------------------------

DOMICILE = DocumentRule(
    code="domicile",
    label=gettext_lazy("Justificatif de domicile de moins de 3 mois"),
    help_text=gettext_lazy(
        "Facture d’électricité, de gaz, d’eau ou de téléphone, avis d’imposition…"
    ),
    min_pages=1,
    max_pages=5,
)
IDENTITE = DocumentRule(
    code="identite",
    label=gettext_lazy("Pièce d’identité"),
    help_text=gettext_lazy(
        "Carte nationale d’identité ou passeport en cours de validité, recto et verso"
    ),
    min_pages=1,
    max_pages=2,
)
RECEPISSE_VOL = DocumentRule(
    code="recepisse_vol",
    label=gettext_lazy("Récépissé de déclaration de vol"),
    help_text=gettext_lazy("Délivré par la police ou la gendarmerie"),
    min_pages=1,
    max_pages=1,
)
ETAT_CIVIL = DocumentRule(
    code="justificatif_etat_civil",
    label=gettext_lazy("Justificatif du changement d’état civil"),
    help_text=gettext_lazy(
        "Acte de mariage, jugement de divorce, décision de changement de nom ou de prénom…"
    ),
    min_pages=1,
    max_pages=5,
)


def motif_of(answers: dict) -> str:
    return ((answers or {}).get("motif") or {}).get("motif") or ""


def document_rules_for_motif(motif: str) -> list[DocumentRule]:
    rules = [DOMICILE, IDENTITE]
    if motif == rf.VOL:
        rules.append(RECEPISSE_VOL)
    elif motif == rf.CHANGEMENT_ETAT_CIVIL:
        rules.append(ETAT_CIVIL)
    return rules


def document_rules(demarche) -> list[DocumentRule]:
    return document_rules_for_motif(motif_of(demarche.answers))


def needs_stamp(answers: dict) -> bool:
    return motif_of(answers) in rf.PAYING_MOTIFS


def fee_cents(motif: str) -> int:
    from titres.paiements.enums import STAMP_AMOUNTS_CENTS, StampPurpose

    return STAMP_AMOUNTS_CENTS[StampPurpose.PERMIS_PERTE_VOL] if motif in rf.PAYING_MOTIFS else 0


# --- Steps ---------------------------------------------------------------------


def _with_demarche(demarche) -> dict:
    return {"demarche": demarche}


@dataclass(kw_only=True)
class MotifStep(FormStep):
    def summary(self, demarche):
        motif = motif_of(demarche.answers)
        sentence = rf.MOTIF_SENTENCES.get(motif)
        return [(str(_("Motif de la demande")), str(sentence) if sentence else "")]


@dataclass(kw_only=True)
class PhotoStep(FormStep):
    """Without a code the citizen may go on; the final validation requires it
    (and after 15 days the draft is blocked, see request_forms.ephoto_blocked)."""

    def validate(self, demarche):
        errors = super().validate(demarche)
        if errors:
            return errors
        answers = demarche.answers or {}
        if rf.photo_mode(answers) == rf.TALON:
            return []  # the signed paper slip comes by post
        if not (answers.get("photo") or {}).get("code_ephoto"):
            deadline = rf.ephoto_deadline(answers)
            if deadline:
                return [
                    _(
                        "Saisissez votre code photo numérique avant le %(date)s pour pouvoir "
                        "valider votre demande."
                    )
                    % {"date": deadline.strftime("%d/%m/%Y")}
                ]
            return [_("Saisissez votre code photo numérique.")]
        return []

    def summary(self, demarche):
        photo = (demarche.answers or {}).get("photo") or {}
        code = photo.get("code_ephoto")
        from .identifiers import format_ephoto_code

        if code:
            return [(str(_("Code « photo numérique »")), format_ephoto_code(code))]
        if rf.photo_mode(demarche.answers or {}) == rf.TALON:
            return [(str(_("Photo / Signature")), str(rf.TALON_SUMMARY))]
        deadline = rf.ephoto_deadline(demarche.answers or {})
        pending = _("Non fourni")
        if deadline:
            pending = _("Non fourni (à saisir au plus tard le %(date)s)") % {
                "date": deadline.strftime("%d/%m/%Y")
            }
        return [(str(_("Code « photo numérique »")), str(pending))]


@dataclass(kw_only=True)
class PaymentStep(FormStep):
    def summary(self, demarche):
        from titres.paiements.models import format_amount

        number = ((demarche.answers or {}).get("paiement") or {}).get("numero_timbre", "")
        return [
            (str(_("Montant")), format_amount(fee_cents(motif_of(demarche.answers)))),
            (str(_("Timbre fiscal électronique")), number),
        ]


def _on_motif_saved(demarche, data, *, actor, request=None) -> None:
    """A reason without fee gives back a stamp reserved earlier (and forgets
    its number, so coming back to a paying reason starts step 6 afresh)."""
    if not needs_stamp(demarche.answers) and demarche.payment_reference:
        _release(demarche, actor=actor, request=request)
        if "paiement" in demarche.answers:
            demarche.answers = {k: v for k, v in demarche.answers.items() if k != "paiement"}
            demarche.save(update_fields=["answers", "updated_at"])


def _on_etat_civil_saved(demarche, data, *, actor, request=None) -> None:
    """A driving school files for a candidate: record who (acting_for)."""
    if getattr(demarche.owner, "profile", "") != "auto_ecole":
        return
    acting_for = {
        "type": "candidat",
        "nom_naissance": data.get("nom_naissance", ""),
        "nom_usage": data.get("nom_usage", ""),
        "prenoms": data.get("prenoms", []),
        "date_naissance": data.get("date_naissance", ""),
    }
    if demarche.acting_for != acting_for:
        from titres.procedures.models import Demarche

        Demarche.objects.filter(pk=demarche.pk).update(acting_for=acting_for)
        demarche.acting_for = acting_for


def _on_payment_saved(demarche, data, *, actor, request=None) -> None:
    """Reserve the stamp the form checked and link it to the démarche (and
    give back the one typed before, if the citizen changed it). A stamp
    taken by another démarche since the check refuses the save (the
    engine shows the message on the step)."""
    from titres.paiements.enums import StampPurpose
    from titres.paiements.services import StampError, reserve_stamp
    from titres.procedures import services as procedure_services

    number = data.get("numero_timbre") or ""
    if number:
        try:
            reserve_stamp(
                number=number,
                purpose=StampPurpose.PERMIS_PERTE_VOL,
                holder=rf.stamp_holder(demarche),
                actor=actor,
                request=request,
            )
        except StampError as error:
            raise ValidationError({"numero_timbre": error.messages[0]}, code=error.code)
    previous = demarche.payment_reference
    if previous and previous != number:
        _release_number(previous, demarche, actor=actor, request=request)
    if number != previous:
        procedure_services.set_payment_reference(
            demarche=demarche, reference=number, actor=actor, request=request
        )


def _release_number(number: str, demarche, *, actor, request=None) -> None:
    from titres.paiements.services import StampError, release_stamp

    try:
        release_stamp(number=number, holder=rf.stamp_holder(demarche), actor=actor, request=request)
    except StampError as error:
        # Used or held elsewhere: nothing to give back, keep a trace.
        logger.warning("timbre %s non libéré (%s) : %s", number, demarche.number, error.messages[0])


def _release(demarche, *, actor, request=None) -> None:
    from titres.procedures import services as procedure_services

    _release_number(demarche.payment_reference, demarche, actor=actor, request=request)
    if demarche.status == Status.BROUILLON:
        procedure_services.set_payment_reference(
            demarche=demarche, reference="", actor=actor, request=request
        )


def photo_step() -> PhotoStep:
    """The e-photo step, the same in every licence procedure."""
    return PhotoStep(
        slug="photo",
        title=gettext_lazy("Photo / Signature"),
        form_class=rf.PhotoForm,
        form_kwargs=_with_demarche,
        template_name="permis/wizard/step_photo.html",
    )


def summary_step() -> SummaryStep:
    """The récapitulatif with the licence procedures' sworn statement."""
    return SummaryStep(
        slug="recapitulatif",
        title=gettext_lazy("Récapitulatif"),
        attestation=ATTESTATION,
        warning=WARNING,
        template_name="permis/wizard/step_summary.html",
    )


def refuse_blocked_draft(demarche) -> None:
    """A draft without an e-photo code 15 days on is blocked
    (request_forms.ephoto_blocked): no licence procedure submits it."""
    answers = demarche.answers or {}
    if rf.ephoto_blocked(answers):
        deadline = rf.ephoto_deadline(answers)
        raise ValidationError(rf.BLOCKED_MESSAGE % {"date": deadline.strftime("%d/%m/%Y")})


STEPS = [
    MotifStep(
        slug="motif",
        title=gettext_lazy("Motif de demande"),
        form_class=rf.MotifForm,
        form_kwargs=_with_demarche,
        on_save=_on_motif_saved,
        template_name="permis/wizard/step_motif.html",
    ),
    FormStep(
        slug="etat_civil",
        title=gettext_lazy("État civil"),
        help_text=gettext_lazy("État civil de la personne concernée par le titre"),
        form_class=rf.EtatCivilForm,
        form_kwargs=_with_demarche,
        on_save=_on_etat_civil_saved,
        template_name="permis/wizard/step_etat_civil.html",
    ),
    FormStep(
        slug="adresse",
        title=gettext_lazy("Adresse et contact"),
        help_text=gettext_lazy(
            "Adresse de la personne concernée par le titre et coordonnées où l’on peut vous joindre"
        ),
        form_class=rf.AdresseForm,
        form_kwargs=_with_demarche,
        template_name="permis/wizard/step_adresse.html",
    ),
    photo_step(),
    # Seed 002: "for loss, the loss declaration is made within the procedure
    # (a sworn statement screen, no upload)": part of step 5, stored under
    # answers["pieces"] (date_perte, lieu_perte, circonstances, attestation).
    DocumentsStep(
        slug="pieces",
        title=gettext_lazy("Pièces justificatives"),
        form_class=rf.DeclarationPerteForm,
        form_kwargs=_with_demarche,
        form_condition=lambda answers: motif_of(answers) == rf.PERTE,
        form_title=gettext_lazy("Déclaration de perte"),
        form_help_text=gettext_lazy(
            "En cas de perte, la déclaration de perte se fait ici : elle remplace le "
            "formulaire cerfa n° 14882 et aucun document n’est à joindre pour la perte."
        ),
    ),
    PaymentStep(
        slug="paiement",
        title=gettext_lazy("Paiement"),
        form_class=rf.PaiementForm,
        form_kwargs=_with_demarche,
        on_save=_on_payment_saved,
        condition=needs_stamp,
        template_name="permis/wizard/step_paiement.html",
    ),
    summary_step(),
]


# --- Authority -------------------------------------------------------------------


def default_authority():
    from titres.procedures.models import Authority

    authority, _created = Authority.objects.get_or_create(
        code=DEFAULT_AUTHORITY_CODE,
        defaults={"name": DEFAULT_AUTHORITY_NAME, "kind": AuthorityKind.CERT},
    )
    return authority


def authority_for_departement(code: str | None):
    """The active authority serving département `code`, else the national CERT.
    (JSON "contains" is not available on SQLite: filter in Python; the table
    holds one row per prefecture or CERT.)"""
    from titres.procedures.models import Authority

    if code:
        for authority in Authority.objects.filter(is_active=True).order_by("code"):
            if code in (authority.departements or []):
                return authority
    return default_authority()


def resolve_authority(demarche):
    return authority_for_departement(
        ((demarche.answers or {}).get("adresse") or {}).get("prefecture")
    )


# --- Submission --------------------------------------------------------------------


def before_submit(demarche) -> None:
    """Step 7: a suspended, cancelled or invalidated licence is refused with
    the reason; a blocked draft (no e-photo code after 15 days) too."""
    from .matching import licence_refusal_reason

    refuse_blocked_draft(demarche)
    reason = licence_refusal_reason(snpc_match(demarche).record)
    if reason:
        raise ValidationError(reason, code="licence")


def on_submitted(demarche, *, actor, request=None) -> None:
    """Inside the submission transaction: consume the stamp, use the e-photo
    code, store the SNPC match for the agent. Any refusal cancels the whole
    submission (TransitionRefused naming the step, shown on the récapitulatif)."""
    from titres.paiements.enums import StampPurpose
    from titres.paiements.services import StampError, consume_stamp
    from titres.procedures.workflow import TransitionRefused

    from .models import LicenceRequest
    from .services import use_ephoto_code

    answers = demarche.answers or {}
    try:
        if needs_stamp(answers):
            consume_stamp(
                number=answers["paiement"]["numero_timbre"],
                holder=rf.stamp_holder(demarche),
                purpose=StampPurpose.PERMIS_PERTE_VOL,
                actor=actor,
                request=request,
            )
        elif demarche.payment_reference:
            _release(demarche, actor=actor, request=request)
    except StampError as error:
        raise TransitionRefused(
            error.messages[0], code="stamp", errors=[("paiement", error.messages[0])]
        )
    try:
        photo = use_ephoto_code(
            code=answers["photo"]["code_ephoto"], holder=actor, reference=demarche.number
        )
    except ValidationError as error:
        raise TransitionRefused(
            error.messages[0], code="ephoto", errors=[("photo", error.messages[0])]
        )

    result, match = store_snpc_match(demarche, answers)
    LicenceRequest.objects.create(
        demarche=demarche,
        motif=motif_of(answers),
        record=result.record,
        match_method=result.method,
        match=match,
        needs_review=not result.is_exact,
        ephoto=photo,
        stamp_number=(answers.get("paiement") or {}).get("numero_timbre", "")
        if needs_stamp(answers)
        else "",
    )


def on_abandoned(demarche, *, actor) -> None:
    """An abandoned draft (by the citizen, or by the system after a long
    inactivity) gives its stamp back; a submitted file used it already."""
    if demarche.payment_reference and demarche.submitted_at is None:
        _release_number(demarche.payment_reference, demarche, actor=actor)


def confirmation_url(demarche) -> str:
    """Step 8 is the licence request's own page, with its receipt."""
    return reverse("permis:request_confirmation", args=[demarche.number])


def links(demarche) -> list[Link]:
    """On the file's page: the receipt, once the request is submitted."""
    if demarche.is_draft:
        return []
    return [
        Link(
            label=_("Justificatif de la pré-demande"),
            url=reverse("permis:request_receipt", args=[demarche.number]),
            detail="PDF",
            download=True,
        )
    ]


def available_to(user) -> bool:
    """Private individuals for themselves, driving schools for their candidates."""
    return getattr(user, "profile", "particulier") in {"particulier", "auto_ecole"}


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.PERMIS,
        title=gettext_lazy("Permis de conduire : demande de renouvellement"),
        description=gettext_lazy(
            "Renouvellement du titre après perte, vol, détérioration, expiration de la durée "
            "administrative ou changement d’état civil : demandez votre nouveau permis de "
            "conduire en ligne."
        ),
        steps=STEPS,
        document_rules=document_rules,
        authority_resolver=resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        on_abandoned=on_abandoned,
        available_to=available_to,
        confirmation_title=gettext_lazy("Confirmation"),
        # Always "Étape n sur 8" (seed 002): the payment step keeps number 6
        # and is passed through when the reason has no fee.
        fixed_numbering=True,
        confirmation_url=confirmation_url,
        links=links,
        extra={"provisional_attestation": True},
        **backoffice.hooks(),
    )


def register() -> None:
    if find_procedure(CODE) is None:
        register_procedure(definition())
