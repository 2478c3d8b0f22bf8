"""Hooks called by titres.accounts: what the right of access exports of a
citizen's démarches (seed 000: "télécharger mes données"), and what a
terminated SIV habilitation does to the professional's files (`detach`).

Submitted démarches are administrative records kept under their retention
rule, so no `erase` hook: deleting an account that still owns démarches is
refused by the PROTECT foreign key (accounts explains why to the person).
Only the prefecture's termination of a habilitation, whose account must go
(seed 000 §1.11.4), detaches them first."""

from django.db.models import Prefetch

from titres.core.json_values import iso

from .enums import Role, Status
from .models import Demarche, Document, Message, StatusChange
from .registry import find_procedure
from .retention import delete_documents
from .workflow import apply_transition

# Models with a foreign key to the user that this module answers for
# (tests/test_personal_data_hooks.py checks every such model is declared).
COVERS = {
    "procedures.Demarche": "export: démarches dont le compte est titulaire",
    "procedures.StatusChange": "export: historique de chaque démarche",
    "procedures.Message": "export: messages échangés dans chaque démarche",
    "procedures.Document": "export: pièces déposées (métadonnées)",
}
EXEMPT: dict[str, str] = {}


def _author(message_or_change, user) -> str:
    # The agents' identities are not the citizen's data: their role only.
    person = getattr(message_or_change, "author_id", None) or getattr(
        message_or_change, "actor_id", None
    )
    if person == user.pk:
        return "vous"
    role = getattr(message_or_change, "author_role", "") or getattr(
        message_or_change, "actor_role", ""
    )
    try:
        return str(Role(role).label)
    except ValueError:
        return str(Role.SYSTEME.label)


def export(user) -> list[dict]:
    demarches = (
        Demarche.objects.filter(owner=user)
        .prefetch_related(
            Prefetch("history", queryset=StatusChange.objects.order_by("created_at", "pk")),
            Prefetch("messages", queryset=Message.objects.order_by("created_at")),
            Prefetch("documents", queryset=Document.objects.order_by("created_at")),
        )
        .order_by("created_at", "pk")
    )
    exported = []
    for demarche in demarches:
        definition = find_procedure(demarche.procedure_code)
        exported.append(
            {
                "numero": demarche.number,
                "teleprocedure": str(definition.title) if definition else demarche.procedure_code,
                "statut": demarche.get_status_display(),
                "creee_le": iso(demarche.created_at),
                "deposee_le": iso(demarche.submitted_at),
                "pour_le_compte_de": demarche.acting_for or None,
                "reponses": demarche.answers,
                "historique": [
                    {
                        "date": iso(change.created_at),
                        "evenement": change.label,
                        "par": _author(change, user),
                        "commentaire": change.comment,
                    }
                    for change in demarche.history.all()
                ],
                "messages": [
                    {
                        "date": iso(message.created_at),
                        "auteur": _author(message, user),
                        "message": message.body,
                    }
                    for message in demarche.messages.all()
                ],
                "pieces": [
                    {
                        "piece": document.label,
                        "fichier": document.original_name,
                        "pages": document.pages,
                        "taille_octets": document.size,
                        "empreinte_sha256": document.sha256,
                        "deposee_le": iso(document.created_at),
                        "statut": document.get_status_display(),
                    }
                    for document in demarche.documents.all()
                ],
            }
        )
    return exported


def never_filed(user):
    """The account's démarches nobody instructs: drafts and drafts it
    abandoned before filing."""
    return Demarche.objects.filter(
        owner=user, submitted_at__isnull=True, status__in=(Status.BROUILLON, Status.ABANDONNEE)
    )


def detach(user, filer: dict) -> dict:
    """Before a terminated professional's account is deleted: its drafts
    go (with their documents; the procedure apps removed their own records
    of them in `release_drafts`), its filed files stay — they are the
    clients' registry operations and the administration's evidence, each
    under its retention rule — without an owner, `filer` (company, SIRET,
    habilitation number: no natural person) recorded instead. A file that
    waited for the professional goes back to the instructing service (no
    one could complete it). The history, messages and documents keep their
    role, not the account. Runs in the termination's transaction."""
    drafts = 0
    for demarche in never_filed(user).iterator():
        delete_documents(Document.objects.filter(demarche=demarche))
        demarche.delete()
        drafts += 1
    filed = list(Demarche.objects.filter(owner=user).values_list("pk", flat=True))
    Demarche.objects.filter(pk__in=filed).update(owner=None, detached_filer=filer)
    StatusChange.objects.filter(actor=user).update(actor=None)
    Message.objects.filter(author=user).update(author=None)
    Document.objects.filter(uploaded_by=user).update(uploaded_by=None)
    returned = 0
    for demarche in Demarche.objects.filter(pk__in=filed, status=Status.EN_ATTENTE_USAGER):
        apply_transition(
            demarche=demarche, event="teledeclarant_detache", actor=None, role=Role.SYSTEME
        )
        returned += 1
    return {
        "brouillons_supprimes": drafts,
        "demarches_detachees": len(filed),
        "rendues_au_service_instructeur": returned,
    }
