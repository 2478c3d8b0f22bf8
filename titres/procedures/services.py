"""Every write that matters on démarches, documents and messages.

Status changes go through `workflow.apply_transition`; these functions add
the wizard, the uploads and the dialogue around it.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core import numbering
from titres.core.files import delete_on_rollback
from titres.core.journal import record_event
from titres.procedures.audit import ProceduresEvent

from . import conf
from .access import roles_of
from .antivirus import scan_document
from .documents import LIVE, pending_complement_documents, rule_for
from .enums import DocumentStatus, MessageKind, Role, Status
from .locks import lock_demarche
from .models import Demarche, Document, Message
from .notifications import notify_new_message
from .registry import ProcedureDefinition, get_procedure
from .validation import UploadRejected, inspect_upload, pages_message
from .workflow import TransitionRefused, apply_transition

# Sent inside the transaction (kwarg: message). Receivers with
# side effects use transaction.on_commit.
message_posted = Signal()

MAX_MESSAGE_LENGTH = 5000


class NotEditable(PermissionDenied):
    """The démarche is frozen (submitted) or the actor is not its owner."""


def _lock(demarche: Demarche) -> Demarche:
    return lock_demarche(demarche.pk)


def _require_owner(demarche: Demarche, actor) -> None:
    if actor is None or demarche.owner_id != actor.pk:
        raise NotEditable(_("Seul le télédéclarant peut modifier cette démarche."))


def _require_draft(demarche: Demarche) -> None:
    if demarche.status != Status.BROUILLON:
        raise NotEditable(_("Cette démarche a été validée : elle ne peut plus être modifiée."))


@transaction.atomic
def create_demarche(
    *,
    definition: ProcedureDefinition,
    owner,
    actor,
    acting_for: dict | None = None,
    request=None,
) -> Demarche:
    """A new draft of `definition` for `owner` (seed 000 §1.6 "Nouvelle demande")."""
    if actor is None or actor.pk != owner.pk:
        raise PermissionDenied(_("Une démarche est créée par son télédéclarant."))
    if not definition.can_start(owner):
        raise PermissionDenied(_("Cette démarche n’est pas ouverte à votre profil."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                demarche = Demarche.objects.create(
                    procedure_code=definition.code,
                    owner=owner,
                    acting_for=acting_for or {},
                    number=numbering.generate(length=11),
                )
            break
        except IntegrityError:  # pragma: no cover - 32**11 numbers
            continue
    else:  # pragma: no cover
        raise IntegrityError("could not draw a free démarche number")
    record_event(
        ProceduresEvent.DEMARCHE_CREATED,
        actor=actor,
        request=request,
        target=demarche,
        data={"numero": demarche.number, "teleprocedure": definition.code},
    )
    return demarche


@transaction.atomic
def save_step(
    *, demarche: Demarche, step_slug: str, answers: dict, actor, request=None
) -> Demarche:
    """Store the answers of one step of a draft (every step saves a draft)."""
    locked = _lock(demarche)
    _require_owner(locked, actor)
    _require_draft(locked)
    step = get_procedure(locked.procedure_code).step(step_slug)
    locked.answers = {**(locked.answers or {}), step_slug: answers}
    locked.last_step = step_slug
    locked.save(update_fields=["answers", "last_step", "updated_at"])
    if step.on_save:
        step.on_save(locked, answers, actor=actor, request=request)
    record_event(
        ProceduresEvent.BROUILLON_SAVED,
        actor=actor,
        request=request,
        target=locked,
        data={"etape": step_slug},
    )
    demarche.answers, demarche.last_step = locked.answers, locked.last_step
    demarche.acting_for, demarche.payment_reference = locked.acting_for, locked.payment_reference
    return demarche


@transaction.atomic
def set_payment_reference(*, demarche: Demarche, reference: str, actor, request=None) -> None:
    """Record the stamp number or payment reference (the payments app owns
    the payment itself; this only links it)."""
    locked = _lock(demarche)
    _require_owner(locked, actor)
    _require_draft(locked)
    locked.payment_reference = reference
    locked.save(update_fields=["payment_reference", "updated_at"])
    record_event(
        ProceduresEvent.PAYMENT_ATTACHED,
        actor=actor,
        request=request,
        target=locked,
        data={"reference": reference},
    )
    demarche.payment_reference = reference


@transaction.atomic
def submit_demarche(*, demarche: Demarche, actor, request=None) -> Demarche:
    """Final validation: re-check every step, resolve the authority, freeze.

    Raises TransitionRefused with `errors` [(step slug, message)] when
    something is missing or the procedure's `on_submitted` refuses (its
    ValidationError becomes a TransitionRefused); nothing is changed then."""
    locked = _lock(demarche)
    _require_owner(locked, actor)
    definition = get_procedure(locked.procedure_code)
    if locked.status == Status.BROUILLON:
        # Answers of steps that no longer apply are dropped (data minimisation).
        applicable = {step.slug: step for step in definition.applicable_steps(locked)}
        locked.answers = {
            k: applicable[k].retained_answers(locked, v)
            for k, v in (locked.answers or {}).items()
            if k in applicable
        }
        if locked.authority_id is None and definition.authority_resolver:
            locked.authority = definition.authority_resolver(locked)
        locked.save(update_fields=["answers", "authority", "updated_at"])
        expected = {rule.code for rule in definition.rules(locked)}
        for document in locked.documents.exclude(code__in=expected):
            _delete_document(document)
    apply_transition(
        demarche=locked, event="soumettre", actor=actor, role=Role.USAGER, request=request
    )
    if definition.on_submitted:
        try:
            definition.on_submitted(locked, actor=actor, request=request)
        except ValidationError as error:
            raise TransitionRefused(
                error.messages[0], code="on_submitted", errors=[("", m) for m in error.messages]
            )
    demarche.refresh_from_db()
    return demarche


def abandon_demarche(*, demarche: Demarche, actor, request=None) -> Demarche:
    """The citizen abandons a draft or a file nobody took yet; the
    procedure's `on_abandoned` runs in the same transaction."""
    apply_transition(
        demarche=demarche, event="abandonner", actor=actor, role=Role.USAGER, request=request
    )
    return demarche


def stale_drafts(*, days: int | None = None, now=None):
    """Drafts not modified for `days` (default PROCEDURES_DRAFT_TTL_DAYS)."""
    days = conf.draft_ttl_days() if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Demarche.objects.filter(status=Status.BROUILLON, updated_at__lt=cutoff)


def expire_drafts(*, days: int | None = None, now=None) -> list[str]:
    """Abandon, as the system, the drafts untouched for `days` (event
    `expirer_brouillon`); each procedure's `on_abandoned` gives back what
    the draft held (e.g. a reserved stamp). One transaction per draft; a
    draft saved meanwhile is left alone. Returns the numbers abandoned."""
    days = conf.draft_ttl_days() if days is None else days
    if days <= 0:
        raise ValueError("the draft time-to-live must be a positive number of days")
    now = now or timezone.now()
    comment = _("Sans modification depuis plus de %(days)s jours.") % {"days": days}
    expired = []
    for pk in stale_drafts(days=days, now=now).order_by("updated_at").values_list("pk", flat=True):
        with transaction.atomic():
            locked = stale_drafts(days=days, now=now).select_for_update().filter(pk=pk).first()
            if locked is None:  # saved, submitted or abandoned meanwhile
                continue
            apply_transition(
                demarche=locked,
                event="expirer_brouillon",
                actor=None,
                role=Role.SYSTEME,
                comment=comment,
                data={"jours": days},
            )
            expired.append(locked.number)
    return expired


# --- Documents ---------------------------------------------------------------


def _delete_document(document: Document) -> None:
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def upload_document(
    *,
    demarche: Demarche,
    code: str,
    uploaded_file: UploadedFile,
    actor,
    request=None,
    replaces: Document | None = None,
) -> Document:
    """Check and store one file for the rule `code`.

    Allowed on a draft, and for an answer to an agent's request while the
    file awaits the citizen. Raises UploadRejected (nothing stored) with a
    precise French message."""
    locked = _lock(demarche)
    _require_owner(locked, actor)
    if locked.status not in {Status.BROUILLON, Status.EN_ATTENTE_USAGER}:
        raise NotEditable(_("Cette démarche a été validée : elle ne peut plus être modifiée."))
    complement = locked.status == Status.EN_ATTENTE_USAGER
    rule = rule_for(locked, code)
    if rule is None:
        raise UploadRejected(_("Cette pièce n’est pas attendue pour cette démarche."))
    info = inspect_upload(uploaded_file, size=uploaded_file.size)
    same_rule = (
        pending_complement_documents(locked)
        if complement
        else locked.documents.filter(is_complement=False)
    ).filter(code=code, status__in=LIVE)
    if replaces is not None:
        same_rule = same_rule.exclude(pk=replaces.pk)
    existing = sum(same_rule.values_list("pages", flat=True))
    if existing + info.pages > rule.max_pages:
        raise UploadRejected(pages_message(str(rule.label), rule.max_pages, info.pages, existing))
    if replaces is not None:
        if replaces.demarche_id != locked.pk:
            raise UploadRejected(_("Ce document n’appartient pas à cette démarche."))
        _remove(locked, replaces, actor, request)
    document = Document(
        demarche=locked,
        code=rule.code,
        label=str(rule.label),
        original_name=_display_name(uploaded_file.name, info.extension),
        content_type=info.content_type,
        size=info.size,
        pages=info.pages,
        sha256=info.sha256,
        uploaded_by=actor,
        is_complement=complement,
    )
    uploaded_file.seek(0)
    document.file.save(f"piece{info.extension}", uploaded_file, save=False)
    # Deleted if anything up to the commit fails, not only this save.
    delete_on_rollback(document.file.storage, document.file.name)
    try:
        document.save(force_insert=True)
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    record_event(
        ProceduresEvent.DOCUMENT_UPLOADED,
        actor=actor,
        request=request,
        target=document,
        data={
            "demarche": locked.number,
            "piece": rule.code,
            "type": info.content_type,
            "pages": info.pages,
            "taille": info.size,
            "sha256": info.sha256,
        },
    )
    Demarche.objects.filter(pk=locked.pk).update(updated_at=document.created_at)
    document_id = str(document.pk)
    transaction.on_commit(lambda: scan_document.enqueue(document_id))
    return document


def _display_name(name: str, extension: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip() or _("document")
    stem = base.rsplit(".", 1)[0][:80]
    return f"{stem}{extension}"


def _remove(demarche: Demarche, document: Document, actor, request) -> None:
    removable = (demarche.status == Status.BROUILLON and not document.is_complement) or (
        demarche.status == Status.EN_ATTENTE_USAGER
        and document.is_complement
        and document.message_id is None
    )
    if not removable:
        raise NotEditable(_("Ce document a été transmis : il ne peut plus être retiré."))
    record_event(
        ProceduresEvent.DOCUMENT_DELETED,
        actor=actor,
        request=request,
        target=document,
        data={"demarche": demarche.number, "piece": document.code},
    )
    _delete_document(document)


@transaction.atomic
def remove_document(*, document: Document, actor, request=None) -> None:
    locked = _lock(document.demarche)
    _require_owner(locked, actor)
    _remove(locked, document, actor, request)


def record_document_view(*, document: Document, user, request=None) -> None:
    """Journal every opening of a document (agents' views are evidence)."""
    roles = roles_of(user, document.demarche)
    record_event(
        ProceduresEvent.DOCUMENT_VIEWED,
        actor=user,
        actor_role=Role.USAGER if Role.USAGER in roles else ",".join(sorted(roles)),
        request=request,
        target=document,
        data={"demarche": document.demarche.number, "piece": document.code},
    )


# --- Messages ----------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Le message ne peut pas être vide."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("Le message est trop long (%(max)s caractères au plus).")
            % {"max": MAX_MESSAGE_LENGTH}
        )
    return body


@transaction.atomic
def post_message(
    *,
    demarche: Demarche,
    author,
    role: str,
    body: str,
    kind: str = MessageKind.MESSAGE,
    request=None,
) -> Message:
    """A message in the thread of a submitted démarche."""
    locked = _lock(demarche)
    if role not in roles_of(author, locked) or role == Role.LECTURE_SEULE:
        raise PermissionDenied(_("Vous ne pouvez pas écrire sur cette démarche."))
    if locked.status in {Status.BROUILLON, Status.ABANDONNEE}:
        raise ValidationError(_("Les messages sont ouverts une fois la demande déposée."))
    message = Message.objects.create(
        demarche=locked, kind=kind, author=author, author_role=role, body=_clean_body(body)
    )
    record_event(
        ProceduresEvent.MESSAGE_POSTED,
        actor=author,
        actor_role=role,
        request=request,
        target=message,
        data={"demarche": locked.number, "type": kind},
    )
    notify_new_message(message)
    message_posted.send(sender=Message, message=message)
    return message


@transaction.atomic
def request_complement(*, demarche: Demarche, agent, role: str, body: str, request=None) -> Message:
    """An agent asks for information or documents: the request lands in the
    thread and suspends the file (EN_ATTENTE_USAGER)."""
    body = _clean_body(body)
    apply_transition(
        demarche=demarche,
        event="demander_complement",
        actor=agent,
        role=role,
        comment=body,
        request=request,
    )
    return post_message(
        demarche=demarche,
        author=agent,
        role=role,
        body=body,
        kind=MessageKind.DEMANDE_COMPLEMENT,
        request=request,
    )


@transaction.atomic
def answer_complement(*, demarche: Demarche, actor, body: str, request=None) -> Message:
    """The citizen's answer ("recueil complémentaire"): the message carries
    the pieces uploaded meanwhile and the file goes back to EN_COURS."""
    locked = _lock(demarche)
    _require_owner(locked, actor)
    if locked.status != Status.EN_ATTENTE_USAGER:
        raise TransitionRefused(_("Aucun complément n’est attendu sur cette démarche."))
    pending = list(pending_complement_documents(locked))
    if any(d.status == DocumentStatus.EN_ANALYSE for d in pending):
        raise ValidationError(_("Analyse antivirus en cours, réessayez dans un instant."))
    pending = [d for d in pending if d.status == DocumentStatus.VALIDE]
    if not (body or "").strip():
        if not pending:
            raise ValidationError(_("Écrivez une réponse ou joignez au moins un document."))
        body = _("Documents complémentaires transmis.")
    message = post_message(
        demarche=locked,
        author=actor,
        role=Role.USAGER,
        body=body,
        kind=MessageKind.REPONSE_COMPLEMENT,
        request=request,
    )
    Document.objects.filter(pk__in=[d.pk for d in pending]).update(message=message)
    apply_transition(
        demarche=locked,
        event="completer",
        actor=actor,
        role=Role.USAGER,
        request=request,
        data={"documents": len(pending)},
    )
    demarche.refresh_from_db()
    return message


# --- Authorities (back-office configuration) -----------------------------------------


@transaction.atomic
def save_authority(*, authority, actor, changed: list[str], request=None):
    """Create or change an authority (admin); one audit event, the changed fields."""
    created = authority.pk is None or authority._state.adding
    authority.save()
    record_event(
        ProceduresEvent.AUTORITE_CREATED if created else ProceduresEvent.AUTORITE_CHANGED,
        actor=actor,
        request=request,
        target=authority,
        data={"code": authority.code, "champs": sorted(changed)},
    )
    return authority


@transaction.atomic
def delete_authority(*, authority, actor, request=None) -> None:
    """Delete an authority that holds no file (démarches PROTECT it)."""
    data = {"code": authority.code, "nom": authority.name}
    record_event(
        ProceduresEvent.AUTORITE_DELETED, actor=actor, request=request, target=authority, data=data
    )
    authority.delete()
