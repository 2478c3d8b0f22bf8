"""Every procedure of the engine has its « Tout savoir » guide and its fees
block: a procedure added without them fails here, not silently on the site.
The fees shown are computed by the code the procedures charge with."""

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.infos import demo
from titres.infos.enums import ArticleKind
from titres.infos.fees import FEES, fees_for
from titres.paiements.models import format_amount
from titres.procedures.enums import Category
from titres.procedures.registry import (
    ProcedureDefinition,
    SummaryStep,
    all_procedures,
    register_procedure,
    unregister_procedure,
)

from .factories import ArticleFactory


def missing_guides() -> list[str]:
    guided = {code for code, *_rest in demo.GUIDES}
    return [p.code for p in all_procedures() if p.code not in guided]


def missing_fees() -> list[str]:
    return [p.code for p in all_procedures() if p.code not in FEES]


def test_every_registered_procedure_has_a_demo_guide_and_a_fees_block():
    assert missing_guides() == []
    assert missing_fees() == []


def test_a_procedure_registered_without_guide_or_fees_is_reported():
    register_procedure(
        ProcedureDefinition(
            code="test-sans-guide",
            category=Category.PERMIS,
            title="Sans guide",
            steps=[SummaryStep(slug="recap", title="Récapitulatif")],
        )
    )
    try:
        assert missing_guides() == ["test-sans-guide"]
        assert missing_fees() == ["test-sans-guide"]
    finally:
        unregister_procedure("test-sans-guide")


def test_guides_point_only_at_registered_procedures_one_each():
    codes = [code for code, *_rest in demo.GUIDES]
    registered = {p.code for p in all_procedures()}
    assert len(codes) == len(set(codes))
    assert set(codes) <= registered
    assert set(FEES) <= registered


@pytest.mark.django_db
def test_duplicate_guide_shows_the_taxes_the_procedure_charges(client):
    from titres.vehicules import taxes

    guide = ArticleFactory(
        kind=ArticleKind.GUIDE, published=True, procedure_code="vehicule-duplicata"
    )
    page = client.get(reverse("infos:guide", args=[guide.slug])).content.decode()
    breakdown = taxes.compute_duplicate(on=timezone.localdate())
    assert "Taxes d’un duplicata" in page
    for line in breakdown.lines:
        assert f"<td>{format_amount(line.amount_cents)}</td>" in page
    assert f"<td>Total</td><td>{format_amount(breakdown.total_cents)}</td>" in page
    assert "non due pour un duplicata" in page
    assert reverse("procedures:start", args=["vehicule-duplicata"]) in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "case"),
    [
        ("permis-extension", "Demande en ligne et fabrication du nouveau titre"),
        ("permis-echange", "Demande en ligne et fabrication du nouveau titre"),
        ("vehicule-changement-adresse", "Étiquette à coller sur la carte grise"),
    ],
)
def test_free_procedures_say_so(client, code, case):
    guide = ArticleFactory(kind=ArticleKind.GUIDE, published=True, procedure_code=code)
    page = client.get(reverse("infos:guide", args=[guide.slug])).content.decode()
    assert "Combien ça coûte ?" in page
    assert case in page
    assert "<td>Gratuit</td>" in page
    assert reverse("procedures:start", args=[code]) in page


def test_duplicate_fees_follow_the_tax_table(monkeypatch):
    """Change the table the procedure reads: the guide changes with it."""
    from dataclasses import replace

    from titres.vehicules import taxes

    real = taxes.table()
    doubled = replace(
        real, fixed=tuple(replace(item, amount_cents=item.amount_cents * 2) for item in real.fixed)
    )
    monkeypatch.setattr(taxes, "table", lambda: doubled)
    rows = fees_for("vehicule-duplicata")[0].rows
    total = sum(item.amount_cents for item in doubled.fixed)
    assert rows[-1].amount == format_amount(total)


@pytest.mark.django_db
def test_demo_guides_of_the_new_procedures_render(client):
    demo.load()
    for slug in (
        "extension-de-categorie",
        "echange-permis-etranger",
        "changer-d-adresse-carte-grise",
        "duplicata-carte-grise",
        "immatriculer-vehicule-neuf",
    ):
        page = client.get(reverse("infos:guide", args=[slug])).content.decode()
        assert "Qui peut faire la démarche" in page
        assert "Combien ça coûte ?" in page
        assert "Commencer la démarche" in page


@pytest.mark.django_db
def test_the_situation_certificate_is_explained_in_the_faq_with_a_working_link(client):
    demo.load()
    assert reverse("vehicules:situation") == demo.SITUATION_PATH
    page = client.get(reverse("infos:faq")).content.decode()
    assert "Comment obtenir un certificat de situation administrative (non-gage) ?" in page
    assert f'href="{reverse("vehicules:situation")}"' in page
    assert f"moins de {demo.SITUATION_DAYS} jours" in page


@pytest.mark.django_db
def test_new_vehicle_guide_shows_the_malus_of_the_day_from_the_table(client):
    from titres.vehicules import malus

    demo.load()
    year = malus.year_on(timezone.localdate())
    page = client.get(reverse("infos:guide", args=["immatriculer-vehicule-neuf"])).content.decode()
    assert "Malus CO2" in page
    assert f"{year.co2_cap_from} g/km et plus" in page
    assert format_amount(year.co2_cap_cents) in page
    assert "habilité SIV" in page
