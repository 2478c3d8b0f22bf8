"""The operators' screens (/gestion/infos/article/): write questions,
guides and news in Markdown, preview them, publish or withdraw. Every save
goes through titres/infos/services.py (journaled). No deletion: a page is
withdrawn (back to draft), which keeps its address and its history."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from titres.procedures.registry import all_procedures

from . import markdown, services
from .enums import ArticleStatus
from .models import Article


class ArticleForm(forms.ModelForm):
    procedure_code = forms.ChoiceField(label=_("démarche"), required=False)

    class Meta:
        model = Article
        fields = list(services.EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure_code"].choices = [("", "—")] + [
            (procedure.code, procedure.title) for procedure in all_procedures()
        ]
        self.fields["procedure_code"].help_text = Article._meta.get_field(
            "procedure_code"
        ).help_text


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ("title_fr", "kind", "status", "topic", "published_at", "updated_at")
    list_filter = ("kind", "status", "topic")
    search_fields = ("title_fr", "title_en", "body_fr", "slug")
    prepopulated_fields = {"slug": ("title_fr",)}
    readonly_fields = ("preview_fr", "preview_en", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "status",
                    "published_at",
                    "slug",
                    "topic",
                    "procedure_code",
                    "position",
                )
            },
        ),
        (_("Français"), {"fields": ("title_fr", "summary_fr", "body_fr", "preview_fr")}),
        (
            _("Anglais (facultatif : sans titre et texte anglais, la page s’affiche en français)"),
            {"fields": ("title_en", "summary_en", "body_en", "preview_en")},
        ),
        (_("Historique"), {"fields": ("created_at", "updated_at")}),
    )
    actions = ["publish", "unpublish"]

    @admin.display(description=_("aperçu (enregistrez pour le mettre à jour)"))
    def preview_fr(self, obj):
        return markdown.render(obj.body_fr) if obj and obj.body_fr else "—"

    @admin.display(description=_("aperçu (enregistrez pour le mettre à jour)"))
    def preview_en(self, obj):
        return markdown.render(obj.body_en) if obj and obj.body_en else "—"

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw instead (back to draft)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        if change:
            services.update_article(article=obj, actor=request.user, request=request, **fields)
            return
        created = services.create_article(actor=request.user, request=request, **fields)
        obj.pk = created.pk
        obj.published_at = created.published_at
        obj._state.adding = False

    def _set_status(self, request, queryset, status):
        count = 0
        for article in queryset:
            if article.status != status:
                services.set_status(
                    article=article, status=status, actor=request.user, request=request
                )
                count += 1
        return count

    @admin.action(description=_("Publier les contenus sélectionnés"))
    def publish(self, request, queryset):
        count = self._set_status(request, queryset, ArticleStatus.PUBLIE)
        self.message_user(
            request,
            ngettext("%(count)d contenu publié.", "%(count)d contenus publiés.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Retirer (repasser en brouillon) les contenus sélectionnés"))
    def unpublish(self, request, queryset):
        count = self._set_status(request, queryset, ArticleStatus.BROUILLON)
        self.message_user(
            request,
            ngettext("%(count)d contenu retiré.", "%(count)d contenus retirés.", count)
            % {"count": count},
            messages.SUCCESS,
        )
