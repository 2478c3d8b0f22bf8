import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.identite.enums import ApplicationStatus
from titres.identite.models import PreDemande
from titres.identite.procedure import rules
from titres.paiements.enums import StampState
from titres.procedures.enums import Status

from .wizard_helpers import PERTE, VOL, fill, ok, post, stamp, start, step_url, submit

pytestmark = pytest.mark.django_db


def applicable(demarche):
    from titres.procedures.registry import get_procedure

    demarche.refresh_from_db()
    return [s.slug for s in get_procedure("identite-predemande").applicable_steps(demarche)]


def born_years_ago(years: int) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - datetime.timedelta(days=10)).strftime(
        "%d/%m/%Y"
    )


def test_adult_passport_first_request_with_stamp(
    client, citizen, django_capture_on_commit_callbacks
):
    demarche = start(client)
    fill(client, demarche)
    assert applicable(demarche) == [
        "titre",
        "etat_civil",
        "description",
        "adresse",
        "parents",
        "paiement",
        "recapitulatif",
    ]
    response = client.get(step_url(demarche, "paiement"))
    assert "Numéro du timbre fiscal électronique — Passeport (86,00" in response.content.decode()
    wrong = stamp("cni_perte_vol")
    response = post(client, demarche, "paiement", {"timbre_passeport": wrong.number})
    assert response.status_code == 200
    good = stamp("passeport_majeur")
    ok(post(client, demarche, "paiement", {"timbre_passeport": good.number}))
    good.refresh_from_db()
    assert good.state == StampState.RESERVE
    response = submit(client, demarche)
    assert response.status_code == 302
    assert response.url == reverse("identite:confirmation", args=[demarche.number])
    demarche.refresh_from_db()
    good.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    assert demarche.authority is None  # the counter gives it to the CERT
    assert good.state == StampState.CONSOMME
    (predemande,) = demarche.predemandes.all()
    assert (predemande.title, predemande.motif, predemande.status) == (
        "passeport",
        "premiere",
        "validated",
    )
    assert (predemande.last_name, predemande.first_names) == ("DURAND", "Léa Marie")
    assert predemande.owner == citizen
    page = client.get(response.url).content.decode()
    assert predemande.number[:4] in page
    assert "data:image/svg+xml" in page
    assert "Prendre rendez-vous en mairie" in page
    pdf = client.get(reverse("identite:recapitulatif_pdf", args=[demarche.number]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_both_titles_give_two_numbers_and_renewal_of_an_id_card_is_free(client, citizen):
    demarche = start(client)
    fill(client, demarche, titre="les_deux", motif="renouvellement")
    assert "ancien_titre" in applicable(demarche)
    # Only the passport costs a stamp.
    assert [t for t, _p, _c in rules.stamps_due(demarche.answers)] == ["passeport"]
    ok(post(client, demarche, "paiement", {"timbre_passeport": stamp("passeport_majeur").number}))
    assert submit(client, demarche).status_code == 302
    assert sorted(demarche.predemandes.values_list("title", flat=True)) == ["cni", "passeport"]


def test_id_card_first_request_is_free_and_has_no_payment_step(client, citizen):
    demarche = start(client)
    fill(client, demarche, titre="cni")
    assert "paiement" not in applicable(demarche)
    assert "ancien_titre" not in applicable(demarche)
    assert submit(client, demarche).status_code == 302
    assert demarche.predemandes.get().title == "cni"


def test_loss_asks_the_sworn_declaration_and_a_25_euro_stamp_for_an_id_card(client, citizen):
    demarche = start(client)
    ok(post(client, demarche, "titre", {"titre": "cni", "motif": "perte", "pour_qui": "moi"}))
    response = client.get(step_url(demarche, "ancien_titre"))
    assert "Je déclare sur l’honneur avoir perdu mon titre" in response.content.decode()
    fill(client, demarche, titre="cni", motif="perte", extra=PERTE)
    response = post(
        client,
        demarche,
        "ancien_titre",
        {"numero": "", "date_delivrance": "", "autorite": "", **{**PERTE, "declaration_perte": ""}},
    )
    assert "Cochez la déclaration sur l’honneur pour continuer." in response.content.decode()
    demarche.refresh_from_db()
    assert rules.stamps_due(demarche.answers) == [("cni", "cni_perte_vol", 2500)]


def test_theft_asks_the_police_report_number(client, citizen):
    demarche = start(client)
    fill(client, demarche, titre="passeport", motif="vol", extra=VOL)
    demarche.refresh_from_db()
    assert demarche.answers["ancien_titre"]["numero_plainte"] == "PV-2026-00042"
    response = post(client, demarche, "ancien_titre", {"numero": "", "date_vol": "05/05/2026"})
    assert response.status_code == 200
    assert "numero_plainte" in response.context["form"].errors


def test_change_of_address_is_for_the_id_card_only(client, citizen):
    demarche = start(client)
    response = post(
        client, demarche, "titre", {"titre": "passeport", "motif": "adresse", "pour_qui": "moi"}
    )
    assert response.status_code == 200
    assert (
        "Le changement d’adresse ne concerne que la carte d’identité : le passeport ne porte pas d’adresse."
        in response.content.decode()
    )


def test_minor_filed_by_a_parent_with_the_minor_tariffs(client, citizen):
    demarche = start(client)
    fill(client, demarche, pour_qui="mineur", etat_civil={"date_naissance": born_years_ago(16)})
    assert "representant" in applicable(demarche)
    assert rules.stamps_due(demarche.answers) == [("passeport", "passeport_mineur_15_17", 4200)]
    ok(post(client, demarche, "etat_civil", {**_ec(born_years_ago(10))}))
    demarche.refresh_from_db()
    assert rules.stamps_due(demarche.answers) == [("passeport", "passeport_mineur_moins_15", 1700)]
    ok(
        post(
            client,
            demarche,
            "paiement",
            {"timbre_passeport": stamp("passeport_mineur_moins_15").number},
        )
    )
    assert submit(client, demarche).status_code == 302
    assert demarche.predemandes.get().status == ApplicationStatus.VALIDATED


def _ec(date):
    from .wizard_helpers import ETAT_CIVIL

    return {**ETAT_CIVIL, "date_naissance": date}


def test_a_minor_cannot_file_alone_and_an_adult_is_not_a_minor(client, citizen):
    demarche = start(client)
    ok(post(client, demarche, "titre", {"titre": "cni", "motif": "premiere", "pour_qui": "moi"}))
    response = post(client, demarche, "etat_civil", _ec(born_years_ago(12)))
    assert "Un mineur ne peut pas faire sa demande seul" in response.content.decode()
    ok(post(client, demarche, "titre", {"titre": "cni", "motif": "premiere", "pour_qui": "mineur"}))
    response = post(client, demarche, "etat_civil", _ec(born_years_ago(30)))
    assert "la personne doit avoir moins de 18 ans" in response.content.decode()


def test_birth_place_postal_code_must_match_the_commune(client, citizen):
    demarche = start(client)
    ok(post(client, demarche, "titre", {"titre": "cni", "motif": "premiere", "pour_qui": "moi"}))
    response = post(
        client, demarche, "etat_civil", {**_ec("12/04/1990"), "commune_naissance": "Marseille"}
    )
    assert response.status_code == 200
    assert "commune_naissance" in response.context["form"].errors
    ok(
        post(
            client,
            demarche,
            "etat_civil",
            {
                **_ec("12/04/1990"),
                "code_postal_naissance": "",
                "commune_naissance": "",
                "pays_naissance": "Maroc",
            },
        )
    )


def test_changing_the_title_gives_a_reserved_stamp_back(client, citizen):
    demarche = start(client)
    fill(client, demarche)
    bought = stamp("passeport_majeur")
    ok(post(client, demarche, "paiement", {"timbre_passeport": bought.number}))
    ok(post(client, demarche, "titre", {"titre": "cni", "motif": "premiere", "pour_qui": "moi"}))
    bought.refresh_from_db()
    assert bought.state == StampState.DISPONIBLE
    demarche.refresh_from_db()
    assert demarche.answers.get("paiement") == {}


def test_another_citizen_cannot_see_the_confirmation_or_the_pdf(client, citizen):
    from tests.accounts.factories import UserFactory

    demarche = start(client)
    fill(client, demarche, titre="cni")
    submit(client, demarche)
    client.force_login(UserFactory())
    assert client.get(reverse("identite:confirmation", args=[demarche.number])).status_code == 404
    assert (
        client.get(reverse("identite:recapitulatif_pdf", args=[demarche.number])).status_code == 404
    )


def test_abandoning_a_submitted_predemande_withdraws_its_number(client, citizen):
    from titres.procedures.services import abandon_demarche

    demarche = start(client)
    fill(client, demarche, titre="cni")
    submit(client, demarche)
    demarche.refresh_from_db()
    abandon_demarche(demarche=demarche, actor=citizen)
    assert PreDemande.objects.get().status == ApplicationStatus.EXPIRED
