"""A terminated professional's stock (issue 18): the declarations of
purchase are the registry's record of the vehicles bought for resale, so
they outlive the account — detached from it, naming the company (raison
sociale, SIRET, habilitation), never the natural person."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import HabilitationFactory, UserFactory
from titres.accounts.services.account import delete_account
from titres.accounts.services.common import AccountError
from titres.accounts.services.habilitations import terminate_habilitation
from titres.core.models import AuditEvent
from titres.vehicules.professionnels.models import StockVehicle
from titres.vehicules.professionnels.stock import declare_resale
from titres.vehicules.selectors import RegistryRefusal
from titres.vehicules.services.cession import declare_cession

from .factories import BUYER
from .test_pro_stock import GARAGE_SIRET, YESTERDAY, bought, pro

pytestmark = pytest.mark.django_db


@pytest.fixture
def terminated(client, django_capture_on_commit_callbacks):
    habilitation = pro(client, number="SIV-08-0042")
    user_pk = habilitation.user.pk
    kept = bought(habilitation)
    resold = bought(habilitation)
    declare_resale(
        entry=resold,
        habilitation=habilitation,
        sold_at=timezone.now(),
        mileage=61500,
        buyer=BUYER,
        actor=habilitation.user,
        mail=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        terminate_habilitation(
            habilitation=habilitation, actor=UserFactory(is_staff=True, is_superuser=True)
        )
    return {"habilitation": habilitation, "user_pk": user_pk, "kept": kept, "resold": resold}


def test_the_purchases_stay_detached_from_the_deleted_account(terminated):
    entries = StockVehicle.objects.filter(pk__in=(terminated["kept"].pk, terminated["resold"].pk))
    assert entries.count() == 2
    for entry in entries:
        assert entry.owner_id is None
        assert entry.detached_filer["raison_sociale"] == "Garage du Centre"
        assert entry.detached_filer["siret"] == GARAGE_SIRET
        assert entry.detached_filer["habilitation"] == "SIV-08-0042"
        assert entry.habilitation_number == "SIV-08-0042"
        assert entry.seller_name  # the registry's record is whole
    resold = StockVehicle.objects.get(pk=terminated["resold"].pk)
    assert resold.resale is not None and resold.resale.seller_id is None
    assert not StockVehicle.objects.get(pk=terminated["kept"].pk).in_stock
    event = AuditEvent.objects.get(event="accounts.habilitation_terminated")
    assert event.data["vehicules"]["declarations_d_achat_detachees"] == 2
    assert event.data["vehicules"]["vehicules_sortis_du_stock"] == 1


def test_nobody_reaches_a_detached_purchase(client, terminated):
    newcomer = HabilitationFactory(user__username=terminated["habilitation"].username).user
    client.force_login(newcomer)
    entry = terminated["kept"]
    assert client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk])).status_code == 404
    assert client.get(reverse("vehicules:pro_stock_revente", args=[entry.pk])).status_code == 404
    assert (
        entry.vehicle.plate_display
        not in client.get(reverse("vehicules:pro_stock")).content.decode()
    )


def test_another_professional_may_buy_a_vehicle_left_in_a_terminated_stock(terminated):
    vehicle = terminated["kept"].vehicle
    other = HabilitationFactory(organisation_name="Garage de la Gare", siret="73282932000074")
    entry = bought(other, vehicle)
    assert entry.owner == other.user and entry.in_stock
    # Its holder sold it: their declaration of sale is still refused.
    with pytest.raises(RegistryRefusal) as refused:
        declare_cession(
            vehicle=vehicle,
            seller=UserFactory(),
            seller_names=("MOREAU", "Jeanne"),
            sold_at=timezone.make_aware(datetime.combine(YESTERDAY, time(12, 0))),
            mileage=62000,
            buyer=BUYER,
            actor=None,
        )
    assert refused.value.code == "in_stock"


HOLDS_PURCHASES = (
    "Ce compte ne peut pas être supprimé : il détient des déclarations d’achat "
    "(véhicules de son stock, revendus compris), que le registre conserve. Seule la "
    "résiliation de l’habilitation du professionnel permet de le supprimer : "
    "contactez le service client de l’ANTS."
)


def test_an_account_holding_purchases_is_not_deleted_without_the_termination(client):
    habilitation = pro(client)
    bought(habilitation)
    with pytest.raises(AccountError) as refused:
        delete_account(user=habilitation.user, actor=habilitation.user)
    # The purchases are the reason, not « démarches en cours » (it has none).
    assert str(refused.value) == HOLDS_PURCHASES
    assert StockVehicle.objects.get().owner == habilitation.user
    assert not AuditEvent.objects.filter(event="accounts.account_deleted").exists()


def test_a_resold_purchase_still_refuses_the_deletion(client):
    habilitation = pro(client)
    declare_resale(
        entry=bought(habilitation),
        habilitation=habilitation,
        sold_at=timezone.now(),
        mileage=61500,
        buyer=BUYER,
        actor=habilitation.user,
        mail=False,
    )
    with pytest.raises(AccountError) as refused:
        delete_account(user=habilitation.user, actor=UserFactory(is_staff=True))
    assert str(refused.value) == HOLDS_PURCHASES


def test_the_professional_deleting_their_own_account_reads_why_it_is_refused(client):
    from tests.accounts.factories import PASSWORD

    habilitation = pro(client)
    bought(habilitation)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert HOLDS_PURCHASES in response.content.decode().replace("&#x27;", "'")
    assert StockVehicle.objects.get().owner.pk == habilitation.user.pk


def test_an_account_whose_purchases_were_detached_is_deleted(terminated):
    """The termination detaches the purchases first: the deletion goes
    through (the refusal is only for an account that still holds them)."""
    from titres.accounts.models import User

    assert not User.objects.filter(pk=terminated["user_pk"]).exists()
