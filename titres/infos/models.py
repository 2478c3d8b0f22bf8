"""The information pages edited by operators: questions fréquentes, guides
« Tout savoir » (one per procedure) and actualités.

One table for the three kinds: they share everything that matters (French
and English text in Markdown, draft/published, publication date, search);
the kind decides what else is required (a topic for a question, a procedure
for a guide). Text is kept per language in fields, not in .po files: it is
written by operators at run time, and a missing English text falls back to
the French one (shown with lang="fr").

No author column: who created, changed or published what is in the audit
journal (titres/infos/audit.py), which is the record, and it keeps this
table free of personal data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import ArticleKind, ArticleStatus, Topic

# Bounds of what an operator may write (a guide is a few screens at most).
BODY_MAX_CHARS = 20_000


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may read: published, publication date reached."""
        return self.filter(status=ArticleStatus.PUBLIE, published_at__lte=now or timezone.now())


class Article(models.Model):
    kind = models.CharField(_("type"), max_length=10, choices=ArticleKind.choices)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=ArticleStatus.choices,
        default=ArticleStatus.BROUILLON,
        help_text=_("Un brouillon n’est visible que des opérateurs."),
    )
    slug = models.SlugField(
        _("adresse (slug)"),
        max_length=80,
        help_text=_("Fin de l’adresse de la page, par exemple « perte-du-permis »."),
    )
    topic = models.CharField(
        _("thème"),
        max_length=20,
        choices=Topic.choices,
        blank=True,
        help_text=_("Obligatoire pour une question fréquente."),
    )
    procedure_code = models.CharField(
        _("démarche"),
        max_length=60,
        blank=True,
        help_text=_("Obligatoire pour un guide : la démarche qu’il explique."),
    )
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    summary_fr = models.CharField(_("résumé (français)"), max_length=300, blank=True)
    summary_en = models.CharField(_("résumé (anglais)"), max_length=300, blank=True)
    body_fr = models.TextField(
        _("texte (français, Markdown)"), validators=[MaxLengthValidator(BODY_MAX_CHARS)]
    )
    body_en = models.TextField(
        _("texte (anglais, Markdown)"),
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_CHARS)],
    )
    position = models.PositiveSmallIntegerField(
        _("ordre"), default=0, help_text=_("Ordre d’affichage dans son thème (du plus petit).")
    )
    published_at = models.DateTimeField(
        _("date de publication"),
        null=True,
        blank=True,
        help_text=_("Vide : la date de la publication. Une date future programme la publication."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("contenu d’information")
        verbose_name_plural = _("contenus d’information")
        ordering = ["kind", "topic", "position", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="infos_article_kind_slug"),
        ]
        indexes = [models.Index(fields=["kind", "status", "published_at"])]

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        if self.kind == ArticleKind.GUIDE:
            return reverse("infos:guide", args=[self.slug])
        if self.kind == ArticleKind.ACTUALITE:
            return reverse("infos:news_item", args=[self.slug])
        return reverse("infos:faq") + f"#{self.slug}"

    def clean(self):
        errors = {}
        if self.kind == ArticleKind.FAQ and not self.topic:
            errors["topic"] = _("Choisissez le thème de la question.")
        if self.kind == ArticleKind.GUIDE:
            from titres.procedures.registry import find_procedure

            if not self.procedure_code:
                errors["procedure_code"] = _("Choisissez la démarche que le guide explique.")
            elif find_procedure(self.procedure_code) is None:
                errors["procedure_code"] = _("Cette démarche n’existe pas.")
        if errors:
            raise ValidationError(errors)

    # --- reading in the reader's language ----------------------------------

    @property
    def lang(self) -> str:
        """Language shown: English when the reader reads English and the
        English title and text are written (a half-translated page would mix
        languages), else French. Templates set lang="fr" on the fallback."""
        english = (get_language() or "fr").startswith("en")
        return "en" if english and self.title_en.strip() and self.body_en.strip() else "fr"

    @property
    def title(self) -> str:
        return self.title_en if self.lang == "en" else self.title_fr

    @property
    def summary(self) -> str:
        return self.summary_en if self.lang == "en" else self.summary_fr

    @property
    def body(self) -> str:
        return self.body_en if self.lang == "en" else self.body_fr

    @property
    def is_visible(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLIE
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
