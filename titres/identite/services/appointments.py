"""The appointment register's writes: book (on the portal or declared by a
vendor), cancel, cancel-and-rebook in one step, release stale ones.

Concurrency: every write first locks the pré-demande rows it touches
(SELECT ... FOR UPDATE, in number order so two writers never deadlock),
then the device when a slot's capacity is at stake. Two bookings for one
number are therefore serialised; the partial unique index on active
numbers stays as the last guard (an IntegrityError becomes the same
refusal)."""

import datetime
import secrets
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titres.core import numbering
from titres.core.journal import record_event

from .. import conf, numbers
from ..audit import IdentiteEvent
from ..enums import ApplicationStatus, AppointmentSource, AppointmentStatus
from ..errors import RegisterError
from ..models import Appointment, AppointmentApplication, CollectionDevice, PreDemande
from ..slots import published_slot

MAX_NUMBERS = 12


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F Y à H:i")


def describe(appointment: Appointment) -> str:
    return _("le %(when)s, %(place)s") % {
        "when": _when(appointment.starts_at),
        "place": appointment.place_label,
    }


def clean_numbers(raw_numbers) -> list[str]:
    """Canonical, deduplicated, well-formed numbers, or a refusal."""
    cleaned = []
    for raw in raw_numbers:
        number = numbers.normalize(raw)
        if not number:
            continue
        if not numbers.is_well_formed(number):
            raise RegisterError(
                _(
                    "Le numéro de pré-demande « %(number)s » n’est pas valide : il compte "
                    "10 caractères (lettres et chiffres) et le dernier est une clé de contrôle."
                )
                % {"number": (raw or "")[:20]},
                code="invalid_application_id",
                number=number[:20],
            )
        if number not in cleaned:
            cleaned.append(number)
    if not cleaned:
        raise RegisterError(
            _("Indiquez au moins un numéro de pré-demande."), code="missing_application_id"
        )
    if len(cleaned) > MAX_NUMBERS:
        raise RegisterError(
            _("Un rendez-vous porte au plus %(max)s numéros de pré-demande.")
            % {"max": MAX_NUMBERS},
            code="too_many_application_ids",
        )
    return cleaned


def check_bookable(predemande: PreDemande | None, number: str, now) -> None:
    """Refuse a number that is not `validated`, with the precise reason."""
    if predemande is None:
        raise RegisterError(
            _(
                "Le numéro de pré-demande %(number)s est inconnu : vérifiez-le, ou faites "
                "votre pré-demande en ligne."
            )
            % {"number": numbering.format_number(number)},
            code="unknown",
            number=number,
        )
    status = predemande.status
    if status == ApplicationStatus.VALIDATED and predemande.expires_at <= now:
        status = ApplicationStatus.EXPIRED
    messages = {
        ApplicationStatus.CONSUMED: _(
            "Le dossier de la pré-demande %(number)s a déjà été recueilli en mairie : "
            "un rendez-vous n’est plus nécessaire."
        ),
        ApplicationStatus.DECLARED: _(
            "Le numéro de pré-demande %(number)s est déclaré mais n’est pas reconnu "
            "officiellement : refaites la pré-demande en ligne."
        ),
        ApplicationStatus.EXPIRED: _(
            "La pré-demande %(number)s a expiré : faites une nouvelle pré-demande."
        ),
    }
    if status in messages:
        raise RegisterError(
            messages[status] % {"number": numbering.format_number(number)},
            code=str(status),
            number=number,
        )


def _lock_predemandes(cleaned: list[str]) -> dict[str, PreDemande]:
    rows = PreDemande.objects.select_for_update().filter(number__in=cleaned).order_by("number")
    return {row.number: row for row in rows}


def _active_links(predemandes) -> dict[int, list[AppointmentApplication]]:
    links = defaultdict(list)
    for link in (
        AppointmentApplication.objects.select_related("appointment__meeting_point")
        .filter(predemande__in=predemandes, is_active=True)
        .order_by("pk")
    ):
        links[link.predemande_id].append(link)
    return links


def _already_booked_error(predemande, links) -> RegisterError:
    appointment = links[0].appointment
    return RegisterError(
        _("La pré-demande %(number)s a déjà un rendez-vous %(where)s.")
        % {"number": numbering.format_number(predemande.number), "where": describe(appointment)},
        code="already_booked",
        number=predemande.number,
        appointments=[link.appointment for link in links],
    )


def _release_links(links, *, status: str, now) -> list[Appointment]:
    """Deactivate the links; an appointment left without an active number
    takes `status`. Returns the appointments closed."""
    closed = []
    for link in links:
        link.is_active = False
        link.save(update_fields=["is_active"])
    for appointment in {link.appointment_id: link.appointment for link in links}.values():
        if not appointment.applications.filter(is_active=True).exists():
            appointment.status = status
            appointment.closed_at = now
            appointment.save(update_fields=["status", "closed_at"])
            closed.append(appointment)
    return closed


def _group_by_person(predemandes: list[PreDemande]) -> list[list[PreDemande]]:
    """A person asking for an ID card and a passport holds two numbers but
    takes one place: numbers are grouped by the person's identity."""
    groups: dict[tuple, list[PreDemande]] = {}
    for predemande in predemandes:
        key = (
            predemande.last_name.casefold(),
            predemande.first_names.casefold(),
            predemande.birth_date,
        )
        groups.setdefault(key, []).append(predemande)
    return list(groups.values())


def _new_reference() -> tuple[str, str]:
    return numbering.generate(length=7), secrets.token_urlsafe(32)


def _create(*, groups, reference, token, defaults: dict) -> list[Appointment]:
    appointments = []
    try:
        with transaction.atomic():
            for group in groups:
                appointment = Appointment.objects.create(
                    reference=reference, management_token=token, **defaults
                )
                AppointmentApplication.objects.bulk_create(
                    AppointmentApplication(appointment=appointment, predemande=p) for p in group
                )
                appointments.append(appointment)
    except IntegrityError as error:
        # Unreachable while every writer takes the row locks above; kept so
        # a writer that forgets them still cannot double-book.
        raise RegisterError(
            _("Une des pré-demandes a déjà un rendez-vous."), code="already_booked"
        ) from error
    return appointments


@transaction.atomic
def book_appointment(
    *,
    application_ids: list[str],
    device: CollectionDevice,
    starts_at: datetime.datetime,
    actor,
    email: str = "",
    replace_existing: bool = False,
    request=None,
    now: datetime.datetime | None = None,
) -> list[Appointment]:
    """Book a published slot of `device` for the people of `application_ids` (one
    place per person). With `replace_existing`, the numbers' current
    appointments are cancelled in the same transaction: the citizen never
    ends with none or two."""
    now = now or timezone.now()
    cleaned = clean_numbers(application_ids)
    locked = _lock_predemandes(cleaned)
    for number in cleaned:
        check_bookable(locked.get(number), number, now)
    predemandes = [locked[number] for number in cleaned]
    links = _active_links(predemandes)
    if links and not replace_existing:
        first = next(p for p in predemandes if p.pk in links)
        raise _already_booked_error(first, links[first.pk])

    device = (
        CollectionDevice.objects.select_for_update()
        .select_related("meeting_point")
        .get(pk=device.pk)
    )
    slot = published_slot(device.pk, starts_at, now=now) if device.is_active else None
    if slot is None or not device.meeting_point.is_published:
        raise RegisterError(
            _("Ce créneau n’est pas proposé : choisissez-en un autre."), code="slot_unavailable"
        )
    groups = _group_by_person(predemandes)
    booked = Appointment.objects.filter(
        device=device, starts_at=slot.starts_at, status=AppointmentStatus.ACTIVE
    ).count()
    # A rebooking on the very slot it already holds frees its own places.
    own = sum(
        1
        for link_list in links.values()
        for link in link_list
        if link.appointment.device_id == device.pk and link.appointment.starts_at == slot.starts_at
    )
    if booked - own + len(groups) > slot.capacity:
        raise RegisterError(
            _("Ce créneau vient d’être réservé : choisissez-en un autre."), code="slot_full"
        )
    cancelled = []
    if links:
        cancelled = _release_links(
            [link for link_list in links.values() for link in link_list],
            status=AppointmentStatus.CANCELLED,
            now=now,
        )
    reference, token = _new_reference()
    appointments = _create(
        groups=groups,
        reference=reference,
        token=token,
        defaults={
            "meeting_point": device.meeting_point,
            "device": device,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "source": AppointmentSource.PORTAL,
            "booked_by": actor if getattr(actor, "is_authenticated", False) else None,
            "email": email,
        },
    )
    record_event(
        IdentiteEvent.APPOINTMENT_BOOKED,
        actor=actor,
        request=request,
        target=appointments[0],
        data={
            "reference": reference,
            "numbers": cleaned,
            "device_id": device.pk,
            "starts_at": slot.starts_at.isoformat(),
            "replaced": [a.reference for a in cancelled],
        },
    )
    return appointments


@transaction.atomic
def declare_vendor_appointment(
    *,
    vendor,
    number: str,
    meeting_point_name: str,
    meeting_point_id: str,
    starts_at: datetime.datetime,
    management_url: str,
    now: datetime.datetime | None = None,
) -> Appointment:
    """POST /appointments: a vendor's agenda booked a number. The slot is
    the vendor's; what the register guarantees is one active appointment
    per number, whoever booked it."""
    now = now or timezone.now()
    cleaned = clean_numbers([number])
    locked = _lock_predemandes(cleaned)
    check_bookable(locked.get(cleaned[0]), cleaned[0], now)
    predemande = locked[cleaned[0]]
    links = _active_links([predemande])
    if links:
        raise _already_booked_error(predemande, links[predemande.pk])
    reference, token = _new_reference()
    (appointment,) = _create(
        groups=[[predemande]],
        reference=reference,
        token=token,
        defaults={
            "external_meeting_point": meeting_point_name,
            "external_meeting_point_id": meeting_point_id,
            "starts_at": starts_at,
            "source": AppointmentSource.VENDOR,
            "vendor": vendor,
            "management_url": management_url,
        },
    )
    record_event(
        IdentiteEvent.VENDOR_APPOINTMENT_DECLARED,
        target=appointment,
        data={
            "vendor": vendor.name,
            "number": predemande.number,
            "starts_at": starts_at.isoformat(),
        },
    )
    return appointment


@transaction.atomic
def delete_vendor_appointment(
    *, vendor, number: str, meeting_point_name: str, starts_at: datetime.datetime
) -> int:
    """DELETE /appointments: a vendor cancels what it declared (and only
    that). Returns how many appointments were cancelled (0 or 1)."""
    cleaned = clean_numbers([number])
    locked = _lock_predemandes(cleaned)
    predemande = locked.get(cleaned[0])
    if predemande is None:
        return 0
    links = list(
        AppointmentApplication.objects.select_for_update()
        .select_related("appointment")
        .filter(
            predemande=predemande,
            is_active=True,
            appointment__vendor=vendor,
            appointment__starts_at=starts_at,
            appointment__external_meeting_point=meeting_point_name,
        )
    )
    if not links:
        return 0
    closed = _release_links(links, status=AppointmentStatus.CANCELLED, now=timezone.now())
    record_event(
        IdentiteEvent.VENDOR_APPOINTMENT_DELETED,
        target=links[0].appointment,
        data={"vendor": vendor.name, "number": predemande.number},
    )
    return len(closed)


@transaction.atomic
def cancel_appointments(*, reference: str, token: str, actor, request=None) -> list[Appointment]:
    """Cancel every place of a booking through its management link."""
    appointments = list(
        Appointment.objects.select_for_update().filter(
            reference=reference, status=AppointmentStatus.ACTIVE
        )
    )
    if not appointments or not secrets.compare_digest(appointments[0].management_token, token):
        raise RegisterError(
            _("Ce rendez-vous n’existe pas ou a déjà été annulé."), code="not_found"
        )
    predemande_ids = sorted(
        AppointmentApplication.objects.filter(
            appointment__in=appointments, is_active=True
        ).values_list("predemande_id", flat=True)
    )
    list(PreDemande.objects.select_for_update().filter(pk__in=predemande_ids).order_by("number"))
    links = list(
        AppointmentApplication.objects.select_related("appointment").filter(
            appointment__in=appointments, is_active=True
        )
    )
    now = timezone.now()
    _release_links(links, status=AppointmentStatus.CANCELLED, now=now)
    record_event(
        IdentiteEvent.APPOINTMENT_CANCELLED,
        actor=actor,
        request=request,
        target=appointments[0],
        data={"reference": reference, "places": len(appointments)},
    )
    return appointments


def release_stale_appointments(*, now: datetime.datetime | None = None) -> int:
    """Past appointments nobody marked honoured or no-show are released, so
    their numbers become bookable again (vendors' stale appointments were
    the known failure of the real register). One transaction each."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=conf.release_grace_hours())
    pks = list(
        Appointment.objects.filter(status=AppointmentStatus.ACTIVE, starts_at__lt=limit)
        .values_list("pk", flat=True)
        .order_by("starts_at")
    )
    released = 0
    for pk in pks:
        with transaction.atomic():
            links = list(
                AppointmentApplication.objects.filter(appointment_id=pk, is_active=True)
                .select_related("predemande")
                .order_by("predemande__number")
            )
            list(
                PreDemande.objects.select_for_update()
                .filter(pk__in=[link.predemande_id for link in links])
                .order_by("number")
            )
            appointment = (
                Appointment.objects.select_for_update()
                .filter(pk=pk, status=AppointmentStatus.ACTIVE)
                .first()
            )
            if appointment is None:
                continue
            AppointmentApplication.objects.filter(appointment=appointment).update(is_active=False)
            appointment.status = AppointmentStatus.RELEASED
            appointment.closed_at = now
            appointment.save(update_fields=["status", "closed_at"])
            record_event(
                IdentiteEvent.APPOINTMENT_RELEASED,
                target=appointment,
                data={
                    "reference": appointment.reference,
                    "starts_at": appointment.starts_at.isoformat(),
                    "numbers": [link.predemande.number for link in links],
                },
            )
            released += 1
    return released
