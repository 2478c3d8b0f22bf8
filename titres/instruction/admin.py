"""Operators' screens of the back office (/gestion/): the agents'
memberships and the enrolments of their second factor. Operators issue an
enrolment link (mailed) or an activation code (shown once, handed over)
from either list; nothing here edits a membership yet."""

from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import user_has_device

from . import enrolment
from .models import AgentMembership, OtpEnrolment


class EnrolmentActions:
    """Admin actions issuing an enrolment to the users of the selected rows."""

    actions = ["send_enrolment_link", "give_activation_code"]

    def has_enrol_permission(self, request):
        return request.user.has_perm("instruction.add_otpenrolment")

    @staticmethod
    def _users(queryset):
        users = {}
        for row in queryset.select_related("user"):
            users.setdefault(row.user_id, row.user)
        return list(users.values())

    @admin.action(
        description=_("Envoyer un lien d’enrôlement du second facteur (courriel)"),
        permissions=["enrol"],
    )
    def send_enrolment_link(self, request, queryset):
        done = 0
        for user in self._users(queryset):
            try:
                enrolment.issue_link(user=user, actor=request.user, request=request)
            except enrolment.EnrolmentRefused as error:
                messages.error(request, f"{user} : {error.message}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)s lien d’enrôlement envoyé ; tout lien ou code précédent est annulé.",
                    "%(count)s liens d’enrôlement envoyés ; tout lien ou code précédent est "
                    "annulé.",
                    done,
                )
                % {"count": done},
            )

    @admin.action(
        description=_("Remettre un code d’activation du second facteur (affiché une fois)"),
        permissions=["enrol"],
    )
    def give_activation_code(self, request, queryset):
        codes = []
        for user in self._users(queryset):
            try:
                code = enrolment.issue_code(user=user, actor=request.user, request=request)
            except enrolment.EnrolmentRefused as error:
                messages.error(request, f"{user} : {error.message}")
            else:
                codes.append((user.username, code))
        if not codes:
            return None
        return render(
            request,
            "admin/instruction/activation_codes.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Codes d’activation du second facteur"),
                "codes": codes,
                "hours": enrolment.enrolment_hours(),
                "opts": self.model._meta,
            },
        )


@admin.register(AgentMembership)
class AgentMembershipAdmin(EnrolmentActions, admin.ModelAdmin):
    list_display = ("user", "authority", "role", "second_factor")
    list_filter = ("role", "authority")
    search_fields = ("user__username", "user__email", "authority__code", "authority__name")
    list_select_related = ("user", "authority")

    @admin.display(description=_("second facteur"))
    def second_factor(self, obj):
        return _("enregistré") if user_has_device(obj.user, confirmed=True) else _("à enrôler")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OtpEnrolment)
class OtpEnrolmentAdmin(EnrolmentActions, admin.ModelAdmin):
    list_display = ("user", "kind", "state", "issued_by", "created_at", "expires_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "issued_by")
    exclude = ("digest",)
    readonly_fields = (
        "user",
        "kind",
        "sent_to",
        "issued_by",
        "created_at",
        "expires_at",
        "used_at",
        "completed_at",
        "revoked_at",
    )

    @admin.display(description=_("état"))
    def state(self, obj):
        return obj.state_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
