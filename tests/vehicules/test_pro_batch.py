"""Batch submission: a CSV of declarations processed by a task, a report
per line, nothing half-applied on a refused line."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import HabilitationFactory, UserFactory
from titres.core.models import AuditEvent
from titres.vehicules.enums import CessionState
from titres.vehicules.models import CessionDeclaration
from titres.vehicules.professionnels import batch as batch_module
from titres.vehicules.professionnels.batch import COLUMNS, template_csv
from titres.vehicules.professionnels.models import (
    BatchSubmission,
    JobState,
    PurchaseProof,
    StockVehicle,
)
from titres.vehicules.professionnels.stock import stock_of
from titres.vehicules.services.cession import check_code

from .factories import VehicleFactory
from .pro import garage

pytestmark = pytest.mark.django_db

YESTERDAY = (timezone.localdate() - timezone.timedelta(days=1)).strftime("%d/%m/%Y")


def cession_line(vehicle, **changes):
    values = {
        "type": "cession",
        "immatriculation": vehicle.plate_display,
        "numero_formule": vehicle.formule_number,
        "date_ci": "",
        "date_cession": YESTERDAY,
        "heure_cession": "10:30",
        "kilometrage": "48250",
        "client_nom": "MOREAU",
        "client_prenoms": "Jeanne",
        "acquereur_nom": "MERCIER",
        "acquereur_prenoms": "Pierre",
        "acquereur_date_naissance": "15/01/1990",
        "acquereur_raison_sociale": "",
        "acquereur_siret": "",
        "acquereur_adresse": "3 place Bellecour",
        "acquereur_code_postal": "69002",
        "acquereur_commune": "Lyon",
        **changes,
    }
    return ";".join(values[name] for name in COLUMNS)


def upload(client, lines, capture, header=None, name="lot.csv", encoding="utf-8"):
    text = (header or ";".join(COLUMNS)) + "\r\n" + "\r\n".join(lines) + "\r\n"
    data = {"fichier": SimpleUploadedFile(name, text.encode(encoding), "text/csv")}
    with capture(execute=True):
        return client.post(reverse("vehicules:pro_lots"), data)


def test_fifty_lines_with_three_bad_ones(client, django_capture_on_commit_callbacks):
    garage(client)
    vehicles = [VehicleFactory() for _i in range(49)]
    not_the_holder = vehicles.pop()
    lines = [cession_line(v) for v in vehicles[:20]]
    lines.append(
        "cession;ZZ-999-ZZ;2019AB00001;;" + YESTERDAY + ";10:30;100;MOREAU;Jeanne;"
        "MERCIER;Pierre;;;;3 place Bellecour;69002;Lyon"
    )
    lines += [cession_line(v) for v in vehicles[20:40]]
    lines.append(cession_line(vehicles[40], numero_formule="2019ZZ99999"))
    lines.append(cession_line(not_the_holder, client_nom="DURAND", client_prenoms="Paul"))
    lines += [cession_line(v) for v in vehicles[41:]]
    assert len(lines) == 50
    response = upload(client, lines, django_capture_on_commit_callbacks)
    batch = BatchSubmission.objects.get()
    assert response.url == reverse("vehicules:pro_lot", args=[batch.pk])
    assert batch.state == JobState.PRETE and batch.total == 50
    refused = {line.number: line.message for line in batch.lines.filter(accepted=False)}
    assert refused == {
        21: "Aucun véhicule n’est immatriculé sous le numéro ZZ-999-ZZ : vérifiez le numéro "
        "inscrit sur votre carte grise (champ A).",
        42: "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce "
        "véhicule : recopiez-le tel qu’il est imprimé sur votre carte grise.",
        43: "Votre client n’apparaît pas comme titulaire ou cotitulaire de ce véhicule : "
        "indiquez le nom et les prénoms inscrits sur la carte grise (le mandant doit en être "
        "le titulaire).",
    }
    # Nothing of a refused line is left in the registry.
    assert not CessionDeclaration.objects.filter(vehicle__in=[vehicles[40], not_the_holder])
    assert CessionDeclaration.objects.filter(state=CessionState.ACTIVE).count() == 47
    page = client.get(response.url).content.decode()
    assert "47 lignes acceptées, 3 refusées" in page
    report = client.get(reverse("vehicules:pro_lot_compte_rendu", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 51 and rows[21][3] == "Refusée" and rows[1][3] == "Acceptée"
    assert rows[1][4] == batch.lines.get(number=1).registration_number != ""
    # The codes de cession: once, then erased.
    codes = client.post(reverse("vehicules:pro_lot_codes", args=[batch.pk]))
    code_rows = list(csv.reader(io.StringIO(codes.content.decode("utf-8-sig")), delimiter=";"))
    assert len(code_rows) == 48
    first = vehicles[0]
    assert check_code(
        vehicle=first, code=code_rows[1][3], last_name="MERCIER", first_names="Pierre"
    )
    assert not batch.lines.exclude(code="").exists()
    again = client.post(reverse("vehicules:pro_lot_codes", args=[batch.pk]), follow=True)
    assert "Les codes de cession de ce lot ont déjà été téléchargés." in again.content.decode()
    assert AuditEvent.objects.filter(event="vehicules.pro_batch_submitted").count() == 1


def test_achat_puts_the_vehicle_in_the_professionals_stock(
    client, django_capture_on_commit_callbacks
):
    habilitation = garage(client, organisation_name="Garage du Centre", siret="35600000000048")
    vehicle = VehicleFactory()
    line = cession_line(
        vehicle,
        type="achat",
        acquereur_nom="",
        acquereur_prenoms="",
        acquereur_date_naissance="",
        acquereur_adresse="12 avenue Jean Jaurès",
        acquereur_code_postal="08000",
        acquereur_commune="Charleville-Mézières",
    )
    upload(client, [line], django_capture_on_commit_callbacks)
    # The same service as the screen's déclaration d'achat, the same stock.
    entry = StockVehicle.objects.get(vehicle=vehicle)
    assert entry.owner == habilitation.user and entry.in_stock
    assert entry.seller_name == "MOREAU Jeanne"
    assert entry.proof == PurchaseProof.CERTIFICAT
    assert (entry.address, entry.postal_code) == ("12 avenue Jean Jaurès", "08000")
    assert not CessionDeclaration.objects.exists()
    line = BatchSubmission.objects.get().lines.get()
    assert line.accepted and line.registration_number == entry.registration_number
    assert line.code == ""
    assert list(stock_of(habilitation.user)) == [entry]
    # A CSV carries no scan of the barred certificate: its accusé says so.
    assert entry.by_batch and not entry.certificate_scan
    from .test_pro_stock import pdf_text

    accuse = client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk]))
    text = pdf_text(accuse.content)
    assert "Déposée par dépôt de fichier (lot)" in text
    assert (
        "Certificat barré (scan) Aucun : une déclaration déposée par fichier ne comporte pas de "
        "scan"
    ) in text


def resale_line(vehicle, **changes):
    """A cession line without a client: the resale of a stock vehicle."""
    return cession_line(
        vehicle, **{"client_nom": "", "client_prenoms": "", "kilometrage": "152500", **changes}
    )


def purchase_line(vehicle, **changes):
    return cession_line(
        vehicle,
        type="achat",
        heure_cession="09:00",
        kilometrage="152000",
        acquereur_nom="",
        acquereur_prenoms="",
        acquereur_date_naissance="",
        acquereur_adresse="12 avenue Jean Jaurès",
        acquereur_code_postal="08000",
        acquereur_commune="Charleville-Mézières",
        **changes,
    )


def test_cession_line_without_client_resells_a_stock_vehicle(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    habilitation = garage(client, organisation_name="Garage du Centre", siret="35600000000048")
    vehicle = VehicleFactory()
    # Bought and resold in the same file, then resold once more by mistake.
    lines = [purchase_line(vehicle), resale_line(vehicle), resale_line(vehicle)]
    upload(client, lines, django_capture_on_commit_callbacks)
    batch = BatchSubmission.objects.get()
    first, resale, twice = batch.lines.all()
    assert first.accepted and resale.accepted and not twice.accepted
    assert twice.message == "Ce véhicule est déjà revendu par la ligne 2 de ce fichier."
    # The same service as « Mon stock »: the company sells, the entry leaves the stock.
    entry = StockVehicle.objects.get(vehicle=vehicle)
    declaration = CessionDeclaration.objects.get(vehicle=vehicle)
    assert entry.resale == declaration and not entry.in_stock
    assert declaration.seller == habilitation.user
    assert declaration.seller_name == "Garage du Centre"
    assert declaration.seller_address == "12 avenue Jean Jaurès 08000 Charleville-Mézières"
    assert declaration.mileage == 152500
    assert resale.registration_number == declaration.registration_number
    # The code is in the report line (given once, as for a client's cession), not mailed.
    assert check_code(vehicle=vehicle, code=resale.code, last_name="MERCIER", first_names="Pierre")
    assert not mailoutbox
    assert list(stock_of(habilitation.user)) == []


def test_resale_line_refusals(client, django_capture_on_commit_callbacks):
    from .test_pro_stock import bought

    habilitation = garage(client, organisation_name="Garage du Centre", siret="35600000000048")
    in_stock = bought(habilitation)
    resold_earlier = bought(habilitation)
    upload(client, [resale_line(resold_earlier.vehicle)], django_capture_on_commit_callbacks)
    not_in_stock = VehicleFactory()
    other = bought(HabilitationFactory(), VehicleFactory())
    before_purchase = (timezone.localdate() - timezone.timedelta(days=2)).strftime("%d/%m/%Y")
    lines = [
        resale_line(resold_earlier.vehicle),
        resale_line(not_in_stock),
        resale_line(other.vehicle),
        resale_line(in_stock.vehicle, date_cession=before_purchase),
        resale_line(in_stock.vehicle, kilometrage="60000"),
        resale_line(
            in_stock.vehicle,
            acquereur_nom="",
            acquereur_prenoms="",
            acquereur_date_naissance="",
            acquereur_raison_sociale="Garage du Centre",
            acquereur_siret="35600000000048",
        ),
        cession_line(in_stock.vehicle),
        resale_line(in_stock.vehicle, numero_formule="2019ZZ99999"),
    ]
    upload(client, lines, django_capture_on_commit_callbacks)
    batch = BatchSubmission.objects.latest("created_at")
    messages = [line.message for line in batch.lines.all()]
    purchased = timezone.localtime(in_stock.purchased_at)
    not_in_stock_message = (
        "Ce véhicule n’est pas dans votre stock : pour la cession du véhicule d’un client, "
        "indiquez son nom et ses prénoms (colonnes client_nom et client_prenoms)."
    )
    assert messages == [
        "Ce véhicule n’est plus dans votre stock : sa revente est déjà déclarée.",
        not_in_stock_message,
        not_in_stock_message,
        f"La revente ne peut pas être antérieure à l’achat ({purchased:%d/%m/%Y %H:%M}).",
        "Le kilométrage ne peut pas être inférieur à celui de l’achat (61\u202f000 km).",
        "L’acquéreur ne peut pas être votre propre entreprise.",
        f"Ce véhicule est dans votre stock (achat déclaré le {purchased:%d/%m/%Y}) : pour le "
        "revendre, laissez vides les colonnes client_nom et client_prenoms (le vendeur est "
        "votre entreprise).",
        "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce "
        "véhicule : recopiez-le tel qu’il est imprimé sur votre carte grise.",
    ]
    # Nothing of a refused line is left: the vehicle is still in stock, unsold.
    in_stock.refresh_from_db()
    assert in_stock.in_stock
    assert not CessionDeclaration.objects.filter(vehicle=in_stock.vehicle).exists()
    assert other.vehicle.stock_entries.get().in_stock


def test_achat_line_refused_like_the_screen(client, django_capture_on_commit_callbacks):
    garage(client)
    vehicle = VehicleFactory(gage=True)
    no_address = VehicleFactory()
    lines = [
        cession_line(vehicle, type="achat"),
        cession_line(
            no_address,
            type="achat",
            acquereur_adresse="",
            acquereur_code_postal="",
            acquereur_commune="",
        ),
    ]
    upload(client, lines, django_capture_on_commit_callbacks)
    messages = [line.message for line in BatchSubmission.objects.get().lines.all()]
    assert messages[0].startswith("Ce véhicule est gagé : le changement de titulaire")
    assert messages[1] == (
        "Indiquez l’adresse de votre établissement : elle figure sur le certificat de cession "
        "de la revente."
    )
    assert not StockVehicle.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"type": "vente"}, "Type « vente » inconnu : indiquez « cession » ou « achat »."),
        (
            {"client_nom": "", "client_prenoms": ""},
            "Ce véhicule n’est pas dans votre stock : pour la cession du véhicule d’un client, "
            "indiquez son nom et ses prénoms (colonnes client_nom et client_prenoms).",
        ),
        (
            {"client_nom": "", "type": "achat"},
            "Indiquez le nom du client (titulaire du véhicule).",
        ),
        (
            {"client_nom": "", "client_prenoms": "Jeanne"},
            "Indiquez le nom du client (titulaire du véhicule).",
        ),
        (
            {"date_cession": "2026-13-45"},
            "Date de la cession « 2026-13-45 » : format attendu JJ/MM/AAAA.",
        ),
        ({"heure_cession": "25h"}, "Heure de la cession « 25h » : format attendu HH:MM."),
        (
            {"kilometrage": "beaucoup"},
            "Kilométrage « beaucoup » : indiquez un nombre entier de kilomètres.",
        ),
        ({"acquereur_nom": ""}, "Indiquez le nom et les prénoms de l’acquéreur (ou son SIRET)."),
    ],
)
def test_line_refusals(client, django_capture_on_commit_callbacks, changes, message):
    garage(client)
    vehicle = VehicleFactory()
    upload(client, [cession_line(vehicle, **changes)], django_capture_on_commit_callbacks)
    line = BatchSubmission.objects.get().lines.get()
    assert not line.accepted and line.message == message
    assert not CessionDeclaration.objects.exists()


def test_short_line_is_refused(client, django_capture_on_commit_callbacks):
    garage(client)
    upload(client, ["cession;AB-123-CD"], django_capture_on_commit_callbacks)
    line = BatchSubmission.objects.get().lines.get()
    assert line.message == "La ligne compte 2 colonnes au lieu de 17."


def test_file_refusals(client, django_capture_on_commit_callbacks, monkeypatch):
    garage(client)
    vehicle = VehicleFactory()
    response = upload(
        client, [cession_line(vehicle)], django_capture_on_commit_callbacks, header="plaque;date"
    )
    assert "La première ligne du fichier doit être l’en-tête du modèle" in response.content.decode()
    response = upload(client, ["cession;é"], django_capture_on_commit_callbacks, encoding="latin-1")
    assert "Le fichier n’est pas encodé en UTF-8" in response.content.decode()
    response = upload(client, [], django_capture_on_commit_callbacks)
    assert "Le fichier ne contient aucune déclaration." in response.content.decode()
    monkeypatch.setattr(batch_module, "MAX_LINES", 2)
    response = upload(client, [cession_line(vehicle)] * 3, django_capture_on_commit_callbacks)
    assert "un lot contient au plus 2 déclarations" in response.content.decode()
    assert not BatchSubmission.objects.exists()


def test_daily_limit(client, django_capture_on_commit_callbacks, monkeypatch):
    owner = garage(client).user
    monkeypatch.setattr(batch_module, "DAILY_LIMIT", 1)
    BatchSubmission.objects.create(owner=owner, filename="a.csv", source="", total=0)
    response = upload(client, [cession_line(VehicleFactory())], django_capture_on_commit_callbacks)
    assert "Vous avez déposé 1 lots en 24 heures : réessayez demain." in response.content.decode()


def test_template_is_the_format(client):
    garage(client)
    response = client.get(reverse("vehicules:pro_lot_modele"))
    text = response.content.decode("utf-8-sig")
    assert text == template_csv().lstrip("\ufeff")
    assert text.splitlines()[0] == ";".join(COLUMNS)


def test_batches_are_private_and_professional_only(client):
    owner = HabilitationFactory().user
    batch = BatchSubmission.objects.create(owner=owner, filename="a.csv", source="", total=0)
    client.force_login(HabilitationFactory(organisation_name="Autre").user)
    for name in ("pro_lot", "pro_lot_etat", "pro_lot_compte_rendu"):
        assert client.get(reverse(f"vehicules:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("vehicules:pro_lot_codes", args=[batch.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("vehicules:pro_lots")).status_code == 404
    assert client.get(reverse("vehicules:pro_lot_modele")).status_code == 404
