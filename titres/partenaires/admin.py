import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import calllog, retirements, services, stats
from .models import ApiToken, AvailabilityProbe, CallLog, Partner, Retirement

USAGE_WINDOW = dt.timedelta(days=30)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (envoyé au partenaire)"),
        max_length=services.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _run(request, partners, function, success, **kwargs) -> None:
    done = 0
    for partner in partners:
        try:
            function(partner=partner, actor=request.user, request=request, **kwargs)
        except ValidationError as error:
            messages.error(request, f"{partner.name} : {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        messages.success(request, success % {"count": done})


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Every write goes through the services (journaled); the state changes
    only by the actions below, which e-mail the partner with the reason."""

    list_display = ["name", "siret", "state", "calls_30_days", "errors_30_days", "created_at"]
    list_filter = ["state"]
    search_fields = ["name", "siret"]
    filter_horizontal = ["members"]
    readonly_fields = ["state", "state_reason", "state_since", "created_at", "usage_link"]
    actions = ["suspend", "reactivate", "terminate"]

    def get_queryset(self, request):
        since = timezone.now() - USAGE_WINDOW
        return (
            super()
            .get_queryset(request)
            .annotate(
                calls_30=Count("tokens__calls", filter=Q(tokens__calls__at__gte=since)),
                errors_30=Count(
                    "tokens__calls",
                    filter=Q(tokens__calls__at__gte=since, tokens__calls__status_code__gte=400),
                ),
            )
        )

    @admin.display(description=_("appels (30 jours)"), ordering="calls_30")
    def calls_30_days(self, obj):
        return obj.calls_30

    @admin.display(description=_("erreurs (30 jours)"), ordering="errors_30")
    def errors_30_days(self, obj):
        return obj.errors_30

    @admin.display(description=_("utilisation"))
    def usage_link(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:partenaires_partner_usage", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Voir l’utilisation de ses jetons"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/utilisation/",
                self.admin_site.admin_view(self.usage_view),
                name="partenaires_partner_usage",
            ),
            *super().get_urls(),
        ]

    def usage_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        partner = get_object_or_404(Partner, pk=pk)
        calllog.flush_before_reading()
        calls = CallLog.objects.filter(token__partner=partner).select_related("token")
        return render(
            request,
            "admin/partenaires/usage.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Utilisation — %(name)s") % {"name": partner.name},
                "opts": self.model._meta,
                "partner": partner,
                "series": stats.usage(partner, now=timezone.now()),
                "last_errors": calls.filter(status_code__gte=400).order_by("-at")[:20],
            },
        )

    def save_model(self, request, obj, form, change):
        fields = {
            n: form.cleaned_data[n] for n in services.PARTNER_FIELDS if n in form.cleaned_data
        }
        members = form.cleaned_data.get("members")
        if change:
            saved = services.update_partner(
                partner=obj, actor=request.user, request=request, members=members, **fields
            )
        else:
            saved = services.create_partner(
                actor=request.user, request=request, members=members, **fields
            )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The members were saved by the service (journaled with the rest).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        # Termination, not deletion: the traces of its calls must stay.
        return False

    def _with_reason(self, request, queryset, action, function, title, success):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            _run(request, queryset, function, success, reason=form.cleaned_data["reason"])
            return None
        return render(
            request,
            "admin/partenaires/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "form": form,
                "queryset": queryset,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "terminate": action == "terminate",
            },
        )

    @admin.action(description=_("Suspendre (jetons refusés, courriel avec le motif)"))
    def suspend(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "suspend",
            services.suspend_partner,
            _("Suspendre des partenaires"),
            _("%(count)s partenaire(s) suspendu(s) et prévenu(s)."),
        )

    @admin.action(description=_("Réactiver (fin de la suspension)"))
    def reactivate(self, request, queryset):
        _run(
            request,
            queryset,
            services.reactivate_partner,
            _("%(count)s partenaire(s) réactivé(s) et prévenu(s)."),
        )

    @admin.action(description=_("Résilier (jetons révoqués, contacts supprimés)"))
    def terminate(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "terminate",
            services.terminate_partner,
            _("Résilier des partenaires"),
            _("%(count)s partenaire(s) résilié(s) et prévenu(s)."),
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only here: tokens are issued, renewed and revoked through the
    services (the secret is shown once, every change is journaled)."""

    list_display = ["partner", "procedure", "key_id", "expires_at", "revoked_at"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CallLog)
class CallLogAdmin(admin.ModelAdmin):
    list_display = ["at", "token", "path", "status_code", "error_code", "latency_ms"]
    list_filter = ["status_code"]

    def changelist_view(self, request, extra_context=None):
        # The calls still queued in Redis first: operators look for the
        # call a partner just reported.
        calllog.flush_before_reading()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RetirementForm(forms.ModelForm):
    class Meta:
        model = Retirement
        fields = ["target", "sunset_on", "note"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The service checks again; here the operator sees it on the form.
            retirements.check_schedule(target=cleaned["target"], sunset_on=cleaned["sunset_on"])
        return cleaned


@admin.register(Retirement)
class RetirementAdmin(admin.ModelAdmin):
    """Scheduling tells every partner that used the path in the last 90
    days; a retirement is not edited afterwards (they were told a date)."""

    form = RetirementForm
    list_display = ["target", "sunset_on", "announced_at", "reminder_sent_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = retirements.schedule_retirement(
            target=obj.target,
            sunset_on=obj.sunset_on,
            note=obj.note,
            actor=request.user,
            request=request,
        )
        obj.pk = created.pk


@admin.register(AvailabilityProbe)
class AvailabilityProbeAdmin(admin.ModelAdmin):
    """Written by the probe job only (the status page counts them)."""

    list_display = ["at", "ok", "latency_ms", "detail"]
    list_filter = ["ok"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
