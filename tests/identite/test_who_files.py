"""Who starts an identity pré-demande: a private individual, for themselves
or a minor they represent; every other profile (a SIV professional first:
its account ends with its habilitation) is refused at the start and does
not see it in the catalogue (issue 18)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import HabilitationFactory, UserFactory
from titres.accounts.enums import Profile
from titres.core.models import AuditEvent
from titres.procedures.models import Demarche

from .wizard_helpers import CODE

pytestmark = pytest.mark.django_db

REFUSED = "Cette démarche n’est pas ouverte à votre profil."


def _start(client, user):
    client.force_login(user)
    return client.post(reverse("procedures:start", args=[CODE]), follow=True)


def _listed(client) -> bool:
    page = client.get(reverse("procedures:category", args=["identite"]))
    assert page.status_code == 200
    return reverse("procedures:start", args=[CODE]) in page.content.decode()


def test_a_private_individual_starts_a_predemande(client):
    citizen = UserFactory()
    response = _start(client, citizen)
    demarche = Demarche.objects.get(procedure_code=CODE)
    assert demarche.owner == citizen and demarche.is_draft
    assert demarche.number in response.redirect_chain[0][0]
    assert _listed(client)


def test_a_siv_professional_cannot_start_a_predemande(client):
    professional = HabilitationFactory().user
    assert professional.profile == Profile.PRO_SIV
    response = _start(client, professional)
    assert response.redirect_chain == [(reverse("procedures:new"), 302)]
    assert [str(m) for m in response.context["messages"]] == [REFUSED]
    assert not Demarche.objects.filter(procedure_code=CODE).exists()
    assert not AuditEvent.objects.filter(event="procedures.demarche_created").exists()
    assert not _listed(client)


@pytest.mark.parametrize(
    "profile",
    [
        Profile.AUTO_ECOLE,
        Profile.CENTRE_SENSIBILISATION,
        Profile.MAIRIE,
        Profile.PERSONNE_MORALE,
    ],
)
def test_no_other_profile_starts_a_predemande(client, profile):
    response = _start(client, UserFactory(profile=profile))
    assert [str(m) for m in response.context["messages"]] == [REFUSED]
    assert not Demarche.objects.filter(procedure_code=CODE).exists()


def test_a_terminated_professionals_predemande_draft_gives_its_stamp_back(
    client, django_capture_on_commit_callbacks
):
    """A draft a professional's account started before the rule above, with
    a stamp reserved: the termination deletes the draft
    (procedures.personal_data.detach) and the stamp goes back to
    « disponible » (identite.personal_data.release_drafts), so its buyer
    can use it or have it refunded."""
    from titres.accounts.services.habilitations import terminate_habilitation
    from titres.paiements.enums import StampState

    from .wizard_helpers import fill, ok, post, stamp, start

    client.force_login(UserFactory())
    demarche = start(client)
    fill(client, demarche)
    bought = stamp("passeport_majeur")
    ok(post(client, demarche, "paiement", {"timbre_passeport": bought.number}))
    bought.refresh_from_db()
    assert bought.state == StampState.RESERVE
    habilitation = HabilitationFactory()
    Demarche.objects.filter(pk=demarche.pk).update(owner=habilitation.user)

    with django_capture_on_commit_callbacks(execute=True):
        terminate_habilitation(
            habilitation=habilitation, actor=UserFactory(is_staff=True, is_superuser=True)
        )
    assert not Demarche.objects.filter(pk=demarche.pk).exists()
    bought.refresh_from_db()
    assert bought.state == StampState.DISPONIBLE and bought.holder == ""
    released = AuditEvent.objects.get(event="paiements.timbre_released")
    assert released.data == {"detenteur": f"demarche:{demarche.number}:timbre_passeport"}
