"""The SIV panel of an address change or a duplicate compares the card the
filer typed with the certificate they held when filing
(`CertificateOperation.old_*`), not with the new one the submission made."""

from datetime import date

import pytest

from titres.procedures.hooks import agent_panel_of
from titres.vehicules.enums import PlateSystem
from titres.vehicules.models import AddressChange, CertificateOperation

from .certificat import change_address, duplicate_until_payment, holder_citizen, submit
from .factories import VehicleFactory
from .journey import pay_taxes

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeanne(client):
    return holder_citizen(client)


def _rows(demarche):
    demarche.refresh_from_db()
    return {row.label: row for row in agent_panel_of(demarche).rows}


def test_a_fourth_address_change_is_compared_with_the_card_filed(client, jeanne):
    vehicle = VehicleFactory()
    old_formule = vehicle.formule_number
    for n in range(1, 4):
        AddressChange.objects.create(
            vehicle=vehicle,
            changed_on=date(2020 + n, 1, 1),
            formule_number=old_formule,
            label_number=n,
            address=f"{n} rue Haute",
            postal_code="54000",
            commune="Nancy",
        )
    demarche = change_address(client, vehicle)
    before = _rows(demarche)
    assert before["Numéro de formule"].recorded == old_formule
    assert "Certificat en cours au SIV" not in before  # not filed: nothing replaced
    submit(client, demarche)
    vehicle.refresh_from_db()
    assert vehicle.formule_number != old_formule
    rows = _rows(demarche)
    formule = rows["Numéro de formule"]
    assert (formule.declared, formule.recorded, formule.differs) == (
        old_formule,
        old_formule,
        False,
    )
    assert not rows["Immatriculation"].differs
    assert rows["Certificat en cours au SIV"].recorded == (
        f"{vehicle.formule_number}, date du CI {vehicle.ci_date:%d/%m/%Y}"
    )
    assert not rows["Certificat en cours au SIV"].differs
    # A card typed wrong is still flagged against the card filed.
    demarche.answers["pour-commencer"]["numero_formule"] = "2019ZZ99999"
    demarche.save(update_fields=["answers"])
    assert _rows(demarche)["Numéro de formule"].differs


def test_an_fni_duplicate_is_compared_with_the_fni_card(
    client, jeanne, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory(plate="3457TV59", plate_system=PlateSystem.FNI, formule_number="")
    ci_date = vehicle.ci_date
    demarche = duplicate_until_payment(client, vehicle, motif="deterioration")
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    vehicle.refresh_from_db()
    assert vehicle.plate_system == PlateSystem.SIV and vehicle.ci_date != ci_date
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert (operation.old_plate, operation.old_formule, operation.old_ci_date) == (
        "3457TV59",
        "",
        ci_date,
    )
    rows = _rows(demarche)
    plate = rows["Immatriculation"]
    assert (plate.recorded, plate.differs) == ("3457 TV 59", False)
    # A duplicate asks no card secret (the card is lost): the card filed is shown.
    day = rows["Date du CI"]
    assert (day.declared, day.recorded, day.differs) == ("", f"{ci_date:%d/%m/%Y}", False)
    assert "Numéro de formule" not in rows  # an FNI card has none
    assert rows["Certificat en cours au SIV"].recorded.startswith(vehicle.formule_number)


def test_a_file_without_the_card_kept_compares_with_the_vehicle(client, jeanne):
    """Files submitted before the card was kept: the vehicle's card."""
    vehicle = VehicleFactory()
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    CertificateOperation.objects.filter(demarche=demarche).update(old_ci_date=None)
    rows = _rows(demarche)
    assert rows["Numéro de formule"].recorded == vehicle.formule_number
    assert "Certificat en cours au SIV" not in rows
