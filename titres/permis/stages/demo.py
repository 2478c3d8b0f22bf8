"""Demo of the stages: the demo road-safety centre (`demo-cssr`) has a
session that ended yesterday with three attendees, ready to be closed.
Idempotent (one session, created once)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from titres.core.demo import DemoCredential

CENTRE = "demo-cssr"


def load() -> list[DemoCredential]:
    from django.contrib.auth import get_user_model

    from ..enums import LicenceState
    from ..models import LicenceRecord
    from . import services
    from .models import StageSession

    centre = get_user_model().objects.filter(username=CENTRE).first()
    if centre is None or not centre.approval_number:
        return []
    if not StageSession.objects.filter(centre=centre).exists():
        end = timezone.localdate() - timedelta(days=1)
        session = services.create_session(
            centre=centre, starts_on=end - timedelta(days=1), ends_on=end,
            address="12 avenue Jean-Jaurès", postal_code="08000",
            commune="Charleville-Mézières", facilitators="Marc Bafm (BAFM), Lise Psy (psychologue)",
        )  # fmt: skip
        for record in LicenceRecord.objects.filter(
            state=LicenceState.VALIDE, points_balance__lt=12, probation_start__isnull=True
        ).order_by("neph")[:3]:
            services.add_attendee(
                session=session, neph=record.neph, birth_name=record.birth_name,
                first_names=record.first_names, birth_date=record.birth_date,
                email=f"stagiaire-{record.neph}@demo.titres.localhost", actor=centre,
            )  # fmt: skip
    return [
        DemoCredential(
            role="Centre de sensibilisation : stage à clôturer",
            identifier=CENTRE,
            secret="(compte ci-dessus)",  # noqa: S106 - not a secret
            note="/permis/stages/ : un stage terminé hier, 3 stagiaires ; clôturez-le",
        )
    ]
