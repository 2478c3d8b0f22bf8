"""The "demande de fabrication du titre" after the exam: the candidate (or
the driving school that registered them) asks for the first card. The pass
is checked in the SNPC, the CEPC referenced; the prefecture validates and
transmits to production like any licence request, and the production of
the card makes the SNPC file valid with its probationary points
(services.issue_first_licence)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from titres.procedures.enums import Category
from titres.procedures.registry import (
    FormStep,
    ProcedureDefinition,
    SummaryStep,
    find_procedure,
    register_procedure,
)

from .. import backoffice
from .. import procedure as licence
from .. import request_forms as rf
from ..identifiers import cleaned_neph, format_neph
from . import rules

CODE = "permis-fabrication"
MOTIF = "fabrication"
UNKNOWN = gettext_lazy("Aucun dossier ne correspond à ce numéro et à cette date de naissance.")


def record_for(user, neph: str, birth_date):
    """The SNPC file this user may ask a title for: a school only for a
    candidate it registered, a person for the inscription they filed or
    the file attached to their account. Anything else reads as unknown."""
    from ..models import LicenceHolderLink, LicenceRecord, LicenceRequest

    record = LicenceRecord.objects.filter(neph=neph, birth_date=birth_date).first()
    if record is None:
        return None
    filed = LicenceRequest.objects.filter(
        record=record, motif="inscription", demarche__owner=user
    ).exists()
    linked = LicenceHolderLink.objects.filter(user=user, record=record).exists()
    return record if filed or linked else None


class FabricationForm(DsfrBaseForm):
    neph = forms.CharField(
        label=gettext_lazy("Numéro de dossier (NEPH) du candidat"),
        help_text=gettext_lazy("12 chiffres, indiqués sur l’attestation d’inscription"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_naissance = rf.PastDateField(
        label=gettext_lazy("Date de naissance du candidat"),
        help_text=gettext_lazy("Format attendu : JJ/MM/AAAA"),
        future_message=gettext_lazy("La date de naissance doit être une date passée."),
    )

    def __init__(self, *args, **kwargs):
        self.demarche = kwargs.pop("demarche", None)
        super().__init__(*args, **kwargs)
        self.check = None

    def clean_neph(self):
        return cleaned_neph(self.cleaned_data["neph"])

    def clean(self):
        from titres.procedures.models import Demarche

        from ..exams import check_for_title

        data = super().clean()
        if not data.get("neph") or not data.get("date_naissance") or self.demarche is None:
            return data
        record = record_for(self.demarche.owner, data["neph"], data["date_naissance"])
        if record is None:
            raise ValidationError(UNKNOWN)
        self.check = check_for_title(record)
        if not self.check.ok:
            raise ValidationError(self.check.error)
        pending = (
            Demarche.objects.filter(procedure_code=CODE, licence_request__record=record)
            .exclude(pk=self.demarche.pk)
            .exclude(status__in=["ABANDONNEE", "REJETEE"])
            .first()
        )
        if pending is not None:
            raise ValidationError(
                _(
                    "Une demande de fabrication du titre est déjà en cours pour ce dossier (n° %(n)s)."
                )
                % {"n": pending.display_number}
            )
        return data


def _record(demarche):
    from ..models import LicenceRecord

    neph = ((demarche.answers or {}).get("permis") or {}).get("neph")
    return LicenceRecord.objects.filter(neph=neph).first() if neph else None


@dataclass(kw_only=True)
class ResultStep(FormStep):
    """The candidate's file and exam results as the SNPC holds them."""

    def summary(self, demarche):
        from ..exams import valid_theory_test

        record = _record(demarche)
        if record is None:
            return []
        rows = [
            (str(_("Numéro de dossier (NEPH)")), format_neph(record.neph)),
            (str(_("Candidat")), f"{record.first_names} {record.birth_name}"),
        ]
        etg = valid_theory_test(record, timezone.localdate())
        if etg:
            rows.append(
                (
                    str(_("Épreuve théorique (code)")),
                    _("réussie le %(date)s à %(centre)s, valable jusqu’au %(end)s")
                    % {
                        "date": etg.taken_on.strftime("%d/%m/%Y"),
                        "centre": etg.centre,
                        "end": etg.valid_until.strftime("%d/%m/%Y"),
                    },
                )
            )
        for test in record.practical_tests.order_by("taken_on"):
            if test.passed:
                value = _(
                    "réussie le %(date)s à %(centre)s — CEPC n° %(cepc)s valable jusqu’au %(end)s"
                ) % {
                    "date": test.taken_on.strftime("%d/%m/%Y"),
                    "centre": test.centre,
                    "cepc": test.cepc_number,
                    "end": test.cepc_valid_until.strftime("%d/%m/%Y"),
                }
            else:
                value = _("échec le %(date)s à %(centre)s") % {
                    "date": test.taken_on.strftime("%d/%m/%Y"),
                    "centre": test.centre,
                }
            rows.append(
                (str(_("Épreuve pratique %(category)s") % {"category": test.category}), value)
            )
        return rows


STEPS = [
    ResultStep(
        slug="permis",
        title=gettext_lazy("Résultat de l’examen"),
        help_text=gettext_lazy(
            "Le résultat de l’examen est vérifié dans le fichier national des permis de conduire."
        ),
        form_class=FabricationForm,
        form_kwargs=licence._with_demarche,
    ),
    FormStep(
        slug="adresse",
        title=gettext_lazy("Adresse et contact"),
        help_text=gettext_lazy("Adresse où le titre sera envoyé et coordonnées du titulaire"),
        form_class=rf.AdresseForm,
        form_kwargs=licence._with_demarche,
        template_name="permis/wizard/step_adresse.html",
    ),
    SummaryStep(
        slug="recapitulatif",
        title=gettext_lazy("Récapitulatif"),
        attestation=licence.ATTESTATION,
        warning=licence.WARNING,
        template_name="permis/wizard/step_summary.html",
    ),
]


def on_submitted(demarche, *, actor, request=None) -> None:
    """The file's civil status joins the answers (the back office lists and
    compares it), and the request records the SNPC file and the CEPCs."""
    from ..exams import check_for_title
    from ..models import LicenceRequest

    record = _record(demarche)
    check = check_for_title(record)
    if not check.ok:
        from titres.procedures.workflow import TransitionRefused

        raise TransitionRefused(check.error, code="snpc", errors=[("permis", check.error)])
    answers = dict(demarche.answers or {})
    answers["etat_civil"] = {
        "nom_naissance": record.birth_name,
        "nom_usage": record.usage_name,
        "prenoms": record.first_names_list,
        "sexe": record.sex,
        "date_naissance": record.birth_date.isoformat(),
        "commune_naissance": record.birth_commune,
        "departement_naissance": record.birth_departement,
        "pays_naissance": record.birth_country,
    }
    match = {
        "method": "neph",
        "exact": True,
        "cepc": [
            {"categorie": p.category, "numero": p.cepc_number, "date": p.taken_on.isoformat()}
            for p in check.passes
        ],
        "date": timezone.now().isoformat(),
    }
    answers["_snpc"] = match
    demarche.answers = answers
    demarche.save(update_fields=["answers", "updated_at"])
    LicenceRequest.objects.create(
        demarche=demarche,
        motif=MOTIF,
        categories=[p.category for p in check.passes],
        record=record,
        match_method="neph",
        match=match,
        needs_review=False,
    )


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.PERMIS,
        title=gettext_lazy("Permis de conduire : demande de fabrication du titre après l’examen"),
        description=gettext_lazy(
            "Après la réussite à l’épreuve pratique : le candidat, ou son école de conduite, "
            "demande la fabrication du premier titre. Le certificat d’examen (CEPC) vaut "
            "autorisation provisoire de conduire pendant quatre mois."
        ),
        steps=STEPS,
        authority_resolver=licence.resolve_authority,
        on_submitted=on_submitted,
        available_to=lambda user: (
            getattr(user, "profile", "particulier") in {"particulier", rules.SCHOOL_PROFILE}
        ),
        confirmation_title=gettext_lazy("Confirmation"),
        # The CEPC is the provisional right until the card arrives; the
        # attestation provisoire adds the validated request.
        extra={"provisional_attestation": True},
        **backoffice.hooks(),
    )


def register() -> None:
    if find_procedure(CODE) is None:
        register_procedure(definition())
