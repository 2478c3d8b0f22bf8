"""Writes of the stages: each atomic, with an actor and an audit event.

Closing a session credits each attendee's licence in the SNPC: +4 points,
capped at the licence's current maximum (12, or the probationary ceiling),
at most one stage per driver per year (refused with the date of the last
one); each credit is a PointsCredit row (the file's history) and a journal
entry; the attestation de stage is e-mailed after commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event

from ..audit import PermisEvent
from ..enums import LicenceState, PointsReason
from ..identifiers import compact, neph_is_valid
from ..matching import match_snpc_record
from ..models import LicenceRecord, add_years
from .models import AttendeeStatus, PointsCredit, SessionStatus, StageAttendee, StageSession

CSSR_PROFILE = "centre_sensibilisation"
STAGE_POINTS = 4
MAX_ATTENDEES = 20  # arrêté du 26 juin 2012, art. 6: 6 to 20 attendees
REASON = PointsReason.STAGE.value


def _check_centre(user) -> None:
    if getattr(user, "profile", "") != CSSR_PROFILE:
        raise PermissionDenied(_("Réservé aux centres de sensibilisation à la sécurité routière."))
    if not (user.approval_number or "").strip():
        raise ValidationError(
            _("Votre compte n’a pas de numéro d’agrément : il est requis pour déclarer un stage.")
        )


@transaction.atomic
def create_session(
    *,
    centre,
    starts_on: date,
    ends_on: date,
    address: str,
    postal_code: str,
    commune: str,
    facilitators: str,
    request=None,
) -> StageSession:
    _check_centre(centre)
    if ends_on < starts_on:
        raise ValidationError(_("Le second jour ne peut pas précéder le premier."))
    if ends_on - starts_on > timedelta(days=1):
        raise ValidationError(_("Un stage se déroule sur deux jours consécutifs."))
    session = StageSession.objects.create(
        centre=centre,
        approval_number=centre.approval_number,
        starts_on=starts_on,
        ends_on=ends_on,
        address=address[:200],
        postal_code=postal_code[:5],
        commune=commune[:100],
        facilitators=facilitators[:300],
    )
    record_event(
        PermisEvent.STAGE_DECLARED,
        actor=centre,
        request=request,
        target=session,
        data={"agrement": session.approval_number, "du": str(starts_on), "au": str(ends_on)},
    )
    return session


def _open_session(session: StageSession) -> StageSession:
    locked = StageSession.objects.select_for_update().get(pk=session.pk)
    if not locked.is_open:
        raise ValidationError(_("Ce stage est clôturé : il ne peut plus être modifié."))
    return locked


@transaction.atomic
def add_attendee(
    *,
    session: StageSession,
    neph: str,
    birth_name: str,
    first_names: str,
    birth_date: date,
    email: str,
    actor,
    request=None,
) -> StageAttendee:
    """Register an attendee, matched against the SNPC: the NEPH must exist
    with this date of birth; a different name is kept for review
    ("Différences à vérifier") before the session can credit it."""
    session = _open_session(session)
    neph = compact(neph)
    if not neph_is_valid(neph):
        raise ValidationError(
            _("Le numéro de dossier (NEPH) doit comporter 12 chiffres et être valide.")
        )
    if session.attendees.count() >= MAX_ATTENDEES:
        raise ValidationError(
            _("Un stage accueille au plus %(max)s stagiaires.") % {"max": MAX_ATTENDEES}
        )
    result = match_snpc_record(
        neph=neph,
        civil_status={
            "birth_name": birth_name,
            "first_names": first_names,
            "birth_date": birth_date,
        },
    )
    record = result.record
    if record is None or result.method != "neph" or record.birth_date != birth_date:
        raise ValidationError(
            _(
                "Aucun dossier du fichier national ne correspond à ce NEPH et à cette date "
                "de naissance."
            )
        )
    status = AttendeeStatus.A_VERIFIER if result.differences else AttendeeStatus.INSCRIT
    try:
        with transaction.atomic():
            attendee = StageAttendee.objects.create(
                session=session,
                neph=neph,
                birth_name=" ".join(birth_name.split()).upper()[:100],
                first_names=" ".join(first_names.split())[:200],
                birth_date=birth_date,
                email=email,
                record=record,
                match=result.as_dict(),
                status=status,
            )
    except IntegrityError:
        raise ValidationError(_("Ce stagiaire est déjà inscrit à ce stage."))
    record_event(
        PermisEvent.STAGE_ATTENDEE_ADDED,
        actor=actor,
        request=request,
        target=attendee,
        data={"stage": session.pk, "neph": neph, "differences": len(result.differences)},
    )
    return attendee


@transaction.atomic
def confirm_attendee(*, attendee: StageAttendee, actor, request=None) -> StageAttendee:
    """The centre checked the differences with the SNPC (the person is the
    file's holder, e.g. a usage name)."""
    _open_session(attendee.session)
    attendee = StageAttendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.status == AttendeeStatus.A_VERIFIER:
        attendee.status = AttendeeStatus.INSCRIT
        attendee.save(update_fields=["status"])
        record_event(
            PermisEvent.STAGE_ATTENDEE_CONFIRMED,
            actor=actor,
            request=request,
            target=attendee,
            data={"stage": attendee.session_id, "neph": attendee.neph},
        )
    return attendee


@transaction.atomic
def remove_attendee(*, attendee: StageAttendee, actor, request=None) -> None:
    _open_session(attendee.session)
    record_event(
        PermisEvent.STAGE_ATTENDEE_REMOVED,
        actor=actor,
        request=request,
        target=attendee,
        data={"stage": attendee.session_id, "neph": attendee.neph},
    )
    attendee.delete()


def last_stage_within_a_year(record: LicenceRecord, day: date, *, exclude_session=None):
    """The last stage credited to this licence less than a year before `day`."""
    qs = StageAttendee.objects.filter(
        record=record,
        status=AttendeeStatus.CREDITE,
        session__ends_on__gt=add_years(day, -1),
        session__ends_on__lte=day,
    )
    if exclude_session is not None:
        qs = qs.exclude(session=exclude_session)
    return qs.select_related("session").order_by("-session__ends_on").first()


def refusal_for(record: LicenceRecord, session: StageSession) -> str:
    if record.state in {LicenceState.INVALIDE, LicenceState.ANNULE}:
        return _(
            "Le permis de ce stagiaire est %(state)s : un stage ne peut plus lui rendre de points."
        ) % {"state": record.get_state_display().lower()}
    if record.state == LicenceState.EN_FORMATION:
        return _("Ce dossier n’a pas encore de permis de conduire.")
    last = last_stage_within_a_year(record, session.ends_on, exclude_session=session)
    if last is not None:
        return _(
            "Un stage a déjà été suivi le %(date)s : un seul stage par an, le prochain est "
            "possible à partir du %(next)s."
        ) % {
            "date": last.session.ends_on.strftime("%d/%m/%Y"),
            "next": add_years(last.session.ends_on, 1).strftime("%d/%m/%Y"),
        }
    return ""


@transaction.atomic
def close_session(*, session: StageSession, actor, request=None) -> StageSession:
    """Close the session and credit each confirmed attendee's licence."""
    session = _open_session(session)
    if session.centre_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if session.ends_on > timezone.localdate():
        raise ValidationError(
            _("Le stage se termine le %(date)s : il peut être clôturé à partir de ce jour.")
            % {"date": session.ends_on.strftime("%d/%m/%Y")}
        )
    now = timezone.now()
    credited = []
    for attendee in session.attendees.select_related("record").order_by("pk"):
        if attendee.status == AttendeeStatus.A_VERIFIER:
            _refuse(attendee, _("Différences avec le fichier national non vérifiées."))
            continue
        if attendee.status != AttendeeStatus.INSCRIT:
            continue
        record = LicenceRecord.objects.select_for_update().get(pk=attendee.record_id)
        refusal = refusal_for(record, session)
        if refusal:
            _refuse(attendee, refusal)
            continue
        before = record.points_balance
        after = min(before + STAGE_POINTS, record.points_ceiling(session.ends_on))
        after = max(after, before)
        record.points_balance = after
        record.save(update_fields=["points_balance", "updated_at"])
        PointsCredit.objects.create(
            record=record,
            delta=after - before,
            balance_after=after,
            reason=REASON,
            reference=f"stage:{session.pk}",
            on=session.ends_on,
        )
        attendee.status = AttendeeStatus.CREDITE
        attendee.points_before, attendee.points_after = before, after
        attendee.credited_at = now
        attendee.save(update_fields=["status", "points_before", "points_after", "credited_at"])
        record_event(
            PermisEvent.POINTS_CREDITED,
            actor=actor,
            request=request,
            target=record,
            data={
                "neph": record.neph,
                "stage": session.pk,
                "avant": before,
                "apres": after,
                "plafond": record.points_ceiling(session.ends_on),
            },
        )
        credited.append(attendee.pk)
    session.status = SessionStatus.CLOTUREE
    session.closed_at = now
    session.save(update_fields=["status", "closed_at"])
    record_event(
        PermisEvent.STAGE_CLOSED,
        actor=actor,
        request=request,
        target=session,
        data={"credites": len(credited), "stagiaires": session.attendees.count()},
    )
    if credited:
        from .attestation import send_attestations

        transaction.on_commit(lambda: send_attestations.enqueue(attendee_ids=credited))
    return session


def _refuse(attendee: StageAttendee, reason: str) -> None:
    attendee.status = AttendeeStatus.REFUSE
    attendee.refusal = reason[:300]
    attendee.save(update_fields=["status", "refusal"])
