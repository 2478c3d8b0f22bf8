"""Échange d'un permis étranger (issue 19): the dated country table, each
rule of the foreign licence step, the documents, and the SNPC file written
on validation with the foreign licence surrendered."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.instruction.factories import AgentMembershipFactory
from tests.procedures.factories import AuthorityFactory
from titres.core.models import AuditEvent
from titres.instruction import services as instruction
from titres.permis.echange import countries
from titres.permis.echange.procedure import CODE
from titres.permis.models import ForeignLicence, LicenceRecord, LicenceRequest, add_years
from titres.procedures.documents import rules_for
from titres.procedures.enums import Status
from titres.procedures.models import Demarche

from .factories import EPhotoFactory, LicenceCategoryFactory, LicenceRecordFactory, UserFactory
from .inscription_helpers import upload_all
from .wizard_helpers import ADRESSE, ETAT_CIVIL, post, step_url, submit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


@pytest.fixture
def agent():
    authority = AuthorityFactory(code="543", departements=["54"])
    user = AgentMembershipFactory(authority=authority).user
    user.is_verified = lambda: True
    return user


@pytest.fixture
def citizen(client):
    user = UserFactory(email="pierre.corneille@example.fr")
    client.force_login(user)
    return user


def _start(client):
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302
    demarche = Demarche.objects.filter(procedure_code=CODE).latest("created_at")
    assert response.url == step_url(demarche, "etat_civil")
    return demarche


def _foreign(**overrides):
    data = {
        "pays": "DE",
        "numero": "b072rrE2i55",
        "date_delivrance": "12/06/2010",
        "date_fin_validite": "",
        "date_installation": _d(TODAY() - timedelta(days=400)),
        "residence_normale": "on",
        "date_B": "12/06/2010",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _until_foreign(client, etat_civil=None):
    demarche = _start(client)
    response = post(client, demarche, "etat_civil", {**ETAT_CIVIL, **(etat_civil or {})})
    assert response.status_code == 302, response.context["form"].errors
    assert post(client, demarche, "adresse", ADRESSE).status_code == 302
    return demarche


def _file(client, etat_civil=None, **foreign):
    demarche = _until_foreign(client, etat_civil)
    response = post(client, demarche, "permis_etranger", _foreign(**foreign))
    assert response.status_code == 302, response.context["form"].errors
    photo = EPhotoFactory()
    response = post(client, demarche, "photo", {"mode_photo": "ephoto", "code_ephoto": photo.code})
    assert response.status_code == 302
    upload_all(client, demarche)
    return demarche


def _validate(demarche, agent, capture, *, transmit=False):
    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    with capture(execute=True):
        instruction.validate(demarche=demarche, agent=agent)
        if transmit:
            instruction.transmit(demarche=demarche, agent=agent)
    demarche.refresh_from_db()


# --- The table ------------------------------------------------------------------


def test_table_loads_with_eu_eea_and_dated_uk():
    table = countries.table()
    eee = [c for c in table.countries.values() if c.rule_on(TODAY()).zone == "eee"]
    assert len(eee) == 29  # the 26 other EU States + Iceland, Liechtenstein, Norway
    uk = table.countries["GB"]
    assert uk.rule_on(date(2020, 6, 1)).zone == "eee"
    assert uk.rule_on(date(2021, 1, 1)).zone == "reciprocite"
    assert uk.rule_on(date(2021, 1, 1)).sourced is False
    assert table.rule("AU", TODAY()).categories == ("A", "B")
    assert table.rule("UA", TODAY()).issued_before == date(1992, 1, 1)
    assert all(r.source for c in table.countries.values() for r in c.rules)


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ({"name": "X", "rules": [{"from": "2020-01-01", "zone": "eee"}]}, "without source"),
        ({"name": "X", "rules": [{"from": "2020-01-01", "zone": "lune", "source": "s"}]}, "zone"),
        (
            {
                "name": "X",
                "rules": [
                    {
                        "from": "2020-01-01",
                        "zone": "reciprocite",
                        "categories": ["Z"],
                        "source": "s",
                    }
                ],
            },
            "unknown category",
        ),
        (
            {
                "name": "X",
                "rules": [
                    {"from": "2021-01-01", "zone": "eee", "source": "s"},
                    {"from": "2020-01-01", "zone": "eee", "source": "s"},
                ],
            },
            "date order",
        ),
    ],
)
def test_table_mistakes_are_named(entry, error):
    import tomllib

    with countries.TABLE_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    data["country"] = {"XX": entry}
    with pytest.raises(ValueError, match=error):
        countries.parse_table(data)


# --- The foreign licence step ----------------------------------------------------------


def _refused(client, **foreign):
    demarche = _until_foreign(client)
    response = post(client, demarche, "permis_etranger", _foreign(**foreign))
    assert response.status_code == 200
    return response.text


def test_non_reciprocal_country_is_refused_with_what_to_do(client, citizen):
    text = _refused(client, pays="US-CA")
    assert (
        "Les permis délivrés par « États-Unis — Californie » ne sont pas échangés contre un "
        "permis français (pas d’accord de réciprocité). Pour conduire en France au-delà d’un "
        "an de résidence, il faut passer l’examen du permis de conduire français."
    ) in text
    text = _refused(client, pays="autre")
    assert "Les permis délivrés par un État ou une autorité absents de la liste" in text


def test_category_outside_the_reciprocity_list_is_refused(client, citizen):
    text = _refused(
        client,
        pays="AU",
        date_installation=_d(TODAY() - timedelta(days=100)),
        date_C="12/06/2010",
    )
    assert (
        "Le permis délivré par « Australie » n’est échangé que pour les catégories A, B : la "
        "catégorie C ne peut pas être échangée."
    ) in text


def test_outside_the_eu_the_year_after_installation_is_the_deadline(client, citizen):
    installed = TODAY() - timedelta(days=400)
    text = _refused(client, pays="JP", date_installation=_d(installed))
    deadline = add_years(installed, 1)
    assert (
        "Hors Union européenne, un permis n’est reconnu en France que pendant un an après "
        f"l’installation : la demande d’échange devait être déposée au plus tard le "
        f"{_d(deadline)}."
    ) in text


def test_outside_the_eu_the_licence_must_predate_installation(client, citizen):
    installed = TODAY() - timedelta(days=100)
    issued = _d(TODAY() - timedelta(days=50))
    text = _refused(
        client, pays="JP", date_installation=_d(installed), date_delivrance=issued, date_B=issued
    )
    assert (
        "Hors Union européenne, seul un permis obtenu avant l’installation en France (le "
        f"{_d(installed)}) peut être échangé."
    ) in text


def test_former_ussr_licences_only_before_1992(client, citizen):
    text = _refused(client, pays="UA", date_installation=_d(TODAY() - timedelta(days=30)))
    assert "Seuls les permis délivrés par « Ukraine » avant le 01/01/1992 sont échangés." in text


def test_prerequisite_category_must_be_declared(client, citizen):
    text = _refused(client, date_B="", date_BE="12/06/2010")
    assert "La catégorie BE suppose la catégorie B : indiquez aussi sa date d’obtention." in text


def test_at_least_one_category_and_normal_residence(client, citizen):
    text = _refused(client, date_B="", residence_normale=None)
    assert "Indiquez la date d’obtention d’au moins une catégorie du permis." in text
    assert "L’échange est réservé aux personnes qui ont leur résidence normale en France." in text


def test_expired_licence_and_category_after_issue(client, citizen):
    text = _refused(client, date_fin_validite="01/01/2020", date_B="13/06/2010")
    assert (
        "Ce permis n’est plus valable depuis le 01/01/2020 : il ne peut pas être échangé." in text
    )
    assert (
        "La catégorie B ne peut pas avoir été obtenue après la délivrance du permis (12/06/2010)."
    ) in text


# --- Documents -------------------------------------------------------------------------


def test_documents_eu_then_reciprocity_then_heavy(client, citizen):
    demarche = _until_foreign(client)
    post(client, demarche, "permis_etranger", _foreign())
    demarche.refresh_from_db()
    assert [r.code for r in rules_for(demarche)] == ["identite", "permis_etranger", "residence"]
    recent = _d(TODAY() - timedelta(days=100))
    post(client, demarche, "permis_etranger", _foreign(pays="JP", date_installation=recent))
    demarche.refresh_from_db()
    assert [r.code for r in rules_for(demarche)] == [
        "identite",
        "permis_etranger",
        "traduction",
        "residence",
    ]
    post(client, demarche, "permis_etranger", _foreign(date_C="12/06/2010"))
    demarche.refresh_from_db()
    assert "avis_medical" in [r.code for r in rules_for(demarche)]


# --- Validation writes the SNPC --------------------------------------------------------


def test_eu_licence_exchanged_creates_the_file_and_surrenders_the_licence(
    client, citizen, agent, django_capture_on_commit_callbacks
):
    demarche = _file(client, date_delivrance="01/10/2012", date_BE="01/09/2012")
    page = client.get(step_url(demarche, "recapitulatif"))
    assert "Allemagne" in page.text and "B (12/06/2010), BE (01/09/2012)" in page.text
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    request = LicenceRequest.objects.get(demarche=demarche)
    assert (request.motif, request.record, request.needs_review) == ("echange", None, False)

    _validate(demarche, agent, django_capture_on_commit_callbacks, transmit=True)
    record = LicenceRecord.objects.get(birth_name="CORNEILLE")
    assert (record.state, record.points_balance, record.probation_start) == ("valide", 12, None)
    assert record.neph.startswith(f"{TODAY():%y}54")
    assert {c.category: c.obtained_on for c in record.categories.all()} == {
        "B": date(2010, 6, 12),
        "BE": date(2012, 9, 1),
    }
    foreign = ForeignLicence.objects.get(record=record)
    assert (foreign.country_name, foreign.number, foreign.status) == (
        "Allemagne",
        "B072RRE2I55",
        "remis",
    )
    assert foreign.surrendered_on == TODAY()
    assert demarche.answers["neph"] == record.neph
    event = AuditEvent.objects.get(event="permis.foreign_licence_exchanged")
    assert event.data["categories"] == ["B", "BE"] and event.data["dossier_cree"] is True
    # The card is made on that file.
    assert demarche.status == Status.TERMINEE
    assert record.titles.filter(status="valide").count() == 1


def test_existing_french_file_is_completed(
    client, citizen, agent, django_capture_on_commit_callbacks
):
    record = LicenceRecordFactory()
    LicenceCategoryFactory(record=record, category="B", obtained_on=date(1974, 6, 12))
    demarche = _file(client, etat_civil={"neph": record.neph}, date_A="03/03/2009")
    assert submit(client, demarche).status_code == 302
    assert LicenceRequest.objects.get(demarche__pk=demarche.pk).record == record
    _validate(demarche, agent, django_capture_on_commit_callbacks)
    assert LicenceRecord.objects.count() == 1
    categories = {c.category: c.obtained_on for c in record.categories.all()}
    assert categories == {"B": date(1974, 6, 12), "A": date(2009, 3, 3)}
    assert record.foreign_licences.get().country_code == "DE"
    # Validating twice changes nothing.
    from titres.permis.echange.services import exchange_licence

    exchange_licence(demarche=demarche, actor=agent)
    assert ForeignLicence.objects.count() == 1 and record.categories.count() == 2


def test_recent_licence_keeps_its_probation(
    client, citizen, agent, django_capture_on_commit_callbacks
):
    obtained = TODAY() - timedelta(days=400)
    recent = _d(obtained)
    demarche = _file(client, date_delivrance=recent, date_B=recent)
    submit(client, demarche)
    _validate(demarche, agent, django_capture_on_commit_callbacks)
    record = LicenceRecord.objects.get(birth_name="CORNEILLE")
    assert record.probation_start == obtained and record.points_balance == 8


def test_holder_page_shows_the_surrendered_licence(
    client, citizen, agent, django_capture_on_commit_callbacks
):
    demarche = _file(client)
    submit(client, demarche)
    _validate(demarche, agent, django_capture_on_commit_callbacks)
    record = LicenceRecord.objects.get(birth_name="CORNEILLE")
    from titres.permis.services import link_licence_record

    link_licence_record(user=citizen, neph=record.neph, birth_date=record.birth_date)
    page = client.get(reverse("permis:record", args=[record.neph]))
    assert "Permis étrangers échangés" in page.text
    assert f"Remis à l’autorité le {_d(TODAY())}" in page.text


@pytest.mark.parametrize("profile", ["auto_ecole", "centre_sensibilisation", "pro_siv"])
def test_only_private_individuals_start_it(client, profile):
    client.force_login(UserFactory(profile=profile))
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.url == reverse("procedures:new")
    assert not Demarche.objects.filter(procedure_code=CODE).exists()
