"""Demo of the exchange and the extension (issue 19): loaded twice without
duplicates, each request in the back office's hands, and coherent enough to
be instructed (the exchange completes the SNPC, the extension's exam is in
the SNPC)."""

import pytest
from django.db import transaction

from titres.permis import demo, requests_demo
from titres.permis.echange.services import exchange_licence
from titres.permis.extension import check_extension
from titres.permis.models import LicenceRequest
from titres.procedures.enums import Status

pytestmark = pytest.mark.django_db


def test_pending_exchange_and_extension_are_loaded_once():
    demo.load_authorities()
    first = requests_demo.load()
    assert requests_demo.load() == first
    assert LicenceRequest.objects.filter(motif="echange").count() == 1
    assert LicenceRequest.objects.filter(motif="extension").count() == 1
    roles = [c.role for c in first]
    assert roles == [
        "Particulier : échange d’un permis allemand en attente",
        "Particulier : extension de catégorie BE en attente",
    ]

    exchange = LicenceRequest.objects.get(motif="echange").demarche
    assert exchange.status == Status.EN_COURS
    assert exchange.owner.username == "demo-echange"
    assert exchange.number in first[0].note
    with transaction.atomic():
        record = exchange_licence(demarche=exchange, actor=None)
    assert sorted(record.categories.values_list("category", flat=True)) == ["B", "BE"]
    assert record.foreign_licences.get().country_code == "DE"

    extension = LicenceRequest.objects.get(motif="extension")
    assert extension.demarche.status == Status.EN_COURS
    assert extension.demarche.owner.licence_link.record == extension.record
    assert check_extension(extension.record, ["BE"]).ok
    assert extension.record.neph_display in first[1].note
