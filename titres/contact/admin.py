"""The operators' queue (/gestion/contact/ticket/): filters, assignment,
the thread with the answer sent by e-mail, the transitions, complaints
received by registered letter, and the deadline statistics. Every write
goes through titres/contact/services.py (journaled)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .models import Ticket
from .workflow import TicketEvent, operator_events

OPERATOR_ACTIONS = {
    TicketEvent.PRENDRE_EN_CHARGE: services.take,
    TicketEvent.CLORE: services.close,
    TicketEvent.ROUVRIR: services.reopen,
}


class DueFilter(admin.SimpleListFilter):
    title = _("échéance")
    parameter_name = "echeance"

    def lookups(self, request, model_admin):
        return [
            ("depassee", _("Dépassée")),
            ("sous_3_jours", _("Dans les 3 jours")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "depassee":
            return queryset.overdue(today)
        if self.value() == "sous_3_jours":
            return queryset.filter(
                status__in=("nouveau", "en_cours"),
                due_on__gte=today,
                due_on__lte=today + timedelta(days=3),
            )
        return queryset


def operators():
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


def operator_label(user) -> str:
    """An operator as colleagues know them: the name, then the login (a bare
    login such as the demo's "operateur" reads like a code)."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class AssigneeFilter(admin.RelatedOnlyFieldListFilter):
    def field_choices(self, field, request, model_admin):
        assigned = model_admin.get_queryset(request).values_list("assigned_to", flat=True)
        users = get_user_model().objects.filter(pk__in=assigned).order_by("username")
        return [(user.pk, operator_label(user)) for user in users]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Réponse (envoyée par e-mail et visible par l’usager sur le portail)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Attribuer à"),
        queryset=operators(),
        required=False,
        empty_label=_("Personne"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = operators()
        self.fields["assignee"].label_from_instance = operator_label


class LetterComplaintForm(forms.Form):
    received_on = forms.DateField(
        label=_("Reçue le (date de l’accusé de réception)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    event_on = forms.DateField(
        label=_("Date de l’événement"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    name = forms.CharField(label=_("Nom et prénom"), max_length=150)
    postal_address = forms.CharField(
        label=_("Adresse postale"), widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(label=_("Adresse e-mail (si indiquée)"), required=False)
    demarche_number = forms.CharField(label=_("Numéro de démarche"), max_length=20, required=False)
    subject = forms.CharField(label=_("Objet"), max_length=150)
    message = forms.CharField(
        label=_("Contenu de la réclamation"), widget=forms.Textarea(attrs={"rows": 8})
    )


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    # What an operator triages on comes first (number, due date, status):
    # beside the admin's menu and the filters the table scrolls sideways,
    # and the due date must not be the part that scrolls out of sight.
    list_display = (
        "number_column",
        "due_column",
        "status",
        "subject",
        "kind",
        "category",
        "received_on",
        "assignee_column",
        "late_column",
    )
    list_filter = (
        "status",
        "kind",
        "category",
        "channel",
        DueFilter,
        ("assigned_to", AssigneeFilter),
        "is_late",
    )
    search_fields = ("number", "subject", "email", "name", "demarche_number")
    list_select_related = ("assigned_to",)
    ordering = ("due_on", "created_at")
    actions = ["take_selected", "close_selected"]
    change_form_template = "contact/admin/ticket_change.html"
    change_list_template = "contact/admin/ticket_changelist.html"
    fields = (
        "number_column",
        "kind",
        "category",
        "channel",
        "status",
        "subject",
        "demarche_number",
        "user",
        "name",
        "email",
        "postal_address",
        "received_on",
        "due_on",
        "event_on",
        "is_late",
        "attachment_name",
        "mairie_request",
        "assignee_column",
        "created_at",
        "answered_at",
        "closed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("numéro"), ordering="number")
    def number_column(self, obj):
        return obj.display_number

    @admin.display(description=_("réponse due le"), ordering="due_on")
    def due_column(self, obj):
        if obj.is_overdue():
            # Written like the other dates of the queue, not as ISO.
            return format_html(
                '<strong class="contact-overdue">{} — {}</strong>',
                date_format(obj.due_on, "DATE_FORMAT"),
                _("en retard"),
            )
        return obj.due_on

    @admin.display(description=_("attribué à"), ordering="assigned_to__username")
    def assignee_column(self, obj):
        if not obj.assigned_to_id:
            return self.get_empty_value_display()
        return operator_label(obj.assigned_to)

    @admin.display(description=_("tardive"), boolean=True, ordering="is_late")
    def late_column(self, obj):
        return obj.is_late if obj.kind == "reclamation" else None

    def has_delete_permission(self, request, obj=None):
        return False  # the retention rule deletes; an operator closes

    def has_change_permission(self, request, obj=None):
        # Nothing is edited in place: the operators' work goes through the
        # services behind the buttons of the ticket page (may_handle).
        return False

    def may_handle(self, request) -> bool:
        return request.user.has_perm("contact.change_ticket")

    class Media:
        css = {"all": ["contact/admin.css"]}

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("statistiques/", wrap(self.statistics_view), name="contact_ticket_statistics"),
            path("<int:pk>/repondre/", wrap(self.answer_view), name="contact_ticket_answer"),
            path("<int:pk>/attribuer/", wrap(self.assign_view), name="contact_ticket_assign"),
            path(
                "<int:pk>/action/<slug:event>/", wrap(self.event_view), name="contact_ticket_event"
            ),
            path(
                "<int:pk>/piece-jointe/",
                wrap(self.attachment_view),
                name="contact_ticket_attachment",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # The admin's default title ("Sélectionnez l’objet … à afficher")
        # runs under the object tools on a laptop screen.
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    # --- list actions ---------------------------------------------------

    def _bulk(self, request, queryset, function, done):
        if not self.may_handle(request):
            raise PermissionDenied
        count, refused = 0, []
        for ticket in queryset:
            try:
                function(ticket=ticket, actor=request.user, request=request)
                count += 1
            except services.ContactError as error:
                refused.append(f"{ticket.display_number} : {error.message}")
        if count:
            self.message_user(request, done(count), messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Prendre en charge (m’attribuer, en cours)"))
    def take_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.take,
            lambda n: (
                ngettext("%(n)d demande prise en charge.", "%(n)d demandes prises en charge.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("Clore les demandes sélectionnées"))
    def close_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.close,
            lambda n: ngettext("%(n)d demande close.", "%(n)d demandes closes.", n) % {"n": n},
        )

    # --- the ticket page --------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if ticket is not None and self.may_handle(request):
            extra.update(
                thread=ticket.messages.select_related("author"),
                answer_form=AnswerForm(),
                assign_form=AssignForm(initial={"assignee": ticket.assigned_to_id}),
                events=[
                    TicketEvent(e) for e in operator_events(ticket.status) if e in OPERATOR_ACTIONS
                ],
                overdue=ticket.is_overdue(),
                can_answer=TicketEvent.REPONDRE in operator_events(ticket.status),
            )
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _ticket(self, request, pk) -> Ticket:
        if not self.may_handle(request):
            raise PermissionDenied
        return get_object_or_404(Ticket, pk=pk)

    def _back(self, ticket):
        return redirect(reverse("admin:contact_ticket_change", args=[ticket.pk]))

    def answer_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if request.method != "POST":
            return self._back(ticket)
        form = AnswerForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Écrivez la réponse avant de l’envoyer."), messages.ERROR)
            return self._back(ticket)
        try:
            services.answer(
                ticket=ticket, actor=request.user, body=form.cleaned_data["body"], request=request
            )
        except services.ContactError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Réponse enregistrée et envoyée à %(email)s.") % {"email": ticket.reply_to}
                if ticket.reply_to
                else _("Réponse enregistrée (à envoyer par courrier)."),
                messages.SUCCESS,
            )
        return self._back(ticket)

    def assign_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if request.method != "POST":
            return self._back(ticket)
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                services.assign(
                    ticket=ticket,
                    assignee=form.cleaned_data["assignee"],
                    actor=request.user,
                    request=request,
                )
            except services.ContactError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Attribution enregistrée."), messages.SUCCESS)
        else:
            self.message_user(request, _("Choisissez un opérateur de la liste."), messages.ERROR)
        return self._back(ticket)

    def event_view(self, request, pk, event):
        ticket = self._ticket(request, pk)
        if request.method != "POST":
            return self._back(ticket)
        function = OPERATOR_ACTIONS.get(event)
        if function is None:
            raise Http404
        try:
            function(ticket=ticket, actor=request.user, request=request)
        except services.ContactError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Action « %(action)s » enregistrée.") % {"action": TicketEvent(event).label},
                messages.SUCCESS,
            )
        return self._back(ticket)

    def attachment_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not ticket.attachment:
            raise Http404
        return FileResponse(
            ticket.attachment.open("rb"),
            as_attachment=True,
            filename=ticket.attachment_name or ticket.attachment.name.rsplit("/", 1)[-1],
            content_type=ticket.attachment_type or "application/octet-stream",
        )

    # --- complaints received by registered letter ----------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = LetterComplaintForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                ticket = services.record_letter_complaint(
                    actor=request.user, request=request, **form.cleaned_data
                )
            except services.ContactError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Réclamation %(number)s enregistrée ; réponse due le %(due)s.")
                    % {
                        "number": ticket.display_number,
                        "due": date_format(ticket.due_on, "DATE_FORMAT"),
                    },
                    messages.SUCCESS,
                )
                return self._back(ticket)
        return render(
            request,
            "contact/admin/letter_complaint.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "title": _("Enregistrer une réclamation reçue par lettre recommandée"),
                "opts": self.model._meta,
            },
        )

    # --- statistics ---------------------------------------------------------

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return render(
            request,
            "contact/admin/statistics.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Délais de réponse"),
                "opts": self.model._meta,
                "figures": selectors.deadline_statistics(),
            },
        )
