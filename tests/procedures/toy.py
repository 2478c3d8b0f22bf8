"""A toy téléprocédure exercising every feature of the wizard: a motif that
adds a step and a document, a step whose form changes with an earlier
answer, an optional step, documents, récapitulatif, guards and hooks."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from titres.procedures.enums import Category
from titres.procedures.models import Authority
from titres.procedures.registry import (
    DocumentRule,
    DocumentsStep,
    FormStep,
    ProcedureDefinition,
    SummaryStep,
)

CODE = "toy-permis"
SUBMITTED: list[str] = []


class MotifForm(DsfrBaseForm):
    motif = forms.ChoiceField(
        label="Quel est le motif de la demande du titre",
        choices=[
            ("perte", "Perte du titre"),
            ("vol", "Vol du titre"),
            ("deterioration", "Détérioration du titre"),
        ],
        widget=forms.RadioSelect,
    )


class VolForm(DsfrBaseForm):
    date_vol = forms.DateField(label="Date du vol", widget=forms.DateInput(attrs={"type": "date"}))
    lieu = forms.CharField(label="Lieu du vol", max_length=100)


class EtatCivilForm(DsfrBaseForm):
    nom = forms.CharField(label="Nom de naissance", max_length=100)
    prenom = forms.CharField(label="Premier prénom", max_length=100)
    departement = forms.CharField(label="Département de résidence", max_length=3)

    def __init__(self, *args, ask_titre=False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_titre:
            self.fields["numero_titre"] = forms.CharField(
                label="Numéro du titre détérioré", max_length=20
            )


class PerteForm(DsfrBaseForm):
    lieu_perte = forms.CharField(label="Lieu de la perte", max_length=100)
    attestation = forms.BooleanField(
        label="Je déclare sur l’honneur avoir perdu mon titre.",
        error_messages={"required": "Cochez la déclaration sur l’honneur pour continuer."},
    )


class ContactForm(DsfrBaseForm):
    commentaire = forms.CharField(label="Commentaire", required=False, max_length=200)


def _motif(answers):
    return (answers.get("motif") or {}).get("motif")


def rules(demarche):
    result = [
        DocumentRule(
            code="domicile", label="Justificatif de domicile de moins de 3 mois", max_pages=5
        ),
        DocumentRule(code="identite", label="Pièce d’identité", max_pages=2),
    ]
    if _motif(demarche.answers or {}) == "vol":
        result.append(
            DocumentRule(
                code="declaration_vol", label="Récépissé de déclaration de vol", max_pages=1
            )
        )
    return result


def resolve_authority(demarche):
    departement = (demarche.answers.get("etat_civil") or {}).get("departement")
    for authority in Authority.objects.filter(is_active=True):
        if departement in authority.departements:
            return authority
    return None


def before_submit(demarche):
    if (demarche.answers.get("etat_civil") or {}).get("nom", "").upper() == "SUSPENDU":
        raise ValidationError(
            "Votre permis de conduire fait l’objet d’une suspension : la demande ne peut pas être déposée."
        )


def on_save_etat_civil(demarche, data, *, actor, request):
    demarche.acting_for = {"nom": data["nom"], "prenom": data["prenom"]}
    demarche.save(update_fields=["acting_for"])


def on_submitted(demarche, *, actor, request):
    SUBMITTED.append(demarche.number)


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.PERMIS,
        title="Demande de permis (procédure d’essai)",
        description="Procédure d’essai du moteur de démarches.",
        steps=[
            FormStep(slug="motif", title="Motif de demande", form_class=MotifForm),
            FormStep(
                slug="vol",
                title="Déclaration de vol",
                form_class=VolForm,
                condition=lambda answers: _motif(answers) == "vol",
            ),
            FormStep(
                slug="etat_civil",
                title="État civil",
                form_class=EtatCivilForm,
                form_kwargs=lambda d: {"ask_titre": _motif(d.answers or {}) == "deterioration"},
                on_save=on_save_etat_civil,
            ),
            FormStep(slug="contact", title="Contact", form_class=ContactForm, required=False),
            DocumentsStep(slug="pieces", title="Pièces justificatives"),
            SummaryStep(slug="recapitulatif", title="Récapitulatif"),
        ],
        document_rules=rules,
        authority_resolver=resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        confirmation_title="Confirmation",
    )


COMPLETE_ANSWERS = {
    "motif": {"motif": "perte"},
    "etat_civil": {"nom": "CORNEILLE", "prenom": "Pierre", "departement": "54"},
    "contact": {"commentaire": ""},
}


FIXED_CODE = "toy-fixe"


def fixed_definition() -> ProcedureDefinition:
    """The toy with a fixed stepper ("Étape n sur 7" whatever the motif, the
    "vol" step keeping number 2 when skipped) and a sworn loss declaration
    inside the documents step."""
    base = definition()
    steps = [step for step in base.steps if step.slug != "pieces"]
    steps.insert(
        -1,
        DocumentsStep(
            slug="pieces",
            title="Pièces justificatives",
            form_class=PerteForm,
            form_condition=lambda answers: _motif(answers) == "perte",
            form_title="Déclaration de perte",
            form_help_text="Aucun document n’est à joindre pour la perte.",
        ),
    )
    return ProcedureDefinition(
        code=FIXED_CODE,
        category=Category.PERMIS,
        title="Demande numérotée (procédure d’essai)",
        steps=steps,
        document_rules=rules,
        confirmation_title="Confirmation",
        fixed_numbering=True,
    )
