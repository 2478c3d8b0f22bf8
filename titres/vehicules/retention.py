"""Retention rules of vehicles (docs/retention.md)."""

from datetime import datetime, timedelta

from django.db import transaction

from titres.core.data_retention import Action, NotPersonal, RetentionRule

from .professionnels.models import BatchSubmission, BulkDownload

WORK_FILE_DAYS = 30


def purge_professional_work_files(now: datetime) -> int:
    """Professionals' batch files (clients' identities, plain codes until
    downloaded) and ZIP archives of CPIs, a month after they were made:
    the files themselves stay in the registry and the démarches."""
    cutoff = now - timedelta(days=WORK_FILE_DAYS)
    count = 0
    for download in BulkDownload.objects.filter(created_at__lt=cutoff).iterator():
        if download.archive:
            name, storage = download.archive.name, download.archive.storage
            transaction.on_commit(lambda n=name, s=storage: s.delete(n))
        download.delete()
        count += 1
    deleted, _ = BatchSubmission.objects.filter(created_at__lt=cutoff).delete()
    return count + deleted


SIV = (
    "Système d’immatriculation des véhicules (art. L330-1 et R330-1 s. du code de la route) : "
    "les durées sont celles du registre, qui n’est pas purgé par le portail."
)

RULES = [
    RetentionRule(
        model="vehicules.Holder",
        data="Titulaires des certificats d’immatriculation (identité, adresse)",
        duration="Durée du registre SIV (code de la route)",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.RegistryEntry",
        data="Historique du registre SIV (auteur de l’opération)",
        duration="Durée du registre SIV",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.CessionDeclaration",
        data="Déclarations de cession (vendeur, acquéreur, adresses, e-mail)",
        duration="Durée du registre SIV (la cession y est inscrite)",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.AddressChange",
        data="Historique des adresses des titulaires (ancienne et nouvelle adresse)",
        duration="Durée du registre SIV",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.CancelledCertificate",
        data="Certificats annulés (motif, numéro du récépissé de plainte)",
        duration="Durée du registre SIV (un certificat annulé doit rester reconnu comme tel)",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.StockVehicle",
        data="Déclarations d’achat des professionnels (nom du vendeur, adresse de l’établissement)",
        duration="Durée du registre SIV (l’achat y est inscrit) ; à la fin de l’habilitation, "
        "détachées du compte supprimé (raison sociale et SIRET gardés), le scan du certificat "
        "barré supprimé",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.BatchSubmission",
        data="Dépôts groupés des professionnels (fichier CSV : identités des clients, codes de cession)",
        duration=f"{WORK_FILE_DAYS} jours après le dépôt",
        basis="Fichier de travail : les déclarations sont inscrites au SIV, le rapport a été rendu.",
        action=Action.SUPPRIMER,
        purge=purge_professional_work_files,
        name="fichiers_de_travail",
    ),
    RetentionRule(
        model="vehicules.BulkDownload",
        data="Archives ZIP des CPI et accusés (noms des titulaires)",
        duration=f"{WORK_FILE_DAYS} jours après leur création (supprimées avec les dépôts)",
        basis="Fichier de travail : chaque document reste téléchargeable depuis sa démarche.",
        action=Action.SUPPRIMER,
    ),
]

NOT_PERSONAL = [
    NotPersonal("vehicules.Vehicle", "caractéristiques techniques (nom commercial du modèle)"),
]
