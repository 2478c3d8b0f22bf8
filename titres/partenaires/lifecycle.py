"""Scheduled work on tokens and their traces (run by the scheduler, see
docs/api.md): e-mails 90, 30 and 7 days before a token expires, and the
purge of traceability data after two years without use (seed 004 §4)."""

import datetime as dt
import math

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from titres.core.journal import record_event
from titres.core.notifications import notify_email

from .audit import PartenairesEvent
from .enums import PartnerState
from .models import ApiToken, CallLog

NOTICE_DAYS = (90, 30, 7)
RETENTION = dt.timedelta(days=730)
PURGE_BATCH = 5000


def _due_notice(days_left: int) -> int | None:
    """The most urgent threshold reached (a token issued 20 days before its
    end gets the 30-day notice, not three at once)."""
    reached = [d for d in NOTICE_DAYS if days_left <= d]
    return min(reached) if reached else None


def send_expiry_notices(*, now=None) -> int:
    """One e-mail per threshold and token, whatever the number of runs.
    Renewed, revoked and already expired tokens get none."""
    now = now or timezone.now()
    candidates = ApiToken.objects.filter(
        revoked_at__isnull=True,
        renewed_by__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + dt.timedelta(days=max(NOTICE_DAYS)),
        partner__state=PartnerState.ACTIVE,
    )
    sent = 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            token = (
                ApiToken.objects.select_for_update(of=("self",))
                .select_related("partner")
                .get(pk=pk)
            )
            days_left = math.ceil((token.expires_at - now).total_seconds() / 86400)
            due = _due_notice(days_left)
            if due is None or due in token.expiry_notices:
                continue
            partner = token.partner
            notify_email(
                template="partenaires/email/expiration",
                to=sorted({partner.technical_email, partner.business_email}),
                context={
                    "partner": partner.name,
                    "procedure": token.procedure,
                    "key_id": token.key_id,
                    "days_left": days_left,
                    "expires_on": timezone.localtime(token.expires_at).strftime("%d/%m/%Y"),
                },
            )
            token.expiry_notices = sorted(
                set(token.expiry_notices) | {d for d in NOTICE_DAYS if d >= due}, reverse=True
            )
            token.save(update_fields=["expiry_notices"])
            record_event(
                PartenairesEvent.TOKEN_EXPIRY_NOTICE,
                actor=None,
                target=token,
                data={"key_id": token.key_id, "jours": due},
            )
            sent += 1
    return sent


def purge_call_logs(*, now=None) -> int:
    """Deletes the call log of every token unused for two years (its last
    successful call, or its issue if it never made one), and the calls
    without a known token older than two years. In batches: a big table
    is never locked for long.

    Not journaled here: it runs as the retention rule `partenaires.CallLog`
    (daily through `purge_personal_data`, by hand through `purge_call_logs`),
    whose one `core.retention_purged` entry carries the count."""
    cutoff = (now or timezone.now()) - RETENTION
    idle = ApiToken.objects.annotate(last_use=Coalesce(F("last_used_at"), F("created_at"))).filter(
        last_use__lt=cutoff
    )
    stale = CallLog.objects.filter(Q(token__in=idle) | Q(token__isnull=True, at__lt=cutoff))
    deleted = 0
    while True:
        batch = list(stale.values_list("pk", flat=True)[:PURGE_BATCH])
        if not batch:
            break
        deleted += CallLog.objects.filter(pk__in=batch).delete()[0]
    return deleted
