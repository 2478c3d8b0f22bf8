import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from titres.core import numbering

from .enums import (
    STATUS_BADGE,
    AuthorityKind,
    DocumentStatus,
    MessageKind,
    Role,
    Status,
)
from .registry import find_procedure, get_procedure


class Authority(models.Model):
    """An instructing authority ("autorité"): a prefecture or a CERT,
    identified by its code (e.g. "543" in seed 002). The back office adds
    agent memberships on top of it."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=AuthorityKind.choices)
    # Codes of the départements served ("54", "2A", "971"...).
    departements = models.JSONField(_("départements desservis"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("autorité")
        verbose_name_plural = _("autorités")

    def __str__(self):
        return f"{self.code} — {self.name}"


def _new_number() -> str:
    return numbering.generate(length=11)


class Demarche(models.Model):
    """One procedure instance. Its status only changes through
    `titres.procedures.workflow.apply_transition`."""

    number = models.CharField(
        _("numéro"), max_length=20, unique=True, default=_new_number, editable=False
    )
    procedure_code = models.CharField(_("téléprocédure"), max_length=60, db_index=True)
    # PROTECT: deleting an account never takes its files along. Only a
    # terminated SIV habilitation detaches the professional's filed files
    # (`personal_data.detach`): the owner becomes None and `detached_filer`
    # keeps who filed (company, SIRET, habilitation), not the person.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("télédéclarant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demarches",
    )
    detached_filer = models.JSONField(
        _("télédéclarant dont le compte est supprimé"), default=dict, blank=True
    )
    # Professionals act for someone else (garage for a client, driving school
    # for a learner): who, as the procedure app records it.
    acting_for = models.JSONField(_("pour le compte de"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.BROUILLON, db_index=True
    )
    # {step_slug: {field: value}}: JSON-serialisable answers of each step.
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    last_step = models.CharField(max_length=60, blank=True)
    payment_reference = models.CharField(_("référence de paiement"), max_length=64, blank=True)
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("autorité instructrice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demarches",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    # Set by the first agent action ("prise en charge"); from then on the
    # citizen can no longer abandon the file.
    taken_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["authority", "status"]),
        ]
        permissions = [
            ("instruire_demarche", _("Instruire les démarches (toutes autorités)")),
            ("superviser_demarche", _("Chef de service (toutes autorités)")),
            ("consulter_demarche", _("Consulter les démarches (toutes autorités)")),
        ]

    def __str__(self):
        return self.display_number

    @property
    def display_number(self) -> str:
        return numbering.format_number(self.number)

    @property
    def definition(self):
        return get_procedure(self.procedure_code)

    @property
    def procedure_definition(self):
        """The procedure's definition, or None for a code no app declares."""
        return find_procedure(self.procedure_code)

    @property
    def title(self) -> str:
        definition = find_procedure(self.procedure_code)
        return str(definition.title) if definition else self.procedure_code

    @property
    def status_badge(self) -> str:
        return STATUS_BADGE.get(self.status, "")

    def get_status_display(self) -> str:
        # Django's version hashes every choice's lazy label (a gettext per
        # status) on each call: a fifth of a 50-row work list. Same result.
        try:
            return str(Status(self.status).label)
        except ValueError:
            return self.status

    @property
    def detached_filer_label(self) -> str:
        """« professionnel dont l’habilitation est résiliée (Garage du
        Centre, SIRET …) » for a file whose filer's account was deleted."""
        filer = self.detached_filer or {}
        if not filer:
            return ""
        details = ", ".join(
            part
            for part in (
                filer.get("raison_sociale", ""),
                f"SIRET {filer['siret']}" if filer.get("siret") else "",
                _("habilitation SIV n° %(number)s") % {"number": filer["habilitation"]}
                if filer.get("habilitation")
                else "",
            )
            if part
        )
        label = str(_("professionnel dont l’habilitation est résiliée"))
        return f"{label} ({details})" if details else label

    @property
    def is_draft(self) -> bool:
        return self.status == Status.BROUILLON

    @property
    def awaits_citizen(self) -> bool:
        return self.status == Status.EN_ATTENTE_USAGER


class StatusChange(models.Model):
    """One row per transition (DESIGN §4); the actor is protected from deletion."""

    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    from_status = models.CharField(_("statut précédent"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("nouveau statut"), max_length=20, choices=Status.choices)
    event = models.CharField(_("code événement"), max_length=40)
    label = models.CharField(_("libellé"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("historique des statuts")

    def __str__(self):
        return f"{self.demarche_id} {self.from_status}→{self.to_status}"


class Message(models.Model):
    """The dialogue between citizen and agents ("outil de dialogue", seed 002)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(
        _("type"), max_length=30, choices=MessageKind.choices, default=MessageKind.MESSAGE
    )
    # None once the professional who wrote it lost their account (terminated
    # habilitation); `author_role` still says who wrote it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author_role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def from_citizen(self) -> bool:
        return self.author_role == Role.USAGER


def document_upload_to(instance, filename):
    # Random name: nothing about the person or the file leaks into storage.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"pieces/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """A supporting document ("pièce justificative"). `code` names the rule
    of the procedure it answers (see registry.DocumentRule)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(_("type de pièce"), max_length=60)
    label = models.CharField(_("libellé"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("nom du fichier déposé"), max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("taille"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("état"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.EN_ANALYSE
    )
    scan_detail = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    # None once the uploader's account was deleted with a terminated habilitation.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Documents sent with an answer to an agent's request ("recueil complémentaire").
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    is_complement = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self):
        return f"{self.label} ({self.original_name})"

    @property
    def is_valid(self) -> bool:
        return self.status == DocumentStatus.VALIDE
