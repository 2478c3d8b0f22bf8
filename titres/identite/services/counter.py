"""The town hall's counter: look a pré-demande up by its number, record
the file as taken ("dossier recueilli"), mark appointments, hand titles
over.

What a town hall may see: its own meeting points' agendas; any pré-demande
whose exact number (typed or scanned) the citizen presents, since a person
may file at any town hall — never a list or a search of other files; and
the appointments of that number at its own meeting points only (where and
when the person booked elsewhere stays private)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.accounts.enums import Profile
from titres.core import numbering
from titres.core.journal import record_event

from .. import numbers
from ..audit import IdentiteEvent
from ..enums import ApplicationStatus, AppointmentStatus
from ..errors import RegisterError
from ..models import Appointment, AppointmentApplication, CollectionDevice, PreDemande
from ..models.delivery import DeliveryStatus, TitleDelivery
from ..selectors import effective_status

CERT_CODE = "CERT-TES"
CERT_NAME = "CERT titres d’identité (carte d’identité et passeport)"
KEEPING_DAYS = 90


def require_mairie(user) -> None:
    if not (user.is_authenticated and user.profile == Profile.MAIRIE and user.is_active):
        raise PermissionDenied


def cert_authority():
    from titres.procedures.enums import AuthorityKind
    from titres.procedures.models import Authority

    authority, _created = Authority.objects.get_or_create(
        code=CERT_CODE, defaults={"name": CERT_NAME, "kind": AuthorityKind.CERT}
    )
    return authority


def lookup(*, mairie, number: str) -> PreDemande:
    """The pré-demande of an exact number, or the precise refusal."""
    require_mairie(mairie)
    cleaned = numbers.normalize(number)
    if not numbers.is_well_formed(cleaned):
        raise RegisterError(
            _(
                "Le numéro de pré-demande « %(number)s » n’est pas valide : il compte 10 caractères "
                "(lettres et chiffres) et le dernier est une clé de contrôle."
            )
            % {"number": (number or "")[:20]},
            code="invalid_application_id",
        )
    predemande = (
        PreDemande.objects.select_related("demarche", "consumed_device__meeting_point")
        .filter(number=cleaned)
        .first()
    )
    if predemande is None:
        raise RegisterError(
            _("Aucune pré-demande ne porte le numéro %(number)s.")
            % {"number": numbering.format_number(cleaned)},
            code="unknown",
        )
    record_event(
        IdentiteEvent.COUNTER_LOOKUP, actor=mairie, target=predemande, data={"number": cleaned}
    )
    return predemande


def local_appointments(*, mairie, predemande):
    return [
        link.appointment
        for link in AppointmentApplication.objects.filter(
            predemande=predemande, appointment__meeting_point__mairie=mairie
        ).select_related("appointment__meeting_point", "appointment__device")
    ]


@transaction.atomic
def record_collection(*, predemande: PreDemande, device: CollectionDevice, actor, request=None):
    """ "Dossier recueilli": every validated number of the same pré-demande
    file becomes `consumed` (who, when, which DR); its appointments end
    (honoured here, cancelled elsewhere); the file goes to the CERT."""
    require_mairie(actor)
    device = CollectionDevice.objects.select_related("meeting_point").get(pk=device.pk)
    if device.meeting_point.mairie_id != actor.pk or not device.is_active:
        raise PermissionDenied
    siblings = PreDemande.objects.select_for_update().order_by("number")
    siblings = (
        siblings.filter(demarche=predemande.demarche)
        if predemande.demarche_id
        else siblings.filter(pk=predemande.pk)
    )
    siblings = list(siblings)
    target = next(p for p in siblings if p.pk == predemande.pk)
    status = effective_status(target)
    if status == ApplicationStatus.CONSUMED:
        raise RegisterError(
            _("Ce dossier a déjà été recueilli le %(date)s.")
            % {"date": timezone.localtime(target.consumed_at).strftime("%d/%m/%Y à %H:%M")},
            code="consumed",
        )
    if status != ApplicationStatus.VALIDATED:
        raise RegisterError(
            _("Cette pré-demande ne peut pas être recueillie : %(status)s.")
            % {"status": ApplicationStatus(status).label},
            code=str(status),
        )
    now = timezone.now()
    collected = []
    for item in siblings:
        if effective_status(item, now) != ApplicationStatus.VALIDATED:
            continue
        item.status = ApplicationStatus.CONSUMED
        item.consumed_at = now
        item.consumed_by = actor
        item.consumed_device = device
        item.save(update_fields=["status", "consumed_at", "consumed_by", "consumed_device"])
        collected.append(item.number)
    links = list(
        AppointmentApplication.objects.select_related("appointment").filter(
            predemande__in=siblings, is_active=True
        )
    )
    for link in links:
        link.is_active = False
        link.save(update_fields=["is_active"])
        appointment = link.appointment
        if (
            appointment.status == AppointmentStatus.ACTIVE
            and not appointment.applications.filter(is_active=True).exists()
        ):
            here = appointment.meeting_point_id == device.meeting_point_id
            appointment.status = AppointmentStatus.HONOURED if here else AppointmentStatus.CANCELLED
            appointment.closed_at = now
            appointment.save(update_fields=["status", "closed_at"])
    demarche = predemande.demarche
    if demarche is not None and demarche.authority_id != cert_authority().pk:
        demarche.authority = cert_authority()
        demarche.save(update_fields=["authority", "updated_at"])
    record_event(
        IdentiteEvent.DOSSIER_RECUEILLI,
        actor=actor,
        request=request,
        target=target,
        data={
            "numbers": collected,
            "device_id": device.pk,
            "meeting_point_id": device.meeting_point_id,
            "demarche": demarche.number if demarche else "",
        },
    )
    return collected


@transaction.atomic
def mark_attendance(
    *, appointment: Appointment, honoured: bool, actor, request=None
) -> Appointment:
    """Honoured or no-show, by the town hall of the meeting point. Either
    way the numbers are free again (a person who came but whose file was
    not taken may book anew)."""
    require_mairie(actor)
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("meeting_point")
        .get(pk=appointment.pk)
    )
    if appointment.meeting_point is None or appointment.meeting_point.mairie_id != actor.pk:
        raise PermissionDenied
    if appointment.status != AppointmentStatus.ACTIVE:
        raise RegisterError(
            _("Ce rendez-vous est déjà clos (%(status)s).")
            % {"status": appointment.get_status_display()},
            code="closed",
        )
    AppointmentApplication.objects.filter(appointment=appointment).update(is_active=False)
    appointment.status = AppointmentStatus.HONOURED if honoured else AppointmentStatus.NO_SHOW
    appointment.closed_at = timezone.now()
    appointment.save(update_fields=["status", "closed_at"])
    record_event(
        IdentiteEvent.APPOINTMENT_HONOURED if honoured else IdentiteEvent.APPOINTMENT_NO_SHOW,
        actor=actor,
        request=request,
        target=appointment,
        data={"reference": appointment.reference},
    )
    return appointment


# --- Delivery ------------------------------------------------------------------


@transaction.atomic
def title_available(demarche) -> TitleDelivery | None:
    """The factory delivered the title to the town hall where the file was
    taken: "Titre disponible en mairie", the citizen is told."""
    from titres.core.notifications import notify_email, notify_sms
    from titres.procedures.notifications import filer_contact

    taken = (
        PreDemande.objects.filter(demarche=demarche, consumed_device__isnull=False)
        .select_related("consumed_device__meeting_point")
        .first()
    )
    if taken is None:
        return None
    point = taken.consumed_device.meeting_point
    delivery, created = TitleDelivery.objects.get_or_create(
        demarche=demarche, defaults={"meeting_point": point, "available_at": timezone.now()}
    )
    if created:
        record_event(
            IdentiteEvent.TITRE_AVAILABLE,
            target=delivery,
            data={"demarche": demarche.number, "meeting_point_id": point.pk},
        )
        answers = demarche.answers or {}
        contact = answers.get("adresse") or {}
        context = {
            "number": demarche.display_number,
            "place": point.name,
            "address": f"{point.address}, {point.postal_code} {point.city_name}",
        }
        # The owner is None once a terminated habilitation detached the file
        # (a professional's account filed it): the contact given, if any.
        email = contact.get("email") or filer_contact(demarche)[0]
        if email:
            notify_email(template="identite/emails/title_available", to=email, context=context)
        if contact.get("telephone"):
            notify_sms(
                phone=contact["telephone"],
                text=_(
                    "Votre titre est disponible à %(place)s. Présentez-vous avec votre récépissé."
                )
                % {"place": point.name},
            )
    return delivery


def _own_delivery(delivery: TitleDelivery, actor) -> TitleDelivery:
    require_mairie(actor)
    delivery = (
        TitleDelivery.objects.select_for_update()
        .select_related("meeting_point", "demarche")
        .get(pk=delivery.pk)
    )
    if delivery.meeting_point.mairie_id != actor.pk:
        raise PermissionDenied
    return delivery


def _finish(delivery, *, comment: str) -> None:
    from titres.procedures.enums import Role, Status
    from titres.procedures.workflow import apply_transition

    if delivery.demarche.status == Status.EN_PRODUCTION:
        apply_transition(
            demarche=delivery.demarche,
            event="terminer",
            actor=None,
            role=Role.SYSTEME,
            comment=comment,
        )


@transaction.atomic
def hand_over(*, delivery: TitleDelivery, actor, request=None) -> TitleDelivery:
    """ "Remis": the holder collected the title; the file is Terminée."""
    delivery = _own_delivery(delivery, actor)
    if delivery.status != DeliveryStatus.DISPONIBLE:
        raise RegisterError(_("Ce titre n’est plus à remettre."), code="closed")
    delivery.status = DeliveryStatus.REMIS
    delivery.closed_at = timezone.now()
    delivery.closed_by = actor
    delivery.save(update_fields=["status", "closed_at", "closed_by"])
    _finish(delivery, comment=str(_("Titre remis en mairie")))
    record_event(IdentiteEvent.TITRE_HANDED_OVER, actor=actor, request=request, target=delivery)
    return delivery


@transaction.atomic
def record_destruction(*, delivery: TitleDelivery, actor, request=None) -> TitleDelivery:
    """A title flagged as not collected within three months is destroyed."""
    delivery = _own_delivery(delivery, actor)
    if delivery.status != DeliveryStatus.DISPONIBLE or delivery.flagged_at is None:
        raise RegisterError(
            _("Seul un titre non retiré depuis plus de trois mois peut être détruit."),
            code="not_flagged",
        )
    delivery.status = DeliveryStatus.DETRUIT
    delivery.closed_at = timezone.now()
    delivery.closed_by = actor
    delivery.save(update_fields=["status", "closed_at", "closed_by"])
    _finish(delivery, comment=str(_("Titre non retiré dans les trois mois, détruit")))
    record_event(IdentiteEvent.TITRE_DESTROYED, actor=actor, request=request, target=delivery)
    return delivery


def flag_uncollected(*, now: datetime.datetime | None = None) -> int:
    """Titles waiting more than three months are flagged (once)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=KEEPING_DAYS)
    flagged = 0
    for delivery in TitleDelivery.objects.filter(
        status=DeliveryStatus.DISPONIBLE, flagged_at__isnull=True, available_at__lt=limit
    ):
        with transaction.atomic():
            updated = TitleDelivery.objects.filter(pk=delivery.pk, flagged_at__isnull=True).update(
                flagged_at=now
            )
            if updated:
                record_event(IdentiteEvent.TITRE_UNCOLLECTED, target=delivery)
                flagged += 1
    return flagged
