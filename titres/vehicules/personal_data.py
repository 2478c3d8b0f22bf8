"""Hooks called by titres.accounts: the vehicle operations the account made
and the transfers it declared as seller (right of access), and what a
terminated professional's account leaves in the registry (`release_drafts`,
`detach`: its purchases kept, their scans deleted) and why such an
account is not deleted otherwise (`erase`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from titres.core.json_values import iso

from .drafts import release_draft
from .models import (
    CessionDeclaration,
    RegistryEntry,
)
from .professionnels.models import StockVehicle

COVERS = {
    "vehicules.RegistryEntry": "export: opérations du registre faites par le compte",
    "vehicules.CessionDeclaration": "export: déclarations de cession faites par le compte",
    "vehicules.StockVehicle": "export: déclarations d’achat du professionnel (son stock)",
}
EXEMPT = {
    "vehicules.BatchSubmission": "dépôt groupé d’un professionnel (fichier de travail, journalisé)",
    "vehicules.BulkDownload": "archive de téléchargement d’un professionnel (fichier de travail)",
}


def export(user) -> dict:
    return {
        "operations_registre": [
            {
                "date": iso(entry.created_at),
                "immatriculation": entry.vehicle.plate,
                "operation": entry.label,
                "demarche": entry.demarche_number,
            }
            for entry in RegistryEntry.objects.filter(actor=user)
            .select_related("vehicle")
            .order_by("created_at", "pk")
        ],
        "declarations_de_cession": [
            {
                "immatriculation": cession.vehicle.plate,
                "numero_enregistrement": cession.registration_number,
                "vendu_le": iso(cession.sold_at),
                "kilometrage": cession.mileage,
                "acheteur": cession.buyer_company_name
                or f"{cession.buyer_first_names} {cession.buyer_last_name}".strip(),
                "etat": cession.get_state_display(),
                "declaree_le": iso(cession.created_at),
            }
            for cession in CessionDeclaration.objects.filter(seller=user)
            .select_related("vehicle")
            .order_by("created_at")
        ],
        "declarations_d_achat": [
            {
                "immatriculation": entry.vehicle.plate,
                "numero_enregistrement": entry.registration_number,
                "achete_le": iso(entry.purchased_at),
                "vendeur": entry.seller_name,
                "kilometrage": entry.mileage,
                "revendu": entry.resale_id is not None,
            }
            for entry in StockVehicle.objects.filter(owner=user)
            .select_related("vehicle")
            .order_by("purchased_at", "pk")
        ],
    }


def erase(user) -> None:
    """Called by `delete_account` before the deletion: an account that still
    holds déclarations d'achat (its stock, resold ones included) is the
    registry's record of those vehicles (`StockVehicle.owner` PROTECT), so
    only the termination of the habilitation, which detaches them first,
    deletes it — say so rather than the generic « démarches en cours »."""
    from titres.accounts.services.common import AccountError

    if StockVehicle.objects.filter(owner=user).exists():
        raise AccountError(
            _(
                "Ce compte ne peut pas être supprimé : il détient des déclarations d’achat "
                "(véhicules de son stock, revendus compris), que le registre conserve. Seule la "
                "résiliation de l’habilitation du professionnel permet de le supprimer : "
                "contactez le service client de l’ANTS."
            )
        )


def release_drafts(user) -> None:
    """The records of the account's never-filed démarches (a draft's change
    of holder, address change or duplicate, new vehicle), which hold them by
    PROTECT, and the taxes paid on one given back (`drafts.release_draft`):
    procedures' `detach` then deletes the drafts themselves."""
    from titres.procedures.personal_data import never_filed

    for demarche in never_filed(user).iterator():
        release_draft(demarche)


def detach(user, filer: dict) -> dict:
    """The registry keeps its records of the professional's work — the
    declarations of sale made for clients (named by `seller_name`), the
    history rows, the declarations of purchase (company data: the
    habilitation's raison sociale and SIRET in `detached_filer`, never the
    natural person) — without the deleted account. An entry still in stock
    no longer holds the vehicle (the company may sell it to another
    professional, who declares the purchase). Each barred certificate's
    scan (the seller's name and signature) is the professional's own proof
    and goes with the account, once the termination commits: the entry
    keeps its fingerprint (name, pages, SHA-256)."""
    cessions = CessionDeclaration.objects.filter(seller=user).update(seller=None)
    entries = RegistryEntry.objects.filter(actor=user).update(actor=None)
    stock = StockVehicle.objects.filter(owner=user)
    for entry in stock.exclude(certificate_scan="").only("certificate_scan"):
        storage, name = entry.certificate_scan.storage, entry.certificate_scan.name
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    in_stock = stock.filter(resale__isnull=True).count()
    purchases = stock.update(owner=None, detached_filer=filer, certificate_scan="")
    return {
        "declarations_de_cession_detachees": cessions,
        "operations_registre": entries,
        "declarations_d_achat_detachees": purchases,
        "vehicules_sortis_du_stock": in_stock,
    }
