import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.core.models import AuditEvent
from titres.identite.enums import ApplicationStatus, AppointmentStatus
from titres.identite.errors import RegisterError
from titres.identite.models.delivery import DeliveryStatus, TitleDelivery
from titres.identite.services import counter
from titres.identite.services.appointments import book_appointment
from titres.procedures.enums import Status

from .factories import MairieFactory, PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def here():
    return bookable_device(name="Mairie de Lyon 1er", mairie=MairieFactory(username="lyon"))


@pytest.fixture
def mairie_client(client, here):
    client.force_login(here.meeting_point.mairie)
    return client


def submitted_demarche(owner, titles=("passeport",)):
    from tests.procedures.factories import DemarcheFactory

    demarche = DemarcheFactory(owner=owner, procedure_code="identite-predemande", submitted=True)
    return demarche, [
        PreDemandeFactory(demarche=demarche, owner=owner, title=t, first_names="Léa")
        for t in titles
    ]


def test_only_town_halls_reach_the_space(client, here):
    client.force_login(UserFactory())
    for name in ("identite:agenda", "identite:counter", "identite:deliveries"):
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse("identite:counter")).status_code == 302


def test_counter_finds_a_file_by_its_number_wherever_it_was_booked(mairie_client, here):
    elsewhere = bookable_device(name="Mairie de Bron")
    predemande = PreDemandeFactory()
    book_appointment(
        application_ids=[predemande.number],
        device=elsewhere,
        starts_at=next_slots(elsewhere, 1)[0],
        actor=None,
    )
    response = mairie_client.get(reverse("identite:counter"), {"numero": predemande.number.lower()})
    assert response.status_code == 302
    page = mairie_client.get(response.url).content.decode()
    assert predemande.last_name in page
    # Where the person booked elsewhere is not shown to this town hall.
    assert "Mairie de Bron" not in page
    assert AuditEvent.objects.filter(event="identite.counter_lookup").exists()


def test_counter_refusals(mairie_client):
    response = mairie_client.get(reverse("identite:counter"), {"numero": "ABC"})
    assert "n’est pas valide : il compte 10 caractères" in response.content.decode()
    unknown = PreDemandeFactory.build().number
    response = mairie_client.get(reverse("identite:counter"), {"numero": unknown})
    assert "Aucune pré-demande ne porte le numéro" in response.content.decode()
    assert mairie_client.get(reverse("identite:counter_file", args=[unknown])).status_code == 404


def test_dossier_recueilli_consumes_every_number_and_sends_the_file_to_the_cert(
    mairie_client, here
):
    citizen = UserFactory()
    demarche, (cni, passport) = submitted_demarche(citizen, titles=("cni", "passeport"))
    (appointment,) = book_appointment(
        application_ids=[cni.number, passport.number],
        device=here,
        starts_at=next_slots(here, 1)[0],
        actor=None,
    )
    response = mairie_client.post(
        reverse("identite:counter_file", args=[cni.number]), {"dispositif": here.pk}
    )
    assert response.status_code == 302
    cni.refresh_from_db()
    passport.refresh_from_db()
    appointment.refresh_from_db()
    demarche.refresh_from_db()
    assert (cni.status, passport.status) == (ApplicationStatus.CONSUMED, ApplicationStatus.CONSUMED)
    assert cni.consumed_device == here
    assert cni.consumed_by == here.meeting_point.mairie
    assert appointment.status == AppointmentStatus.HONOURED
    assert demarche.authority.code == "CERT-TES"
    with pytest.raises(RegisterError) as info:
        counter.record_collection(predemande=cni, device=here, actor=here.meeting_point.mairie)
    assert info.value.message.startswith("Ce dossier a déjà été recueilli le ")


def test_collection_elsewhere_cancels_the_appointment_of_the_other_town_hall(here):
    other = bookable_device(name="Autre")
    predemande = PreDemandeFactory()
    (appointment,) = book_appointment(
        application_ids=[predemande.number],
        device=other,
        starts_at=next_slots(other, 1)[0],
        actor=None,
    )
    counter.record_collection(predemande=predemande, device=here, actor=here.meeting_point.mairie)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_a_town_hall_cannot_record_on_another_town_halls_device(here):
    other = bookable_device()
    with pytest.raises(PermissionDenied):
        counter.record_collection(
            predemande=PreDemandeFactory(), device=other, actor=here.meeting_point.mairie
        )
    with pytest.raises(PermissionDenied):
        counter.record_collection(predemande=PreDemandeFactory(), device=here, actor=UserFactory())


@pytest.mark.parametrize("trait", ["expired", "declared"])
def test_a_number_not_validated_cannot_be_recorded(here, trait):
    with pytest.raises(RegisterError) as info:
        counter.record_collection(
            predemande=PreDemandeFactory(**{trait: True}),
            device=here,
            actor=here.meeting_point.mairie,
        )
    assert info.value.message.startswith("Cette pré-demande ne peut pas être recueillie : ")


def test_agenda_and_attendance(mairie_client, here):
    predemande = PreDemandeFactory(first_names="Zoé")
    (slot,) = next_slots(here, 1)
    (appointment,) = book_appointment(
        application_ids=[predemande.number], device=here, starts_at=slot, actor=None
    )
    day = timezone.localtime(slot).date().isoformat()
    page = mairie_client.get(reverse("identite:agenda"), {"du": day}).content.decode()
    assert "Zoé MARTIN" in page
    response = mairie_client.post(
        reverse("identite:attendance", args=[appointment.pk]), {"presence": "absent"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    # The number is bookable again.
    book_appointment(
        application_ids=[predemande.number],
        device=here,
        starts_at=next_slots(here, 1)[0],
        actor=None,
    )


def test_another_town_hall_cannot_mark_an_appointment(client, here):
    (appointment,) = book_appointment(
        application_ids=[PreDemandeFactory().number],
        device=here,
        starts_at=next_slots(here, 1)[0],
        actor=None,
    )
    client.force_login(MairieFactory())
    assert (
        client.post(
            reverse("identite:attendance", args=[appointment.pk]), {"presence": "honore"}
        ).status_code
        == 404
    )


def _delivered(here, owner=None):
    owner = owner or UserFactory(email="lea@example.fr")
    demarche, (predemande,) = submitted_demarche(owner)
    counter.record_collection(predemande=predemande, device=here, actor=here.meeting_point.mairie)
    from titres.procedures.models import Demarche

    Demarche.objects.filter(pk=demarche.pk).update(status=Status.EN_PRODUCTION)
    demarche.refresh_from_db()
    return demarche


def test_title_available_then_handed_over_ends_the_file(
    mairie_client, here, mailoutbox, django_capture_on_commit_callbacks
):
    demarche = _delivered(here)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = counter.title_available(demarche)
        assert counter.title_available(demarche) == delivery  # once
    assert [m.subject for m in mailoutbox] == ["Votre titre est disponible en mairie"]
    assert "Mairie de Lyon 1er" in mailoutbox[0].body
    page = mairie_client.get(reverse("identite:deliveries")).content.decode()
    assert demarche.display_number in page
    response = mairie_client.post(
        reverse("identite:delivery_action", args=[delivery.pk]), {"action": "remettre"}
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    demarche.refresh_from_db()
    assert delivery.status == DeliveryStatus.REMIS
    assert demarche.status == Status.TERMINEE


def test_uncollected_title_is_flagged_after_three_months_then_destroyed(here):
    demarche = _delivered(here)
    delivery = counter.title_available(demarche)
    mairie = here.meeting_point.mairie
    with pytest.raises(RegisterError) as info:
        counter.record_destruction(delivery=delivery, actor=mairie)
    assert (
        info.value.message
        == "Seul un titre non retiré depuis plus de trois mois peut être détruit."
    )
    assert counter.flag_uncollected(now=timezone.now() + datetime.timedelta(days=89)) == 0
    later = timezone.now() + datetime.timedelta(days=91)
    assert counter.flag_uncollected(now=later) == 1
    assert counter.flag_uncollected(now=later) == 0
    counter.record_destruction(delivery=delivery, actor=mairie)
    delivery.refresh_from_db()
    demarche.refresh_from_db()
    assert delivery.status == DeliveryStatus.DETRUIT
    assert demarche.status == Status.TERMINEE


def test_another_town_hall_cannot_hand_over(client, here):
    delivery = counter.title_available(_delivered(here))
    other = MairieFactory()
    with pytest.raises(PermissionDenied):
        counter.hand_over(delivery=delivery, actor=other)
    client.force_login(other)
    assert client.post(reverse("identite:delivery_action", args=[delivery.pk])).status_code == 404
    assert TitleDelivery.objects.get().status == DeliveryStatus.DISPONIBLE


@pytest.mark.parametrize("contact_email", ["lea@example.fr", ""])
def test_title_available_on_a_file_detached_from_a_terminated_professional(
    here, mailoutbox, django_capture_on_commit_callbacks, contact_email
):
    """A pré-demande a professional's account filed before the procedure
    was closed to professionals (test_who_files): once the habilitation is terminated
    the file has no owner (personal_data.detach); the notice goes to the
    contact given, or to nobody — never a crash on `demarche.owner`."""
    from tests.accounts.factories import HabilitationFactory
    from titres.accounts.services.habilitations import terminate_habilitation
    from titres.procedures.models import Demarche

    habilitation = HabilitationFactory()
    demarche = _delivered(here, owner=habilitation.user)
    Demarche.objects.filter(pk=demarche.pk).update(
        answers={"adresse": {"email": contact_email}} if contact_email else {}
    )
    terminate_habilitation(habilitation=habilitation, actor=UserFactory(is_staff=True))
    demarche.refresh_from_db()
    assert demarche.owner is None
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert counter.title_available(demarche) is not None
    assert [m.to for m in mailoutbox] == ([[contact_email]] if contact_email else [])
