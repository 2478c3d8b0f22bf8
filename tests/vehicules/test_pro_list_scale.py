"""The professional's list at volume (`listing.UnionRows`): the count is
the sum of the parts' counts and a page reads each part through its first
rows only — the same rows in the same order as the plain union, for every
sort, filter and page (`filtered_rows`, what the list read before and the
CSV export still reads)."""

from datetime import timedelta

import pytest
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import HabilitationFactory
from titres.procedures.enums import Status
from titres.procedures.models import Demarche
from titres.vehicules.models import CessionDeclaration
from titres.vehicules.professionnels.listing import SORTS, UnionRows, filtered_rows
from titres.vehicules.services.cession import declare_cession

from .factories import BUYER, VehicleFactory
from .pro_factories import client_file
from .test_pro_list_operations import bought, resold
from .test_pro_stock import pro

pytestmark = pytest.mark.django_db

NAMES = ["DURAND", "ABADIE", "durand", "ZOLA", "MARTIN", ""]


@pytest.fixture
def crowd(client):
    """Eleven démarches (clients with the same name, a blank one, the same
    update time for some: the sort's ties), three purchases (one resold),
    a client's sale, another professional's files."""
    habilitation = pro(client)
    owner = habilitation.user
    files = [
        client_file(
            owner,
            last_name=NAMES[i % len(NAMES)] or "X",
            days_ago=i % 4,
            status=[Status.EN_COURS, Status.TERMINEE][i % 2],
        )
        for i in range(11)
    ]
    # A client without a name (the list puts it last) and equal dates.
    Demarche.objects.filter(pk=files[5].pk).update(acting_for={})
    same = timezone.now() - timedelta(days=2)
    Demarche.objects.filter(pk__in=[f.pk for f in files[6:9]]).update(
        updated_at=same, created_at=same
    )
    bought(habilitation)
    resold(habilitation, bought(habilitation))
    bought(habilitation)
    declare_cession(
        vehicle=VehicleFactory(),
        seller=owner,
        seller_names=("Moreau", "Jeanne"),
        sold_at=timezone.now() - timedelta(hours=1),
        mileage=48000,
        buyer=BUYER,
        actor=owner,
        mail=False,
    )
    other = HabilitationFactory(organisation_name="Autre garage")
    client_file(other.user, last_name="DURAND")
    resold(other, bought(other))
    CessionDeclaration.objects.update(created_at=Now())
    return owner


def _keys(rows):
    return [(r["row_kind"], r["row_key"]) for r in rows]


FILTERS = [
    {},
    {"client": "dur"},
    {"statut": "EN_COURS"},
    {"procedure": "achat"},
    {"procedure": "revente"},
    {"statut": "CESSION_ACTIVE"},
    {"client": "personne"},
]


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_page_is_the_plain_unions(crowd, sort):
    for criteria in FILTERS:
        data = {**criteria, "tri": sort}
        expected = _keys(filtered_rows(crowd, data))
        rows = UnionRows(crowd, data)
        assert rows.count() == len(expected) == len(rows)
        for start in range(0, len(expected) + 4, 4):
            assert _keys(rows[start : start + 4]) == expected[start : start + 4], (data, start)


def test_the_whole_list_has_each_row_once(crowd):
    """The professional's 16 rows (11 démarches, 3 purchases, a resale and
    a client's sale), every kind, none twice, none of the other's."""
    keys = _keys(filtered_rows(crowd, {}))
    assert len(keys) == len(set(keys)) == 16
    assert {kind for kind, _key in keys} == {"demarche", "achat", "cession"}
    assert _keys(UnionRows(crowd, {})[0:100]) == keys


def test_the_page_shows_the_plain_unions_rows(client, crowd):
    """The view pages through `UnionRows`: each page's rows are the plain
    union's slice (25 a page)."""
    for _i in range(12):
        client_file(crowd, last_name="LAMBERT")
    expected = [key for _kind, key in _keys(filtered_rows(crowd, {"tri": "client"}))]
    assert len(expected) == 28
    shown = []
    for page in (1, 2):
        response = client.get(reverse("vehicules:pro_demarches"), {"tri": "client", "page": page})
        assert response.status_code == 200
        shown += [row.key for row in response.context["files"]]
        assert response.context["page"].paginator.count == 28
    assert shown == expected


def test_a_slice_is_required(crowd):
    with pytest.raises(TypeError):
        UnionRows(crowd, {})[3]
