"""The "extension de catégorie": a category added to an existing licence
after its exam. Filed by the holder, or by their driving school with the
holder's mandate. The SNPC is asked whether the practical test of each
category was passed (and its CEPC still valid) and whether the
prerequisites of categories.toml hold; the prefecture instructs it like
the other licence requests, and when the new card is made the categories
join the file with the date of their exam (services.record_new_title →
services.add_passed_categories)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from titres.procedures.enums import Category as ProcedureCategory
from titres.procedures.registry import (
    DocumentsStep,
    FormStep,
    ProcedureDefinition,
    find_procedure,
    register_procedure,
)

from . import backoffice
from . import procedure as licence
from . import request_forms as rf
from .enums import LicenceState
from .identifiers import cleaned_neph, format_neph
from .inscription import rules
from .inscription.categories import category_choices, category_errors, medical_required
from .submission import spend_ephoto_code

CODE = "permis-extension"
MOTIF = "extension"
MAX_CATEGORIES = 4
UNKNOWN = gettext_lazy("Aucun dossier ne correspond à ce numéro et à cette date de naissance.")
OPEN_STATUSES_EXCLUDED = ("ABANDONNEE", "REJETEE", "TERMINEE")


def record_for(user, neph: str, birth_date):
    """The SNPC file this account may ask an extension for: a person their
    own (attached to the account, or the inscription they filed); a driving
    school any file whose NEPH and birth date it knows (the holder's mandate
    is a supporting document the prefecture checks). Anything else reads
    as unknown, like a wrong number."""
    from .models import LicenceHolderLink, LicenceRecord, LicenceRequest

    record = LicenceRecord.objects.filter(neph=neph, birth_date=birth_date).first()
    if record is None:
        return None
    if rules.filed_by_school_user(user):
        return record
    own = (
        LicenceHolderLink.objects.filter(user=user, record=record).exists()
        or LicenceRequest.objects.filter(
            record=record, motif="inscription", demarche__owner=user
        ).exists()
    )
    return record if own else None


@dataclass
class ExtensionCheck:
    """What the SNPC says about adding `categories` to `record`."""

    record: object
    categories: list[str]
    passes: dict = field(default_factory=dict)  # category → PracticalTest
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_extension(record, categories: list[str], *, on: date | None = None) -> ExtensionCheck:
    """May `categories` be added to `record` on `on`? A valid licence, each
    category not held yet, its practical test passed with a CEPC still
    valid, and the prerequisites of the dated table (a prerequisite passed
    in the same request counts from its exam date). French errors say what
    is missing."""
    from .matching import licence_refusal_reason

    on = on or timezone.localdate()
    check = ExtensionCheck(record, list(categories))
    if record.state == LicenceState.EN_FORMATION:
        check.errors.append(
            _(
                "Ce dossier n’a pas encore de permis de conduire : après la réussite à "
                "l’examen, demandez la fabrication du premier titre."
            )
        )
        return check
    reason = licence_refusal_reason(record)
    if reason:
        check.errors.append(reason)
        return check
    held = {c.category: c.obtained_on for c in record.categories.all()}
    tests = list(record.practical_tests.filter(passed=True, category__in=categories))
    for code in categories:
        if code in held:
            check.errors.append(
                _("Le titulaire est déjà titulaire de la catégorie %(category)s.")
                % {"category": code}
            )
            continue
        passes = sorted((t for t in tests if t.category == code), key=lambda t: t.taken_on)
        if not passes:
            check.errors.append(
                _(
                    "Aucune réussite à l’épreuve pratique de la catégorie %(category)s n’est "
                    "enregistrée dans le fichier national pour ce dossier."
                )
                % {"category": code}
            )
            continue
        current = [t for t in passes if t.cepc_valid_until and t.cepc_valid_until >= on]
        if not current:
            last = passes[-1]
            check.errors.append(
                _(
                    "Le certificat d’examen (CEPC) n° %(number)s du %(date)s n’est plus valable "
                    "depuis le %(end)s : adressez-vous à la préfecture."
                )
                % {
                    "number": last.cepc_number,
                    "date": last.taken_on.strftime("%d/%m/%Y"),
                    "end": last.cepc_valid_until.strftime("%d/%m/%Y"),
                }
            )
            continue
        check.passes[code] = current[-1]
    if check.errors:
        return check
    # Prerequisites: what the licence holds, plus the categories of this
    # request from their exam date (C1 and C1E passed together).
    obtained = {**held, **{code: test.taken_on for code, test in check.passes.items()}}
    for code in categories:
        others = {k: v for k, v in obtained.items() if k != code}
        for error in category_errors([code], birth_date=record.birth_date, on=on, held=others):
            check.errors.append(error)
    return check


class ExtensionForm(DsfrBaseForm):
    neph = forms.CharField(
        label=gettext_lazy("Numéro de dossier (NEPH) du titulaire"),
        help_text=gettext_lazy("12 chiffres, indiqués sur le permis (rubrique 5)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_naissance = rf.PastDateField(
        label=gettext_lazy("Date de naissance du titulaire"),
        help_text=gettext_lazy("Format attendu : JJ/MM/AAAA"),
        future_message=gettext_lazy("La date de naissance doit être une date passée."),
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Catégories à ajouter au permis"),
        help_text=gettext_lazy(
            "Cochez chaque catégorie dont l’épreuve pratique a été réussie. Le résultat est "
            "vérifié dans le fichier national des permis de conduire."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choisissez au moins une catégorie.")},
    )

    def __init__(self, *args, **kwargs):
        self.demarche = kwargs.pop("demarche", None)
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices()
        self.check = None

    def clean_neph(self):
        return cleaned_neph(self.cleaned_data["neph"])

    def clean_categories(self):
        categories = self.cleaned_data["categories"]
        if len(categories) > MAX_CATEGORIES:
            raise ValidationError(
                _("Choisissez au plus %(max)s catégories.") % {"max": MAX_CATEGORIES}
            )
        return categories

    def clean(self):
        from titres.procedures.models import Demarche

        data = super().clean()
        if not all(data.get(k) for k in ("neph", "date_naissance", "categories")):
            return data
        if self.demarche is None:
            return data
        record = record_for(self.demarche.owner, data["neph"], data["date_naissance"])
        if record is None:
            raise ValidationError(UNKNOWN)
        self.check = check_extension(record, data["categories"])
        for error in self.check.errors:
            self.add_error("categories", error)
        if not self.check.ok:
            return data
        pending = (
            Demarche.objects.filter(procedure_code=CODE, licence_request__record=record)
            .exclude(pk=self.demarche.pk)
            .exclude(status__in=OPEN_STATUSES_EXCLUDED)
            .first()
        )
        if pending is not None:
            raise ValidationError(
                _("Une demande d’extension est déjà en cours pour ce permis (n° %(n)s).")
                % {"n": pending.display_number}
            )
        return data


def _answers(demarche) -> dict:
    return (demarche.answers or {}).get("permis") or {}


def record_of(demarche):
    from .models import LicenceRecord

    neph = _answers(demarche).get("neph")
    return LicenceRecord.objects.filter(neph=neph).first() if neph else None


def categories_of(answers: dict) -> list[str]:
    return list(((answers or {}).get("permis") or {}).get("categories") or [])


@dataclass(kw_only=True)
class ExtensionStep(FormStep):
    """The licence and the exam of each category, as the SNPC holds them."""

    def summary(self, demarche):
        record = record_of(demarche)
        if record is None:
            return []
        held = ", ".join(c.category for c in record.categories_in_order) or "—"
        rows = [
            (str(_("Numéro de dossier (NEPH)")), format_neph(record.neph)),
            (str(_("Titulaire")), f"{record.first_names} {record.birth_name}"),
            (str(_("Catégories déjà obtenues")), held),
        ]
        check = check_extension(record, categories_of(demarche.answers))
        for code in categories_of(demarche.answers):
            test = check.passes.get(code)
            value = (
                _("réussie le %(date)s à %(centre)s — CEPC n° %(cepc)s valable jusqu’au %(end)s")
                % {
                    "date": test.taken_on.strftime("%d/%m/%Y"),
                    "centre": test.centre,
                    "cepc": test.cepc_number,
                    "end": test.cepc_valid_until.strftime("%d/%m/%Y"),
                }
                if test
                else _("non vérifiée")
            )
            rows.append((str(_("Épreuve pratique %(category)s") % {"category": code}), str(value)))
        return rows


def document_rules(demarche) -> list:
    """Identity and address always (the card is posted); the medical opinion
    for a heavy category; the holder's mandate when a school files."""
    result = [licence.IDENTITE, licence.DOMICILE]
    categories = categories_of(demarche.answers)
    if categories and medical_required(categories, rules.filing_day(demarche)):
        result.append(rules.AVIS_MEDICAL)
    if rules.filed_by_school(demarche):
        result.append(rules.MANDAT_TITULAIRE)
    return result


def _on_permis_saved(demarche, data, *, actor, request=None) -> None:
    """A school files for the holder: who it is (acting_for), from the SNPC."""
    if not rules.filed_by_school(demarche):
        return
    record = record_of(demarche)
    if record is None:
        return
    acting_for = {
        "type": "titulaire",
        "nom_naissance": record.birth_name,
        "nom_usage": record.usage_name,
        "prenoms": record.first_names_list,
        "date_naissance": record.birth_date.isoformat(),
    }
    if demarche.acting_for != acting_for:
        from titres.procedures.models import Demarche

        Demarche.objects.filter(pk=demarche.pk).update(acting_for=acting_for)
        demarche.acting_for = acting_for


STEPS = [
    ExtensionStep(
        slug="permis",
        title=gettext_lazy("Permis et examen"),
        help_text=gettext_lazy(
            "Le permis du titulaire et les catégories dont l’examen a été réussi."
        ),
        form_class=ExtensionForm,
        form_kwargs=licence._with_demarche,
        on_save=_on_permis_saved,
    ),
    FormStep(
        slug="adresse",
        title=gettext_lazy("Adresse et contact"),
        help_text=gettext_lazy(
            "Adresse où le nouveau titre sera envoyé et coordonnées du titulaire"
        ),
        form_class=rf.AdresseForm,
        form_kwargs=licence._with_demarche,
        template_name="permis/wizard/step_adresse.html",
    ),
    licence.photo_step(),
    DocumentsStep(slug="pieces", title=gettext_lazy("Pièces justificatives")),
    licence.summary_step(),
]


def before_submit(demarche) -> None:
    licence.refuse_blocked_draft(demarche)


def on_submitted(demarche, *, actor, request=None) -> None:
    """Inside the submission transaction: the SNPC is asked again (a CEPC
    may have expired since the first step), the e-photo code is used, the
    file's civil status joins the answers (the back office lists and
    compares it) and the request records the file and the CEPCs."""
    from titres.procedures.workflow import TransitionRefused

    from .models import LicenceRequest

    answers = dict(demarche.answers or {})
    record = record_of(demarche)
    if record is None:
        raise TransitionRefused(str(UNKNOWN), code="snpc", errors=[("permis", str(UNKNOWN))])
    check = check_extension(record, categories_of(answers))
    if not check.ok:
        raise TransitionRefused(
            check.errors[0], code="snpc", errors=[("permis", e) for e in check.errors]
        )
    photo = spend_ephoto_code(demarche, answers, actor)
    answers["etat_civil"] = licence_civil_status(record)
    match = {
        "method": "neph",
        "exact": True,
        "cepc": [
            {"categorie": code, "numero": test.cepc_number, "date": test.taken_on.isoformat()}
            for code, test in check.passes.items()
        ],
        "date": timezone.now().isoformat(),
    }
    answers["_snpc"] = match
    demarche.answers = answers
    demarche.save(update_fields=["answers", "updated_at"])
    LicenceRequest.objects.create(
        demarche=demarche,
        motif=MOTIF,
        categories=list(check.passes),
        record=record,
        match_method="neph",
        match=match,
        needs_review=False,
        ephoto=photo,
    )


def licence_civil_status(record) -> dict:
    """The SNPC file's civil status in the answer keys the back office reads."""
    return {
        "nom_naissance": record.birth_name,
        "nom_usage": record.usage_name,
        "prenoms": record.first_names_list,
        "sexe": record.sex,
        "date_naissance": record.birth_date.isoformat(),
        "commune_naissance": record.birth_commune,
        "departement_naissance": record.birth_departement,
        "pays_naissance": record.birth_country,
    }


def available_to(user) -> bool:
    """The holder, or a driving school for the holder."""
    return getattr(user, "profile", "particulier") in {"particulier", rules.SCHOOL_PROFILE}


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=ProcedureCategory.PERMIS,
        title=gettext_lazy("Permis de conduire : extension à une nouvelle catégorie"),
        description=gettext_lazy(
            "Après la réussite à l’examen d’une nouvelle catégorie (moto, remorque, poids "
            "lourd…) : le titulaire, ou son école de conduite, demande le nouveau titre qui "
            "porte la catégorie ajoutée."
        ),
        steps=STEPS,
        document_rules=document_rules,
        authority_resolver=licence.resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        on_abandoned=licence.on_abandoned,
        available_to=available_to,
        confirmation_title=gettext_lazy("Confirmation"),
        confirmation_url=licence.confirmation_url,
        links=licence.links,
        extra={"provisional_attestation": True},
        **backoffice.hooks(),
    )


def register() -> None:
    if find_procedure(CODE) is None:
        register_procedure(definition())
