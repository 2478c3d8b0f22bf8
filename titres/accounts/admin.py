"""Operators' screens (Django admin at /gestion/). Every change that matters
goes through services.py, which writes the audit journal and the e-mails."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .enums import MairieRequestStatus
from .forms import USERNAME_INVALID, USERNAME_RE, USERNAME_TAKEN, MairieAccountForm, SuspendForm
from .identifiers import email_key, identifier_key
from .models import Habilitation, MairieAccountRequest, TermsAcceptance, TermsVersion, User
from .services.account import delete_account
from .services.admin_journal import (
    record_admin_change,
    record_admin_group_change,
    record_admin_password_change,
)
from .services.common import AccountError
from .services.habilitations import (
    create_habilitation,
    reactivate_habilitation,
    suspend_habilitation,
    terminate_habilitation,
    update_habilitation,
)
from .services.mairies import create_mairie_account, refuse_mairie_request, update_mairie_request
from .services.suspension import reactivate_account, suspend_account
from .services.terms import publish_terms_version, update_terms_version
from .validators import normalise_siret


def _run(request, queryset, function, success, build):
    done = 0
    for obj in queryset:
        try:
            function(actor=request.user, request=request, **build(obj))
        except AccountError as error:
            messages.error(request, f"{obj} : {error}")
        else:
            done += 1
    if done:
        messages.success(request, success % {"count": done})


class TermsAcceptanceInline(admin.TabularInline):
    model = TermsAcceptance
    extra = 0
    can_delete = False
    readonly_fields = ("version", "accepted_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "profile",
        "is_active",
        "suspended_until",
        "is_staff",
        "date_joined",
    )
    list_filter = ("profile", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name", "organisation_name", "siret")
    ordering = ("-date_joined",)
    readonly_fields = (
        "suspended_until",
        "suspension_reason",
        "email_verified_at",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Identité et coordonnées"),
            {"fields": ("profile", "first_name", "last_name", "sex", "email", "phone")},
        ),
        (
            _("Profil professionnel"),
            {"fields": ("organisation_name", "approval_number", "siret", "dr_count")},
        ),
        (
            _("État du compte"),
            {
                "fields": (
                    "is_active",
                    "email_verified_at",
                    "suspended_until",
                    "suspension_reason",
                    "last_login",
                    "date_joined",
                )
            },
        ),
        (
            _("Droits d’opérateur"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
    )
    inlines = [TermsAcceptanceInline]
    actions = ["suspend", "reactivate", "delete_accounts"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deletion goes through the service (audit event, e-mail).
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # No stock delete page: the "Supprimer les comptes" action goes
        # through delete_account (journal, e-mail, refusals).
        return False

    def has_delete_accounts_permission(self, request):
        return request.user.has_perm("accounts.delete_user")

    def delete_model(self, request, obj):
        delete_account(user=obj, actor=request.user, request=request)

    # --- Journal of the changes made here ---------------------------------
    @staticmethod
    def _grants(user) -> tuple[set, set]:
        if user.pk is None:
            return set(), set()
        groups = set(user.groups.values_list("name", flat=True))
        permissions = {
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        return groups, permissions

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The journal entry is written by save_related, once the groups and
        # permissions are saved too.
        request._accounts_admin_fields = list(form.changed_data)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        groups_before, permissions_before = self._grants(user) if change else (set(), set())
        super().save_related(request, form, formsets, change)
        groups_after, permissions_after = self._grants(user)
        record_admin_change(
            user=user,
            actor=request.user,
            fields=getattr(request, "_accounts_admin_fields", list(form.changed_data)),
            created=not change,
            groups_before=groups_before,
            groups_after=groups_after,
            permissions_before=permissions_before,
            permissions_after=permissions_after,
            request=request,
        )

    def user_change_password(self, request, id, form_url=""):
        before = User.objects.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and before is not None:
            user = User.objects.filter(pk=id).first()
            if user is not None and user.password != before:
                record_admin_password_change(
                    user=user,
                    actor=request.user,
                    usable=user.has_usable_password(),
                    request=request,
                )
        return response

    @admin.action(
        description=_("Suspendre temporairement (motif et durée)"),
        permissions=["change"],
    )
    def suspend(self, request, queryset):
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for user in queryset:
                try:
                    suspend_account(
                        user=user,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        days=form.cleaned_data["days"],
                        request=request,
                    )
                except AccountError as error:
                    messages.error(request, f"{user} : {error}")
                else:
                    done += 1
            if done:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s compte suspendu ; un courriel indique le motif et la durée.",
                        "%(count)s comptes suspendus ; un courriel indique le motif et la durée.",
                        done,
                    )
                    % {"count": done},
                )
            return None
        return render(
            request,
            "admin/accounts/suspend.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Suspendre temporairement des comptes"),
                "form": form,
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Réactiver (lever la suspension)"), permissions=["change"])
    def reactivate(self, request, queryset):
        done = 0
        for user in queryset.filter(suspended_until__isnull=False):
            reactivate_account(user=user, actor=request.user, request=request)
            done += 1
        messages.success(
            request,
            ngettext("%(count)s compte réactivé.", "%(count)s comptes réactivés.", done)
            % {"count": done},
        )

    @admin.action(
        description=_("Supprimer les comptes et leurs données"), permissions=["delete_accounts"]
    )
    def delete_accounts(self, request, queryset):
        if "apply" not in request.POST:
            return render(
                request,
                "admin/accounts/confirm_delete.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Supprimer des comptes"),
                    "queryset": queryset,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for user in list(queryset):
            try:
                delete_account(user=user, actor=request.user, request=request)
            except AccountError as error:
                messages.error(request, f"{user} : {error}")
            else:
                done += 1
        messages.success(
            request,
            ngettext("%(count)s compte supprimé.", "%(count)s comptes supprimés.", done)
            % {"count": done},
        )
        return None


class HabilitationForm(forms.ModelForm):
    class Meta:
        model = Habilitation
        fields = [
            "number",
            "department",
            "starts_on",
            "ends_on",
            "organisation_name",
            "siret",
            "first_name",
            "last_name",
            "email",
            "username",
        ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if self.instance.pk is None:
            if not USERNAME_RE.match(username):
                raise forms.ValidationError(USERNAME_INVALID)
            if User.objects.filter(username_key=identifier_key(username)).exists():
                raise forms.ValidationError(USERNAME_TAKEN)
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if self.instance.pk is None and User.objects.filter(email_key=email_key(email)).exists():
            raise forms.ValidationError(_("Un compte existe déjà avec cette adresse e-mail."))
        return email

    def clean_siret(self):
        value = self.cleaned_data["siret"]
        return normalise_siret(value) if value else ""


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    form = HabilitationForm
    list_display = ("number", "organisation_name", "department", "status", "starts_on", "ends_on")
    list_filter = ("status", "department")
    search_fields = ("number", "organisation_name", "email", "username")
    actions = ["suspend", "reactivate", "terminate"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("status",)
        # The account already exists: identity fields are changed on the account.
        return ("status", "user", "email", "username", "first_name", "last_name")

    def has_delete_permission(self, request, obj=None):
        return False  # terminate instead

    def save_model(self, request, obj, form, change):
        if change:
            update_habilitation(
                habilitation=obj, actor=request.user, changed=form.changed_data, request=request
            )
            return
        data = form.cleaned_data
        created = create_habilitation(
            actor=request.user,
            request=request,
            number=data["number"],
            department=data["department"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            organisation_name=data["organisation_name"],
            siret=data["siret"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            username=data["username"],
        )
        obj.pk = created.pk
        obj.user = created.user
        obj._state.adding = False

    @admin.action(description=_("Suspendre l’habilitation (désactive le compte)"))
    def suspend(self, request, queryset):
        _run(
            request,
            queryset,
            suspend_habilitation,
            _("%(count)s habilitation(s) suspendue(s)."),
            build=lambda h: {"habilitation": h},
        )

    @admin.action(description=_("Réactiver l’habilitation (rétablit le compte)"))
    def reactivate(self, request, queryset):
        _run(
            request,
            queryset,
            reactivate_habilitation,
            _("%(count)s habilitation(s) réactivée(s)."),
            build=lambda h: {"habilitation": h},
        )

    @admin.action(description=_("Résilier l’habilitation (supprime le compte et ses données)"))
    def terminate(self, request, queryset):
        _run(
            request,
            queryset,
            terminate_habilitation,
            _("%(count)s habilitation(s) résiliée(s)."),
            build=lambda h: {"habilitation": h},
        )


@admin.register(MairieAccountRequest)
class MairieAccountRequestAdmin(admin.ModelAdmin):
    list_display = (
        "commune",
        "insee_code",
        "department",
        "dr_count",
        "email",
        "status",
        "created_at",
    )
    list_filter = ("status", "department")
    search_fields = ("commune", "insee_code", "email")
    readonly_fields = ("status", "user", "created_at", "handled_at")
    actions = ["create_account", "refuse"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # refuse the request instead (journaled, e-mail)

    def save_model(self, request, obj, form, change):
        update_mairie_request(
            mairie_request=obj, actor=request.user, changed=form.changed_data, request=request
        )

    @admin.action(description=_("Créer le compte de la mairie"))
    def create_account(self, request, queryset):
        pending = queryset.filter(status=MairieRequestStatus.EN_ATTENTE)
        if pending.count() != 1:
            messages.error(request, _("Sélectionnez une seule demande en attente."))
            return None
        mairie_request = pending.get()
        form = MairieAccountForm(
            request.POST if "apply" in request.POST else None,
            initial={"dr_count": mairie_request.dr_count},
        )
        if "apply" in request.POST and form.is_valid():
            try:
                create_mairie_account(
                    mairie_request=mairie_request,
                    actor=request.user,
                    username=form.cleaned_data["username"],
                    dr_count=form.cleaned_data["dr_count"],
                    request=request,
                )
            except AccountError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Compte créé ; la procédure de connexion a été envoyée à %(email)s.")
                    % {"email": mairie_request.email},
                )
            return None
        return render(
            request,
            "admin/accounts/mairie_account.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Créer le compte de la mairie"),
                "form": form,
                "mairie_request": mairie_request,
                "queryset": pending,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Refuser la demande"))
    def refuse(self, request, queryset):
        _run(
            request,
            queryset,
            refuse_mairie_request,
            _("%(count)s demande(s) refusée(s)."),
            build=lambda r: {"mairie_request": r},
        )


class TermsVersionForm(forms.ModelForm):
    class Meta:
        model = TermsVersion
        fields = ["title", "text", "summary_of_changes", "published_at"]


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    form = TermsVersionForm
    list_display = ("version", "title", "published_at")
    readonly_fields = ("version",)

    def has_change_permission(self, request, obj=None):
        # A published version is evidence of what users accepted: publish a
        # new version instead of editing it.
        return obj is None or obj.published_at > timezone.now()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            update_terms_version(
                terms=obj, actor=request.user, changed=form.changed_data, request=request
            )
            return
        created = publish_terms_version(
            actor=request.user,
            request=request,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            summary_of_changes=form.cleaned_data["summary_of_changes"],
            published_at=form.cleaned_data["published_at"],
        )
        obj.pk = created.pk
        obj.version = created.version
        obj._state.adding = False


# Groups carry permissions: their changes are journaled too.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    @staticmethod
    def _permissions(group) -> set:
        if group.pk is None:
            return set()
        return {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }

    def save_related(self, request, form, formsets, change):
        before = self._permissions(form.instance) if change else set()
        super().save_related(request, form, formsets, change)
        record_admin_group_change(
            group=form.instance,
            actor=request.user,
            created=not change,
            fields=list(form.changed_data),
            permissions_before=before,
            permissions_after=self._permissions(form.instance),
            request=request,
        )
