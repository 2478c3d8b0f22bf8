import pytest

from titres.accounts import demo as accounts_demo
from titres.vehicules import demo
from titres.vehicules.models import CessionDeclaration, Vehicle
from titres.vehicules.services.cession import check_code

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_prints_a_valid_code(settings):
    settings.DEBUG = True
    accounts_demo.load()
    first = demo.load()
    count = Vehicle.objects.count()
    assert count >= demo.GENERATED
    second = demo.load()
    assert Vehicle.objects.count() == count
    code_line = [c for c in second if c.role.startswith("SIV : code de cession")][0]
    vehicle = Vehicle.objects.get(plate="FG123HJ")
    assert check_code(
        vehicle=vehicle, code=code_line.secret, last_name="MERCIER", first_names="Pierre"
    )
    assert CessionDeclaration.objects.filter(vehicle=vehicle, state="active").count() == 1
    assert any(c.identifier == "3457 TV 59" for c in first)
    kinds = set(
        Vehicle.objects.filter(situations__lifted_on__isnull=True).values_list(
            "situations__kind", flat=True
        )
    )
    assert {"gage", "opposition", "vol", "vge", "cede"} <= kinds


def test_demo_garage_has_client_files_created_once(settings):
    from django.contrib.auth import get_user_model

    from titres.procedures.models import Demarche
    from titres.vehicules.professionnels.selectors import pro_files

    settings.DEBUG = True
    accounts_demo.load()
    credentials = demo.load()
    demo.load()
    garage = get_user_model().objects.get(username="demo-garage")
    files = list(pro_files(garage))
    assert len(files) == 4
    assert Demarche.objects.filter(owner=garage).count() == 4
    assert {f.acting_for["qualite"] for f in files} == {"professionnel_mandataire"}
    assert len({f.changement_titulaire.vehicle_id for f in files}) == 4
    line = [c for c in credentials if c.identifier == "demo-garage"][0]
    assert line.secret == "/vehicules/professionnel/"
