"""The holder's licence page at 375 px: each table (categories, exam
results, cards, points history) scrolls inside its DSFR wrapper, the page
itself never scrolls sideways, the holder's names keep a margin from the
right edge; axe-core and the page checks (screenshots desktop and
375 px under var/screenshots/)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_licence_page_tables_scroll_at_375_px(page, login_as, check_a11y):
    from tests.permis.factories import (
        LicenceCategoryFactory,
        LicenceHolderLinkFactory,
        LicenceRecordFactory,
        LicenceTitleFactory,
        holder_user,
    )
    from titres.permis import exams
    from titres.permis.models import PointsCredit

    today = timezone.localdate()
    record = LicenceRecordFactory(
        birth_name="CORNEILLE-DESMARAIS",
        first_names="Pierre Jean-Baptiste",
        probation_start=today - timedelta(days=400),
        points_balance=8,
    )
    PointsCredit.objects.create(
        record=record,
        delta=2,
        balance_after=8,
        reason="probatoire",
        on=today - timedelta(days=35),
    )
    for code in ("A2", "B", "BE"):
        LicenceCategoryFactory(record=record, category=code, obtained_on=date(2024, 6, 12))
    LicenceTitleFactory(record=record, issued_on=today - timedelta(days=400))
    exams.record_theory_test(
        record=record,
        taken_on=today - timedelta(days=60),
        passed=True,
        centre="Centre d’examen du permis de conduire de Vandœuvre-lès-Nancy",
    )
    exams.record_practical_test(
        record=record,
        category="C1",
        taken_on=today - timedelta(days=10),
        passed=True,
        centre="Centre d’examen du permis de conduire de Vandœuvre-lès-Nancy",
    )
    user = holder_user()
    LicenceHolderLinkFactory(user=user, record=record)
    login_as(page, user)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/permis/mon-permis/{record.neph}/")
    expect(page.get_by_role("table", name="Résultats d’examen")).to_be_visible()
    containers = page.locator(".fr-table__container")
    assert containers.count() == 4
    expect(page.get_by_role("table", name="Historique des points")).to_contain_text(
        "Crédit annuel du permis probatoire"
    )
    # Every value of the holder's block ends at least 8 px from the edge.
    rights = page.locator(".titres-permis-dl dd").evaluate_all(
        "(els) => els.map((el) => el.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= 375 - 8, rights
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # The exam table is wider than the screen: it scrolls in its container.
    exam = page.locator(
        ".fr-table__container", has=page.get_by_role("table", name="Résultats d’examen")
    )
    assert exam.evaluate("(el) => el.scrollWidth > el.clientWidth")
    page.screenshot(path="var/screenshots/permis-record-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="var/screenshots/permis-record-1280.png", full_page=True)
    check_a11y(page)
