"""Pieces shared by the address change and the duplicate: binding the
démarche to its vehicle, the filer under mandate, the CERT, the CPI."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core import numbering
from titres.procedures.registry import DocumentsStep, Link

from ..changement.procedure import (
    CLIENT_ID_RULE,
    KBIS_RULE,
    MANDATE_RULE,
    one_month_after,
    resolve_authority,
)
from ..models import CertificateOperation, Vehicle
from ..professionnels.mandate import notify_client
from . import state

__all__ = ["resolve_authority"]


def demarche_kwargs(demarche):
    return {"demarche": demarche}


def document_rules(demarche):
    if not state.under_mandate(demarche.answers or {}):
        return []
    # A company client proves itself by its K-bis, a person by an ID.
    return [MANDATE_RULE, KBIS_RULE if state.company_client(demarche) else CLIENT_ID_RULE]


def mandate_step() -> DocumentsStep:
    """The mandate and the client's ID, asked only of a professional filing
    for a client (the address change and the duplicate alike)."""
    return DocumentsStep(
        slug=state.MANDATE,
        title=gettext_lazy("Mandat et pièce d’identité du client"),
        condition=state.under_mandate,
        help_text=gettext_lazy(
            "Vous agissez pour votre client sous mandat : joignez le mandat d’immatriculation "
            "(cerfa n° 13757) qu’il a signé et la copie de sa pièce d’identité."
        ),
    )


def start_saver(kind: str):
    """`on_save` of step 1: the démarche's CertificateOperation bound to
    the vehicle; a professional's client recorded as `acting_for`."""

    def on_start_saved(demarche, data, *, actor, request=None) -> None:
        vehicle = Vehicle.objects.get(pk=data["vehicule"])
        CertificateOperation.objects.update_or_create(
            demarche=demarche, defaults={"vehicle": vehicle, "kind": kind}
        )
        acting_for = {}
        if data.get("pour_qui") == state.POUR_MANDAT:
            from ..professionnels.access import habilitation_of

            habilitation = habilitation_of(demarche.owner)
            company = data.get("titulaire_type") == state.CLIENT_COMPANY
            acting_for = {
                # A company client: its name where lists and e-mails show the client.
                "nom": data["titulaire_raison_sociale"] if company else data["titulaire_nom"],
                "prenoms": "" if company else data["titulaire_prenoms"],
                "date_naissance": "" if company else data["titulaire_date_naissance"],
                "qualite": "professionnel_mandataire",
                "email": data.get("titulaire_email") or "",
                "professionnel": habilitation.organisation_name if habilitation else "",
                "habilitation": habilitation.number if habilitation else "",
            }
            if company:
                acting_for["raison_sociale"] = data["titulaire_raison_sociale"]
                acting_for["siret"] = data["titulaire_siret"]
        if demarche.acting_for != acting_for:
            demarche.acting_for = acting_for
            demarche.save(update_fields=["acting_for", "updated_at"])

    return on_start_saved


def lock_operation(demarche) -> tuple[CertificateOperation, Vehicle]:
    operation = CertificateOperation.objects.select_for_update().get(demarche=demarche)
    vehicle = Vehicle.objects.select_for_update().get(pk=operation.vehicle_id)
    return operation, vehicle


def notify_mandate_client(demarche, operation: CertificateOperation, vehicle, *, filed) -> None:
    """At submission, the client of a professional's file under mandate
    gets the change of holder's e-mail (mandate.notify_client) with
    `vehicle` as the registry now has it (new plate or formule)."""
    if not state.under_mandate(demarche.answers or {}):
        return
    operation.vehicle = vehicle
    notify_client(demarche, operation, filed=filed)


def issue_cpi(operation: CertificateOperation) -> None:
    """A new certificate is coming by post: the CPI lets the holder drive
    meanwhile (one month)."""
    operation.cpi_number = numbering.generate(prefix="CP", length=9)
    operation.cpi_valid_until = one_month_after(timezone.localdate())


def confirmation_url(demarche) -> str:
    return reverse("vehicules:operation_finalisation", args=[demarche.number])


def links(demarche) -> list[Link]:
    if demarche.is_draft:
        return []
    operation = CertificateOperation.objects.filter(demarche=demarche).first()
    found = []
    # A rejected file's CPI is withdrawn (certificat/decisions.py).
    if operation is not None and operation.cpi_number and operation.reverted_at is None:
        found.append(
            Link(
                label=_("Certificat provisoire d’immatriculation (CPI)"),
                url=reverse("vehicules:operation_cpi", args=[demarche.number]),
                detail="PDF",
                download=True,
            )
        )
    found.append(
        Link(
            label=_("Récapitulatif de la demande — accusé d’enregistrement"),
            url=reverse("vehicules:operation_accuse", args=[demarche.number]),
            detail="PDF",
            download=True,
        )
    )
    return found


def available_to(user) -> bool:
    from ..changement.procedure import available_to as change_of_holder_available_to

    return change_of_holder_available_to(user)
