"""Retention rules of the procedures engine (docs/retention.md)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, ProtectedError, Q

from titres.core.data_retention import Action, NotPersonal, RetentionRule

from .enums import Status
from .hooks import hook_of
from .models import Demarche, Document, Message

DRAFT_PURGE_DAYS = 30  # after abandonment (itself after 90 days untouched)
CLOSED_DOCUMENTS_DAYS = 365
CLOSED_FILE_YEARS = 5
CLOSED = (Status.TERMINEE, Status.REJETEE)


def _closed_before(cutoff: datetime):
    return (
        Demarche.objects.filter(status__in=CLOSED)
        .annotate(closed_at=Max("history__created_at", filter=Q(history__to_status__in=CLOSED)))
        .filter(closed_at__lt=cutoff)
    )


def delete_documents(documents) -> int:
    count = 0
    for document in documents.iterator():
        name, storage = document.file.name, document.file.storage
        document.delete()
        if name:
            # Storage is not transactional: the file goes once the row is gone.
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        count += 1
    return count


def purge_abandoned_drafts(now: datetime) -> int:
    """Never-submitted démarches abandoned (by the citizen or by
    `expire_drafts`) more than DRAFT_PURGE_DAYS ago: the procedure's own
    records of the draft (its `release_draft` hook: a vehicle draft's
    record, held by PROTECT), documents, then the rest."""

    cutoff = now - timedelta(days=DRAFT_PURGE_DAYS)
    count = 0
    for demarche in Demarche.objects.filter(
        status=Status.ABANDONNEE, submitted_at__isnull=True, updated_at__lt=cutoff
    ).iterator():
        try:
            with transaction.atomic():
                release = hook_of(demarche, "release_draft")
                if release is not None:
                    release(demarche)
                delete_documents(Document.objects.filter(demarche=demarche))
                demarche.delete()
        except ProtectedError:
            continue  # something of another app still points to it: kept, retried tomorrow
        count += 1
    return count


def purge_closed_documents(now: datetime) -> int:
    """Supporting documents of files closed more than a year ago."""
    closed = _closed_before(now - timedelta(days=CLOSED_DOCUMENTS_DAYS))
    return delete_documents(Document.objects.filter(demarche__in=closed.values("pk")))


def anonymise_closed_files(now: datetime) -> int:
    """Files closed more than five years ago keep their number, procedure,
    status and dates (statistics, the registry's references) and lose the
    answers, the "on behalf of", the filer of a terminated habilitation
    (`detached_filer`) and the messages. A detached file (no owner) is
    purged like any other: no rule reads the owner."""
    closed = _closed_before(now - timedelta(days=365 * CLOSED_FILE_YEARS)).filter(
        documents__isnull=True
    )
    pks = list(
        closed.exclude(answers={}, acting_for={}, detached_filer={}).values_list("pk", flat=True)
    )
    Message.objects.filter(demarche__in=pks).delete()
    return Demarche.objects.filter(pk__in=pks).update(answers={}, acting_for={}, detached_filer={})


RULES = [
    RetentionRule(
        model="procedures.Demarche",
        name="brouillons",
        data="Démarches jamais déposées (brouillons) et leurs pièces",
        duration=(
            "Abandonnées après 90 jours sans modification (expire_drafts), "
            f"supprimées {DRAFT_PURGE_DAYS} jours après l’abandon"
        ),
        basis="Minimisation (RGPD art. 5-1-c et e) : aucune demande n’a été faite.",
        action=Action.SUPPRIMER,
        purge=purge_abandoned_drafts,
    ),
    RetentionRule(
        model="procedures.Document",
        data="Pièces justificatives des démarches closes",
        duration="1 an après « Terminée » ou « Rejetée » (fichier puis ligne)",
        basis=(
            "Instruction de la demande et recours (délai de recours contentieux de 2 mois, "
            "réclamations de l’usager) ; le titre et le registre n’en ont plus besoin ensuite."
        ),
        action=Action.SUPPRIMER,
        purge=purge_closed_documents,
    ),
    RetentionRule(
        model="procedures.Demarche",
        name="closes",
        data="Démarches closes : réponses, « pour le compte de », messages",
        duration=f"{CLOSED_FILE_YEARS} ans après « Terminée » ou « Rejetée », pièces déjà supprimées",
        basis=(
            "Preuve de la demande et contentieux (prescription de droit commun de 5 ans, "
            "art. 2224 du code civil) ; numéro, statut et dates restent pour les statistiques."
        ),
        action=Action.ANONYMISER,
        purge=anonymise_closed_files,
    ),
    RetentionRule(
        model="procedures.Message",
        data="Messages échangés entre l’usager et le service instructeur",
        duration="Avec la démarche : supprimés à son anonymisation (règle procedures.Demarche:closes)",
        basis="Instruction de la demande.",
        action=Action.SUPPRIMER,
    ),
    RetentionRule(
        model="procedures.StatusChange",
        data="Historique des statuts (auteur, commentaire)",
        duration="Avec la démarche (supprimé avec un brouillon, gardé avec une démarche anonymisée)",
        basis="Traçabilité de l’instruction (preuve des décisions).",
        action=Action.CONSERVER,
    ),
]

NOT_PERSONAL = [
    NotPersonal(
        "procedures.Authority", "autorités instructrices : nom d’un service, pas d’une personne"
    ),
]
