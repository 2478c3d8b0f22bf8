"""The work list's review badges from a CASE compiled once per process
(titres/instruction/review.py): the same SQL Django builds, the same files
flagged, the labels in the request's language."""

import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.expressions import RawSQL
from django.utils import translation

from titres.instruction import review
from titres.procedures.backoffice import ReviewFlag
from titres.procedures.models import Demarche

pytestmark = pytest.mark.django_db


def _fresh_sql(flags):
    query = Demarche.objects.annotate(review_flag=review._case(flags)).values("review_flag")
    return str(query.query)


def test_the_kept_case_is_the_sql_django_builds():
    flags = review.review_flags()
    assert len(flags) >= 2  # permis, vehicles
    annotation = review.review_annotation()
    assert isinstance(annotation, RawSQL)
    kept = str(Demarche.objects.annotate(review_flag=annotation).values("review_flag").query)
    assert kept == _fresh_sql(flags).replace("CASE WHEN", "(CASE WHEN").replace(
        'END AS "review_flag"', 'END) AS "review_flag"'
    )
    assert review.review_annotation().sql is annotation.sql  # compiled once


def test_a_new_flag_set_is_compiled_again(monkeypatch):
    before = review.review_annotation()
    toy = ReviewFlag(
        label="Coque à vérifier",
        expression=lambda: ExpressionWrapper(Q(status="EN_COURS"), output_field=BooleanField()),
    )
    flags = [*review.review_flags(), (toy, ["TOY"])]
    monkeypatch.setattr(review, "review_flags", lambda: flags)
    after = review.review_annotation()
    assert after.sql != before.sql and '"procedure_code" IN (%s)' in after.sql
    assert review.review_labels()[-1] == "Coque à vérifier"


def test_a_flag_joining_the_outer_query_is_built_each_time(monkeypatch):
    joined = ReviewFlag(
        label="Nom à vérifier",
        expression=lambda: ExpressionWrapper(
            Q(search_entry__last_name="X"), output_field=BooleanField()
        ),
    )
    monkeypatch.setattr(review, "review_flags", lambda: [(joined, ["TOY"])])
    annotation = review.review_annotation()
    assert not isinstance(annotation, RawSQL)
    assert list(Demarche.objects.annotate(f=annotation).values_list("f", flat=True)) == []


def test_labels_follow_the_language():
    with translation.override("fr"):
        assert "Écart SNPC à vérifier" in review.review_labels()
    with translation.override("en"):
        labels = review.review_labels()
    assert labels[0] == "" and "Écart SNPC à vérifier" not in labels


def test_kept_labels_are_the_lazy_labels_each_time(monkeypatch):
    """The labels are kept per language and set of flags (ninth pass (a)):
    the same text as translating the lazy labels, in each language after
    the other, a new flag set has its own, and a caller changing the list
    it got changes nothing for the next."""
    for language in ("fr", "en", "fr", "en"):
        with translation.override(language):
            expected = ["", *(str(flag.label) for flag, _codes in review.review_flags())]
            labels = review.review_labels()
            assert labels == expected
            labels.append("modifiée")
            assert review.review_labels() == expected
    toy = ReviewFlag(label="Plaque à vérifier", expression=lambda: Q(pk=None))
    monkeypatch.setattr(review, "review_flags", lambda: [(toy, ["TOY"])])
    assert review.review_labels() == ["", "Plaque à vérifier"]
