import pytest

from titres.permis import demo
from titres.permis.enums import LicenceState
from titres.permis.generator import bulk_generate, generate_people
from titres.permis.identifiers import neph_is_valid
from titres.permis.models import EPhoto, LicenceRecord, LicenceTitle
from titres.permis.services import check_ephoto_code, match_snpc_record


def test_generator_is_deterministic_and_realistic():
    first = [p.record for p in generate_people(50, seed=7)]
    again = [p.record for p in generate_people(50, seed=7)]
    other = [p.record for p in generate_people(50, seed=8)]
    assert first == again
    assert first != other
    # Slices are the same people as the whole: a benchmark can write in chunks.
    assert [p.record for p in generate_people(10, seed=7, start=40)] == first[40:]
    nephs = [r["neph"] for r in first]
    assert len(set(nephs)) == 50 and all(neph_is_valid(n) for n in nephs)
    assert {r["sex"] for r in first} == {"F", "M"}


@pytest.mark.django_db
def test_bulk_generate_writes_files_categories_and_titles():
    assert bulk_generate(120, seed=1, batch_size=50) == 120
    assert LicenceRecord.objects.count() == 120
    record = LicenceRecord.objects.first()
    assert record.birth_name_normalised  # normalised columns filled in bulk
    assert record.categories.filter(category="B").exists()
    assert LicenceTitle.objects.filter(status="valide").count() == 120


@pytest.mark.django_db
def test_demo_is_idempotent_and_has_the_seed_people():
    credentials = demo.load()
    counts = (LicenceRecord.objects.count(), LicenceTitle.objects.count(), EPhoto.objects.count())
    assert demo.load() == credentials
    assert (
        LicenceRecord.objects.count(),
        LicenceTitle.objects.count(),
        EPhoto.objects.count(),
    ) == counts
    assert counts[0] >= 300

    corneille = match_snpc_record(
        civil_status={
            "birth_name": "Corneille",
            "first_names": "Pierre",
            "birth_date": "1956-01-01",
        }
    )
    assert corneille.found and corneille.record.points_balance == 12
    assert LicenceRecord.objects.filter(state=LicenceState.SUSPENDU).exists()
    assert LicenceRecord.objects.filter(state=LicenceState.ANNULE).exists()

    codes = {c.note: c.identifier for c in credentials if c.role == "Photo numérique"}
    assert check_ephoto_code(codes["code photo valide"]).ok
    assert "expiré" in check_ephoto_code(codes["code photo expiré (plus de 6 mois)"]).error
    assert "déjà été utilisé" in check_ephoto_code(codes["code photo déjà utilisé"]).error
    roles = [c.role for c in credentials]
    assert "SNPC : permis suspendu" in roles and "SNPC : permis annulé" in roles
