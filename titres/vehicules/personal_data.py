"""Hooks called by titres.accounts: the vehicle operations the account made
and the transfers it declared as seller (right of access), and what a
terminated professional's account leaves in the registry (`release_drafts`,
`detach`), and the purchase scans that go with the account (`erase`)."""

from django.db import transaction

from titres.core.json_values import iso

from .models import (
    CertificateOperation,
    CessionDeclaration,
    ChangeOfHolder,
    RegistryEntry,
)
from .neuf.models import NewRegistration
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


def release_drafts(user) -> None:
    """The records of the account's never-filed démarches (a draft's change
    of holder, address change or duplicate, new vehicle), which hold them by
    PROTECT: procedures' `detach` then deletes the drafts themselves."""
    from titres.procedures.personal_data import never_filed

    drafts = never_filed(user).values("pk")
    for model in (ChangeOfHolder, CertificateOperation, NewRegistration):
        model.objects.filter(demarche__in=drafts).delete()


def detach(user, filer: dict) -> dict:
    """The registry keeps its records of the professional's work — the
    declarations of sale made for clients (named by `seller_name`), the
    history rows — without the deleted account."""
    cessions = CessionDeclaration.objects.filter(seller=user).update(seller=None)
    entries = RegistryEntry.objects.filter(actor=user).update(actor=None)
    return {"declarations_de_cession_detachees": cessions, "operations_registre": entries}


def erase(user) -> None:
    """The professional's stock goes with the account (CASCADE) but storage
    is not transactional: each barred certificate's scan (the seller's name
    and signature) is deleted once the account's deletion commits."""
    scans = StockVehicle.objects.filter(owner=user).exclude(certificate_scan="")
    for entry in scans.only("certificate_scan"):
        storage, name = entry.certificate_scan.storage, entry.certificate_scan.name
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
