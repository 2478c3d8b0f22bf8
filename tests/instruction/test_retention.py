"""Retention of the agents' enrolment links (docs/retention.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from titres.instruction.enums import EnrolmentKind
from titres.instruction.models import OtpEnrolment
from titres.instruction.retention import ENROLMENT_GRACE_DAYS, purge_otp_enrolments

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_enrolment_links_are_deleted_a_month_after_they_expired():
    agent = UserFactory()
    now = timezone.now()

    def enrolment(expired_days_ago):
        return OtpEnrolment.objects.create(
            user=agent,
            kind=EnrolmentKind.LINK,
            sent_to="agent@prefecture.example",
            expires_at=now - timedelta(days=expired_days_ago),
        )

    old = enrolment(ENROLMENT_GRACE_DAYS + 1)
    recent = enrolment(ENROLMENT_GRACE_DAYS - 1)
    assert purge_otp_enrolments(now) == 1
    assert not OtpEnrolment.objects.filter(pk=old.pk).exists()
    assert OtpEnrolment.objects.filter(pk=recent.pk).exists()
