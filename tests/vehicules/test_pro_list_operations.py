"""The professional's list and CSV export show the déclarations d'achat
(stock purchases) and the déclarations de cession (resales from the stock,
clients' sales) with the démarches: filters, sort, pages and the query
count of a page hold for the union."""

import csv
import io
import zipfile
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.accounts.factories import HabilitationFactory
from titres.accounts.enums import HabilitationStatus
from titres.core.models import AuditEvent
from titres.vehicules.models import CessionDeclaration
from titres.vehicules.professionnels.listing import PAGE_SIZE
from titres.vehicules.professionnels.models import BulkDownload, JobState, PurchaseProof
from titres.vehicules.professionnels.stock import declare_purchase, declare_resale
from titres.vehicules.services.cession import cancel_cession, declare_cession

from .factories import BUYER, VehicleFactory
from .pro_factories import client_file
from .test_pro_stock import ESTABLISHMENT, YESTERDAY, pro

pytestmark = pytest.mark.django_db
# bench/professionnels.py PINNED_QUERIES: session, user, habilitation,
# count, page, the page's démarches (+ the test client's savepoints).
PINNED_QUERIES = 12


def bought(habilitation, vehicle=None):
    return declare_purchase(
        vehicle=vehicle or VehicleFactory(),
        habilitation=habilitation,
        seller_names=("MOREAU", "Jeanne"),
        purchased_at=timezone.make_aware(datetime.combine(YESTERDAY, time(9, 30))),
        mileage=61000,
        proof=PurchaseProof.CERTIFICAT,
        establishment=ESTABLISHMENT,
        actor=habilitation.user,
        by_batch=True,
    )


def resold(habilitation, entry):
    return declare_resale(
        entry=entry,
        habilitation=habilitation,
        sold_at=timezone.now() - timedelta(minutes=5),
        mileage=61500,
        buyer=BUYER,
        actor=habilitation.user,
        mail=False,
    ).declaration


def rows(browser, **params):
    response = browser.get(reverse("vehicules:pro_demarches"), params)
    assert response.status_code == 200
    return [(r.title, r.number) for r in response.context["files"]], response


@pytest.fixture
def space(client):
    """A garage with a client's change of holder, one vehicle in stock,
    one bought and resold, and a client's sale declared under mandate."""
    habilitation = pro(client)
    demarche = client_file(habilitation.user, last_name="LEROY", days_ago=10)
    in_stock = bought(habilitation)
    sold = bought(habilitation)
    resale = resold(habilitation, sold)
    sale = declare_cession(
        vehicle=VehicleFactory(),
        seller=habilitation.user,
        seller_names=("Moreau", "Jeanne"),
        sold_at=timezone.now() - timedelta(hours=1),
        mileage=48000,
        buyer=BUYER,
        actor=habilitation.user,
        mail=False,
    ).declaration
    return {
        "habilitation": habilitation,
        "demarche": demarche,
        "in_stock": in_stock,
        "sold": sold,
        "resale": resale,
        "sale": sale,
    }


PURCHASE = "Déclaration d’achat (stock)"
RESALE = "Revente d’un véhicule du stock"
SALE = "Déclaration de cession pour un client"
CHANGE = "Changement de titulaire"


def test_purchases_and_cessions_are_listed_with_the_demarches(client, space):
    found, response = rows(client)
    demarche, in_stock, sold = space["demarche"], space["in_stock"], space["sold"]
    resale, sale = space["resale"], space["sale"]
    assert set(found) == {
        (found[-1][0], demarche.number),
        (PURCHASE, in_stock.registration_number),
        (PURCHASE, sold.registration_number),
        (RESALE, resale.registration_number),
        (SALE, sale.registration_number),
    }
    # Newest change first: the démarche (ten days old) is last.
    assert found[-1][1] == demarche.number
    page = response.content.decode()
    listed = {row.number: row for row in response.context["files"]}
    assert listed[in_stock.registration_number].status_label == "Achat : véhicule en stock"
    assert listed[in_stock.registration_number].client_display == in_stock.seller_name
    assert listed[sold.registration_number].status_label == "Achat : véhicule revendu"
    assert listed[resale.registration_number].client_display == "MERCIER Pierre"
    assert listed[resale.registration_number].status_label == "Cession : code de cession valide"
    assert listed[sale.registration_number].client_display == "MOREAU Jeanne"
    assert in_stock.vehicle.plate_display in page and resale.vehicle.plate_display in page
    assert reverse("vehicules:pro_stock_accuse", args=[in_stock.pk]) in page
    assert reverse("vehicules:pro_stock_accuse", args=[sold.pk]) in page
    assert reverse("vehicules:cession_certificat", args=[resale.pk]) in page
    assert reverse("vehicules:cession_certificat", args=[sale.pk]) in page
    assert "5 démarches et déclarations" in page
    # The links open the documents (the seller's certificate, the accusé).
    assert client.get(reverse("vehicules:cession_certificat", args=[resale.pk])).status_code == 200
    assert client.get(reverse("vehicules:pro_stock_accuse", args=[sold.pk])).status_code == 200


def test_filters_apply_to_every_kind_of_row(client, space):
    numbers = lambda **params: {n for _t, n in rows(client, **params)[0]}  # noqa: E731
    in_stock, sold, resale, sale = (space[k] for k in ("in_stock", "sold", "resale", "sale"))
    demarche = space["demarche"]
    assert numbers(statut="ACHAT_EN_STOCK") == {in_stock.registration_number}
    assert numbers(statut="ACHAT_REVENDU") == {sold.registration_number}
    assert numbers(statut="CESSION_ACTIVE") == {
        resale.registration_number,
        sale.registration_number,
    }
    assert numbers(statut="EN_COURS") == {demarche.number}
    assert numbers(procedure="achat") == {in_stock.registration_number, sold.registration_number}
    assert numbers(procedure="revente") == {resale.registration_number}
    assert numbers(procedure="cession") == {sale.registration_number}
    assert numbers(procedure="vehicule-changement-titulaire") == {demarche.number}
    assert numbers(plaque=in_stock.vehicle.plate_display.lower()) == {in_stock.registration_number}
    # The client: the seller of a purchase or a client's sale, the buyer of a resale.
    assert numbers(client="merc") == {resale.registration_number}
    assert numbers(client="moreau") == {
        in_stock.registration_number,
        sold.registration_number,
        sale.registration_number,
    }
    assert numbers(client="ler") == {demarche.number}
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert numbers(du=today) == numbers() - {demarche.number}
    old = (timezone.localdate() - timedelta(days=10)).strftime("%d/%m/%Y")
    assert numbers(du=old, au=old) == {demarche.number}
    assert numbers(statut="ACHAT_EN_STOCK", procedure="cession") == set()


def test_unknown_state_or_procedure_is_refused(client, space):
    _found, response = rows(client, statut="ACHAT", procedure="revendre")
    page = response.content.decode()
    assert "Sélectionnez un choix valide. ACHAT n’en fait pas partie." in page
    assert "Sélectionnez un choix valide. revendre n’en fait pas partie." in page


def test_sort_by_client_plate_number_and_state_across_kinds(client, space):
    clients = lambda tri: [r.client for r in rows(client, tri=tri)[1].context["files"]]  # noqa: E731
    by_client = clients("client")
    assert by_client == sorted(by_client) and by_client[0] == "LEROY"
    assert clients("-client") == sorted(by_client, reverse=True)
    numbers = [n for _t, n in rows(client, tri="numero")[0]]
    assert numbers == sorted(numbers)
    plates = [r.plate_display for r in rows(client, tri="-plaque")[1].context["files"]]
    assert len(plates) == 5 and plates == sorted(plates, reverse=True)
    states = [r.status for r in rows(client, tri="statut")[1].context["files"]]
    assert states == sorted(states)


def test_a_cancelled_resale_stays_listed_and_the_vehicle_is_back_in_stock(client, space):
    cancel_cession(declaration=space["resale"], actor=space["habilitation"].user)
    listed = {r.number: r for r in rows(client)[1].context["files"]}
    row = listed[space["resale"].registration_number]
    assert (row.title, row.status_label) == (RESALE, "Cession : déclaration annulée")
    assert listed[space["sold"].registration_number].status_label == "Achat : véhicule en stock"


def test_pages_mix_every_kind_and_the_query_count_does_not_grow(client):
    habilitation = pro(client)

    def page_queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("vehicules:pro_demarches"), params)
        assert response.status_code == 200
        assert len(captured) <= PINNED_QUERIES
        # The list's own queries (the rest is the session's, cached or not):
        # the count (one query, each part's count a subquery), the page,
        # the page's démarches.
        sql = [q["sql"] for q in captured.captured_queries]
        mine = ("row_kind", "part_count", 'FROM "procedures_demarche"')
        return [q for q in sql if any(part in q for part in mine)], response

    client_file(habilitation.user)
    small, _response = page_queries()
    assert len(small) == 3
    for _i in range(PAGE_SIZE):
        client_file(habilitation.user)
    for _i in range(2):
        resold(habilitation, bought(habilitation))
    big, response = page_queries()
    assert len(response.context["files"]) == PAGE_SIZE
    assert len(big) == len(small)
    second, response = page_queries(page=2)
    # 26 démarches + 2 purchases + 2 resales = 30 rows.
    assert len(response.context["files"]) == 5 and len(second) == len(small)
    assert {r.kind for r in response.context["files"]} == {"demarche"}
    filtered, response = page_queries(procedure="achat", tri="client")
    # No démarche on the page: no query for them.
    assert len(response.context["files"]) == 2 and len(filtered) == 2


def test_csv_export_has_the_purchases_and_cessions(client, space):
    response = client.get(reverse("vehicules:pro_export_csv"), {"procedure": "achat"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][-1] == "Document"
    lines = {line[0]: line for line in table[1:]}
    entry = space["in_stock"]
    assert set(lines) == {entry.registration_number, space["sold"].registration_number}
    line = lines[entry.registration_number]
    assert line[1:3] == [PURCHASE, entry.vehicle.plate_display]
    assert line[3] == entry.seller_name and line[5] == "Achat : véhicule en stock"
    assert line[9] == "" and line[10].endswith(
        reverse("vehicules:pro_stock_accuse", args=[entry.pk])
    )
    everything = client.get(reverse("vehicules:pro_export_csv")).content.decode("utf-8-sig")
    assert len(everything.strip().splitlines()) == 6
    assert reverse("vehicules:cession_certificat", args=[space["resale"].pk]) in everything


def test_bulk_download_follows_the_procedure_filter(client, space):
    url = reverse("vehicules:pro_telechargement_demander")
    client.post(url, {"procedure": "achat"})
    download = BulkDownload.objects.get()
    assert download.numbers == [] and set(download.purchases) == {
        str(space["in_stock"].pk),
        str(space["sold"].pk),
    }
    client.post(url, {"statut": "ACHAT_REVENDU"})
    assert BulkDownload.objects.latest("created_at").purchases == [str(space["sold"].pk)]
    client.post(url, {"statut": "EN_COURS"})
    latest = BulkDownload.objects.latest("created_at")
    assert latest.purchases == [] and latest.numbers == [space["demarche"].number]


def test_another_professionals_purchases_and_cessions_are_not_listed(client, space):
    other = HabilitationFactory(organisation_name="Autre garage")
    theirs = bought(other)
    their_resale = resold(other, bought(other))
    found, response = rows(client)
    numbers = {n for _t, n in found}
    assert theirs.registration_number not in numbers
    assert their_resale.registration_number not in numbers
    export = client.get(reverse("vehicules:pro_export_csv")).content.decode("utf-8-sig")
    assert theirs.registration_number not in export
    # Their documents are a 404.
    assert client.get(reverse("vehicules:pro_stock_accuse", args=[theirs.pk])).status_code == 404
    certificate = reverse("vehicules:cession_certificat", args=[their_resale.pk])
    assert client.get(certificate).status_code == 404
    assert CessionDeclaration.objects.filter(seller=other.user).count() == 1


def test_a_suspended_professional_gets_neither_the_list_nor_the_export(client, space):
    habilitation = space["habilitation"]
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save()
    assert client.get(reverse("vehicules:pro_demarches")).status_code == 404
    assert client.get(reverse("vehicules:pro_export_csv")).status_code == 404
    habilitation.status = HabilitationStatus.ACTIVE
    habilitation.save()
    assert len(rows(client)[0]) == 5


def _zip_of(browser, capture, **filters):
    with capture(execute=True):
        response = browser.post(reverse("vehicules:pro_telechargement_demander"), filters)
    download = BulkDownload.objects.latest("created_at")
    assert response.url == reverse("vehicules:pro_telechargement", args=[download.pk])
    assert download.state == JobState.PRETE and download.done == download.total
    archive = browser.get(reverse("vehicules:pro_telechargement_archive", args=[download.pk]))
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))
    return download, {name: zipped.read(name) for name in zipped.namelist()}


def _certificate_name(declaration):
    number = declaration.registration_number
    return (
        f"cession-{number}-{declaration.vehicle.plate_display}/certificat-de-cession-{number}.pdf"
    )


def test_the_zip_holds_the_certificates_of_the_cessions(
    client, space, django_capture_on_commit_callbacks
):
    other = HabilitationFactory(organisation_name="Autre garage")
    their_resale = resold(other, bought(other))  # another professional's: left out
    resale, sale = space["resale"], space["sale"]
    download, files = _zip_of(client, django_capture_on_commit_callbacks)
    assert set(download.cessions) == {str(resale.pk), str(sale.pk)}
    # 1 démarche, 2 purchases, 2 cessions: the progress counts them all.
    assert download.total == 5
    assert {name for name in files if name.startswith("cession-")} == {
        _certificate_name(resale),
        _certificate_name(sale),
    }
    assert not any(their_resale.registration_number in name for name in files)
    text = PdfReader(io.BytesIO(files[_certificate_name(sale)])).pages[0].extract_text()
    assert sale.registration_number in text
    event = AuditEvent.objects.filter(event="vehicules.pro_bulk_download_requested").latest(
        "sequence"
    )
    assert event.data == {"demarches": 1, "achats": 2, "cessions": 2}
    page = client.get(reverse("vehicules:pro_telechargement", args=[download.pk]))
    assert "2 déclarations de cession : leurs certificats de cession." in page.content.decode()


def test_the_zip_follows_the_filters_for_the_cessions(
    client, space, django_capture_on_commit_callbacks
):
    resale, sale = space["resale"], space["sale"]
    download, files = _zip_of(client, django_capture_on_commit_callbacks, procedure="revente")
    assert download.numbers == [] and download.purchases == []
    assert download.cessions == [str(resale.pk)]
    assert list(files) == [_certificate_name(resale)]
    page = client.get(reverse("vehicules:pro_telechargement", args=[download.pk]))
    assert "1 déclaration de cession : son certificat de cession." in page.content.decode()
    # By the cession's state, plate or client: the same rows as the list.
    download, _files = _zip_of(
        client, django_capture_on_commit_callbacks, statut="CESSION_ACTIVE", client="moreau"
    )
    assert download.cessions == [str(sale.pk)] and download.purchases == []
    # A démarche's state or a purchase's: no cession.
    download, _files = _zip_of(client, django_capture_on_commit_callbacks, statut="EN_COURS")
    assert download.cessions == []
    download, _files = _zip_of(client, django_capture_on_commit_callbacks, procedure="achat")
    assert download.cessions == [] and len(download.purchases) == 2


def test_a_cession_no_longer_the_professionals_is_left_out_of_the_zip(
    client, space, django_capture_on_commit_callbacks
):
    """Selected at the request, detached before the task runs (a terminated
    account's declarations no longer name it): counted, not written."""
    sale = space["sale"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("vehicules:pro_telechargement_demander"), {"procedure": "cession"})
    download = BulkDownload.objects.get()
    assert download.cessions == [str(sale.pk)] and download.state == JobState.EN_ATTENTE
    CessionDeclaration.objects.filter(pk=sale.pk).update(seller=None)
    for callback in callbacks:
        callback()
    download.refresh_from_db()
    assert download.state == JobState.PRETE and download.done == download.total == 1
    assert zipfile.ZipFile(download.archive.open()).namelist() == []


def test_nothing_selected_refuses_the_zip(client, space):
    response = client.post(
        reverse("vehicules:pro_telechargement_demander"), {"plaque": "ZZ-999-ZZ"}, follow=True
    )
    assert "Aucune démarche déposée dans la sélection : rien à télécharger." in (
        response.content.decode()
    )
    assert not BulkDownload.objects.exists()


def test_another_professionals_zip_is_a_404(client, space, django_capture_on_commit_callbacks):
    download, _files = _zip_of(client, django_capture_on_commit_callbacks, procedure="cession")
    client.force_login(HabilitationFactory(organisation_name="Autre garage").user)
    for name in ("pro_telechargement", "pro_telechargement_etat", "pro_telechargement_archive"):
        assert client.get(reverse(f"vehicules:{name}", args=[download.pk])).status_code == 404
