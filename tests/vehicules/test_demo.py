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
    assert len(files) == 5  # four changes of holder, one new vehicle
    assert Demarche.objects.filter(owner=garage).count() == 5
    assert {f.acting_for["qualite"] for f in files} == {"professionnel_mandataire"}
    changes = [f for f in files if f.procedure_code == "vehicule-changement-titulaire"]
    assert len({f.changement_titulaire.vehicle_id for f in changes}) == 4
    line = [c for c in credentials if c.identifier == "demo-garage"][0]
    assert line.secret == "/vehicules/professionnel/"


def test_demo_garage_has_a_new_vehicle_registered_once(settings, client):
    """The dealer's new vehicle: filed through the procedure's submission
    (number allotted, vehicle in the registry with the client as
    titulaire, CPI), printed with its finalisation page, created once."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from titres.procedures.models import Demarche
    from titres.vehicules.models import RegistryEntry
    from titres.vehicules.neuf.models import NewRegistration
    from titres.vehicules.professionnels.demo import NEW_VEHICLE_VIN

    settings.DEBUG = True
    accounts_demo.load()
    credentials = demo.load()
    [line] = [c for c in credentials if c.role.endswith("véhicule neuf immatriculé")]
    record = NewRegistration.objects.select_related("vehicle", "demarche").get()
    vehicle = record.vehicle
    assert vehicle.vin == NEW_VEHICLE_VIN and line.identifier == vehicle.plate_display
    assert vehicle.titulaire.display_name == "BERNARD Sophie"
    assert record.demarche.status == "EN_COURS" and record.paid_at and record.cpi_number
    assert [t["code"] for t in record.taxes["lines"]] == ["Y1", "Y3", "Y4", "Y5"]
    assert RegistryEntry.objects.filter(vehicle=vehicle, kind="immatriculation").exists()
    assert record.cpi_number in line.note and "BERNARD Sophie" in line.note
    garage = get_user_model().objects.get(username="demo-garage")
    client.force_login(garage)
    page = client.get(line.secret)
    assert page.status_code == 200 and vehicle.plate_display in page.content.decode()
    cpi = client.get(reverse("vehicules:neuf_cpi", args=[record.demarche.number]))
    assert cpi.status_code == 200 and cpi.content.startswith(b"%PDF-")

    again = demo.load()
    assert NewRegistration.objects.count() == 1
    assert Demarche.objects.filter(procedure_code=record.demarche.procedure_code).count() == 1
    assert [c for c in again if c.role.endswith("véhicule neuf immatriculé")] == [line]


def test_the_demo_command_prints_the_new_vehicle(settings, capsys):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    [printed] = [row for row in out.splitlines() if "véhicule neuf immatriculé" in row]
    assert "/vehicules/" in printed and "BERNARD Sophie" in printed


def test_demo_garage_has_one_vehicle_in_stock_created_once(settings, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from titres.vehicules.professionnels.models import StockVehicle

    settings.DEBUG = True
    accounts_demo.load()
    demo.load()
    credentials = demo.load()
    garage = get_user_model().objects.get(username="demo-garage")
    entry = StockVehicle.objects.get(owner=garage)
    assert entry.in_stock
    # With its (drawn) barred certificate, as a purchase declared on the screen.
    assert entry.certificate_scan and entry.certificate_scan_type == "image/png"
    assert entry.certificate_scan_pages == 1
    line = [c for c in credentials if c.role.startswith("Professionnel habilité SIV : véhicule en")]
    assert [c.identifier for c in line] == [entry.vehicle.plate_display]
    assert line[0].secret == reverse("vehicules:pro_stock")
    assert entry.registration_number in line[0].note and "en stock" in line[0].note
    client.force_login(garage)
    page = client.get(reverse("vehicules:pro_stock")).content.decode()
    assert entry.vehicle.plate_display in page
