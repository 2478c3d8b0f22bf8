from __future__ import annotations

import logging
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.accounts.enums import Profile
from titres.procedures.enums import Category
from titres.procedures.registry import (
    FormStep,
    Link,
    ProcedureDefinition,
    SummaryStep,
    find_procedure,
    register_procedure,
)

from . import forms as f
from . import rules

logger = logging.getLogger(__name__)

CODE = "identite-predemande"

ATTESTATION = gettext_lazy(
    "Je soussigné(e) atteste sur l’honneur l’exactitude des renseignements de la présente "
    "pré-demande. Je sais que toute fausse déclaration m’expose aux sanctions prévues par "
    "les articles 441-6 et 441-7 du code pénal."
)
WARNING = gettext_lazy(
    "Relisez soigneusement votre récapitulatif : une fois validée, la pré-demande ne peut "
    "plus être modifiée. Vous pourrez la corriger avec l’agent de la mairie lors du dépôt."
)


def _with_demarche(demarche) -> dict:
    return {"demarche": demarche}


@dataclass(kw_only=True)
class PaymentStep(FormStep):
    def summary(self, demarche):
        from titres.paiements.models import format_amount

        stored = (demarche.answers or {}).get("paiement") or {}
        return [
            (
                str(_("Timbre — %(title)s (%(amount)s)"))
                % {"title": f.TitleKind(title).label, "amount": format_amount(cents)},
                stored.get(f"timbre_{title}", ""),
            )
            for title, _purpose, cents in rules.stamps_due(demarche.answers or {})
        ]


def _release_unneeded_stamps(demarche, data=None, *, actor=None, request=None) -> None:
    """A change of title, reason or birth date may make a stamp reserved
    earlier useless: give it back and forget its number."""
    from . import hooks

    hooks.release_stamps(demarche, keep_due=True, actor=actor, request=request)


STEPS = [
    FormStep(
        slug="titre",
        title=gettext_lazy("Titre et motif"),
        form_class=f.TitreForm,
        form_kwargs=_with_demarche,
        on_save=_release_unneeded_stamps,
    ),
    FormStep(
        slug="representant",
        title=gettext_lazy("Représentant légal"),
        help_text=gettext_lazy("Votre identité et votre qualité pour représenter l’enfant"),
        form_class=f.RepresentantForm,
        form_kwargs=_with_demarche,
        condition=rules.for_minor,
    ),
    FormStep(
        slug="etat_civil",
        title=gettext_lazy("État civil"),
        help_text=gettext_lazy("État civil de la personne concernée par le titre"),
        form_class=f.EtatCivilForm,
        form_kwargs=_with_demarche,
        on_save=_release_unneeded_stamps,
    ),
    FormStep(
        slug="description",
        title=gettext_lazy("Signalement"),
        form_class=f.DescriptionForm,
        form_kwargs=_with_demarche,
    ),
    FormStep(
        slug="adresse",
        title=gettext_lazy("Adresse et contact"),
        form_class=f.AdresseForm,
        form_kwargs=_with_demarche,
    ),
    FormStep(
        slug="parents",
        title=gettext_lazy("Filiation"),
        help_text=gettext_lazy("Les parents de la personne concernée par le titre"),
        form_class=f.ParentsForm,
        form_kwargs=_with_demarche,
    ),
    FormStep(
        slug="ancien_titre",
        title=gettext_lazy("Titre précédent"),
        form_class=f.AncienTitreForm,
        form_kwargs=_with_demarche,
        condition=rules.has_former_title,
    ),
    PaymentStep(
        slug="paiement",
        title=gettext_lazy("Timbre fiscal"),
        form_class=f.PaiementForm,
        form_kwargs=_with_demarche,
        condition=rules.needs_stamp,
        template_name="identite/wizard/step_paiement.html",
    ),
    SummaryStep(
        slug="recapitulatif",
        title=gettext_lazy("Récapitulatif"),
        attestation=ATTESTATION,
        warning=WARNING,
    ),
]


def _links(demarche):
    if demarche.submitted_at is None or not demarche.predemandes.exists():
        return []
    return [
        Link(
            label=str(_("Récapitulatif de pré-demande")),
            url=reverse("identite:recapitulatif_pdf", args=[demarche.number]),
            detail="PDF",
            download=True,
        ),
        Link(
            label=str(_("Mes numéros de pré-demande et mon rendez-vous")),
            url=reverse("identite:confirmation", args=[demarche.number]),
        ),
    ]


def _title_delivered(demarche) -> None:
    from ..services.counter import title_available

    title_available(demarche)


def available_to(user) -> bool:
    """A natural person for themselves or a minor they represent (« Titre et
    motif »): a private individual's account only. The professional
    profiles' services are « à usage professionnel uniquement » (seed 000
    §1.10.2), and a habilitated professional's account ends with its
    habilitation, leaving the citizen's file ownerless."""
    return getattr(user, "profile", None) == Profile.PARTICULIER


def register() -> None:
    if find_procedure(CODE) is not None:
        return
    from . import backoffice, hooks

    register_procedure(
        ProcedureDefinition(
            code=CODE,
            category=Category.IDENTITE,
            title=gettext_lazy("Pré-demande de carte d’identité ou de passeport"),
            description=gettext_lazy(
                "Remplissez votre demande en ligne, puis prenez rendez-vous dans une mairie "
                "équipée : vous y déposerez votre dossier et vos empreintes."
            ),
            steps=STEPS,
            on_submitted=hooks.on_submitted,
            on_abandoned=hooks.on_abandoned,
            available_to=available_to,
            confirmation_title=gettext_lazy("Confirmation"),
            confirmation_url=lambda demarche: reverse(
                "identite:confirmation", args=[demarche.number]
            ),
            links=_links,
            # The title waits at the town hall: the factory's delivery makes
            # it "disponible en mairie", the handover ends the file.
            extra={"on_title_delivered": _title_delivered},
            **backoffice.hooks(),
        )
    )
