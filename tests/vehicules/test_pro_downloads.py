"""The professional's ZIP of CPIs and accusés covers every procedure filed
for a client: change of holder, new vehicle, address change, duplicate
(a rejected file's withdrawn CPI left out)."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from titres.core import numbering
from titres.procedures.enums import Status
from titres.procedures.models import Demarche
from titres.vehicules.certificat import adresse, duplicata
from titres.vehicules.enums import CertificateOperationKind
from titres.vehicules.models import CertificateOperation
from titres.vehicules.neuf.models import NewRegistration
from titres.vehicules.neuf.state import CODE as NEW_VEHICLE
from titres.vehicules.professionnels import downloads
from titres.vehicules.professionnels.models import BulkDownload, JobState

from .factories import VehicleFactory
from .pro import garage
from .pro_factories import client_file

pytestmark = pytest.mark.django_db

ACTING_FOR = {
    "nom": "MOREAU",
    "prenoms": "Jeanne",
    "qualite": "professionnel_mandataire",
    "professionnel": "Garage du Centre",
    "habilitation": "SIV-08-0001",
}


def _filed(owner, code, answers=None, status=Status.EN_COURS):
    return Demarche.objects.create(
        procedure_code=code,
        owner=owner,
        number=numbering.generate(length=11),
        status=status,
        submitted_at=timezone.now(),
        answers=answers or {},
        acting_for=ACTING_FOR,
    )


def operation_file(owner, kind, *, cpi=True, rejected=False):
    vehicle = VehicleFactory()
    code = duplicata.CODE if kind == CertificateOperationKind.DUPLICATA else adresse.CODE
    demarche = _filed(
        owner,
        code,
        {"pour-commencer": {"pour_qui": "mandat", "motif": "perte", "vehicule": vehicle.pk}},
        status=Status.REJETEE if rejected else Status.EN_COURS,
    )
    return CertificateOperation.objects.create(
        demarche=demarche,
        kind=kind,
        vehicle=vehicle,
        old_plate=vehicle.plate,
        new_plate=vehicle.plate,
        label_number=None if cpi else 1,
        new_certificate=cpi,
        cpi_number=numbering.generate(prefix="CP", length=9) if cpi else "",
        cpi_valid_until=timezone.localdate() + timedelta(days=30) if cpi else None,
        registered_at=timezone.now(),
        reverted_at=timezone.now() if rejected else None,
    )


def new_vehicle_file(owner):
    vehicle = VehicleFactory()
    return NewRegistration.objects.create(
        demarche=_filed(owner, NEW_VEHICLE),
        vehicle=vehicle,
        new_plate=vehicle.plate,
        cpi_number=numbering.generate(prefix="CP", length=9),
        cpi_valid_until=timezone.localdate() + timedelta(days=30),
        registered_at=timezone.now(),
        taxes={"lines": [{"code": "Y4", "label": "Taxe fixe", "amount_cents": 1100}]},
        amount_cents=1100,
        payment_reference="PAY-1",
        paid_at=timezone.now(),
    )


def _archive(client, capture) -> dict[str, bytes]:
    with capture(execute=True):
        response = client.post(reverse("vehicules:pro_telechargement_demander"), {})
    download = BulkDownload.objects.latest("created_at")
    assert response.url == reverse("vehicules:pro_telechargement", args=[download.pk])
    assert download.state == JobState.PRETE and download.done == download.total
    archive = client.get(reverse("vehicules:pro_telechargement_archive", args=[download.pk]))
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))
    return {name: zipped.read(name) for name in zipped.namelist()}


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_zip_holds_every_procedures_documents(client, django_capture_on_commit_callbacks):
    owner = garage(client).user
    holder_change = client_file(owner).changement_titulaire
    new_vehicle = new_vehicle_file(owner)
    duplicate = operation_file(owner, CertificateOperationKind.DUPLICATA)
    label = operation_file(owner, CertificateOperationKind.ADRESSE, cpi=False)
    rejected = operation_file(owner, CertificateOperationKind.DUPLICATA, rejected=True)
    files = _archive(client, django_capture_on_commit_callbacks)
    assert BulkDownload.objects.get().total == 5

    def named(record, name):
        folder = f"{record.demarche.display_number}-{record.vehicle.plate_display}"
        return f"{folder}/{name}"

    expected = set()
    for record in (holder_change, new_vehicle, duplicate):
        expected |= {
            named(record, f"cpi-{record.cpi_number}.pdf"),
            named(record, f"accuse-{record.demarche.display_number}.pdf"),
        }
    for record in (label, rejected):  # no CPI: a label by post; a withdrawn CPI
        expected.add(named(record, f"accuse-{record.demarche.display_number}.pdf"))
    assert set(files) == expected
    new_accuse = _text(
        files[named(new_vehicle, f"accuse-{new_vehicle.demarche.display_number}.pdf")]
    )
    assert (
        "Immatriculation d’un véhicule neuf" in new_accuse
        and "Nom et prénoms MOREAU Jeanne" in new_accuse
    )
    dup_accuse = _text(files[named(duplicate, f"accuse-{duplicate.demarche.display_number}.pdf")])
    assert "Duplicata du certificat d’immatriculation" in dup_accuse
    assert duplicate.cpi_number in _text(files[named(duplicate, f"cpi-{duplicate.cpi_number}.pdf")])


def test_drafts_and_another_professionals_files_are_left_out(
    client, django_capture_on_commit_callbacks
):
    from tests.accounts.factories import HabilitationFactory

    owner = garage(client).user
    mine = operation_file(owner, CertificateOperationKind.ADRESSE, cpi=False)
    draft = operation_file(owner, CertificateOperationKind.DUPLICATA)
    Demarche.objects.filter(pk=draft.demarche_id).update(status=Status.BROUILLON, submitted_at=None)
    unregistered = NewRegistration.objects.create(demarche=_filed(owner, NEW_VEHICLE))
    other = operation_file(HabilitationFactory().user, CertificateOperationKind.DUPLICATA)
    numbers = set(
        downloads.downloadable(Demarche.objects.filter(owner=owner)).values_list(
            "number", flat=True
        )
    )
    assert numbers == {mine.demarche.number}
    # A forged archive request naming others' and unregistered files writes nothing of them.
    download = BulkDownload.objects.create(
        owner=owner,
        numbers=[mine.demarche.number, other.demarche.number, unregistered.demarche.number],
        total=3,
    )
    downloads.build_archive(str(download.pk))
    download.refresh_from_db()
    names = zipfile.ZipFile(download.archive.open()).namelist()
    assert names == [
        f"{mine.demarche.display_number}-{mine.vehicle.plate_display}/"
        f"accuse-{mine.demarche.display_number}.pdf"
    ]


def test_a_withdrawn_cpi_is_left_out_of_the_list_the_csv_and_the_zip(
    client, django_capture_on_commit_callbacks
):
    """A rejected change of holder's CPI, like a rejected new vehicle's or
    address change's (downloads.cpi_handed_out): the accusé only."""
    owner = garage(client).user
    kept = client_file(owner).changement_titulaire
    rejected = client_file(owner, status=Status.REJETEE).changement_titulaire
    rejected.withdrawn_at = timezone.now()  # what changement/decisions.withdraw_change sets
    rejected.save(update_fields=["withdrawn_at"])
    withdrawn = new_vehicle_file(owner)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save(update_fields=["withdrawn_at"])
    assert (rejected.cpi_number, withdrawn.cpi_number) != ("", "")

    page = client.get(reverse("vehicules:pro_demarches")).content.decode()
    assert reverse("vehicules:cpi", args=[kept.demarche.number]) in page
    assert reverse("vehicules:cpi", args=[rejected.demarche.number]) not in page
    assert reverse("vehicules:neuf_cpi", args=[withdrawn.demarche.number]) not in page
    csv = client.get(reverse("vehicules:pro_export_csv")).content.decode()
    assert kept.cpi_number in csv
    assert rejected.cpi_number not in csv and withdrawn.cpi_number not in csv

    names = set(_archive(client, django_capture_on_commit_callbacks))
    assert any(name.endswith(f"cpi-{kept.cpi_number}.pdf") for name in names)
    for record in (rejected, withdrawn):
        assert not any(record.cpi_number in name for name in names)
        assert any(name.endswith(f"accuse-{record.demarche.display_number}.pdf") for name in names)


def test_the_zip_holds_the_accuses_of_the_professionals_purchases(
    client, django_capture_on_commit_callbacks
):
    from tests.accounts.factories import HabilitationFactory

    from .test_pro_stock import bought

    habilitation = garage(client)
    owner = habilitation.user
    duplicate = operation_file(owner, CertificateOperationKind.DUPLICATA)
    entry = bought(habilitation)
    bought(HabilitationFactory())  # another professional's: left out
    files = _archive(client, django_capture_on_commit_callbacks)
    assert BulkDownload.objects.get().total == 2
    number = entry.registration_number
    name = f"achat-{number}-{entry.vehicle.plate_display}/accuse-achat-{number}.pdf"
    assert name in files
    assert len([n for n in files if n.startswith("achat-")]) == 1
    assert f"Numéro d’enregistrement {number}" in _text(files[name])
    assert any(n.startswith(f"{duplicate.demarche.display_number}-") for n in files)
    # Filtered by state (a purchase has none): the démarches only.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("vehicules:pro_telechargement_demander"), {"statut": "EN_COURS"})
    assert BulkDownload.objects.latest("created_at").purchases == []
    # Only purchases selected (a plate no démarche has): their accusés alone.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("vehicules:pro_telechargement_demander"),
            {"plaque": entry.vehicle.plate_display},
        )
    download = BulkDownload.objects.latest("created_at")
    assert download.numbers == [] and download.purchases == [str(entry.pk)]
    assert download.state == JobState.PRETE
    assert zipfile.ZipFile(download.archive.open()).namelist() == [name]
