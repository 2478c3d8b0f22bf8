import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from titres.procedures.dashboard import dashboard_section
from titres.procedures.enums import Role, Status
from titres.procedures.workflow import apply_transition

from .factories import DemarcheFactory, agent

pytestmark = pytest.mark.django_db


def test_list_shows_number_kind_status_and_reprise(client, citizen):
    draft = DemarcheFactory(owner=citizen)
    waiting = DemarcheFactory(owner=citizen, awaiting=True)
    DemarcheFactory()  # someone else's
    page = client.get(reverse("procedures:list"))
    assert page.status_code == 200
    assert draft.display_number in page.text and waiting.display_number in page.text
    assert page.text.count("<tr>") == 3  # header + 2 rows
    assert "En attente télédéclarant" in page.text and "fr-badge--warning" in page.text
    assert "Brouillon" in page.text
    assert reverse("procedures:act", args=[waiting.number]) in page.text
    assert "Reprise" in page.text


def test_search_by_number_as_typed_and_filter_by_status(client, citizen):
    first = DemarcheFactory(owner=citizen)
    second = DemarcheFactory(owner=citizen, submitted=True)
    typed = first.display_number.lower().replace("-", " ")
    page = client.get(reverse("procedures:list"), {"q": typed})
    assert first.display_number in page.text and second.display_number not in page.text
    page = client.get(reverse("procedures:list"), {"status": Status.EN_COURS})
    assert second.display_number in page.text and first.display_number not in page.text


def test_list_query_count_does_not_grow(client, citizen):
    DemarcheFactory(owner=citizen)
    client.get(reverse("procedures:list"))  # warm-up (session, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("procedures:list"))
    DemarcheFactory.create_batch(15, owner=citizen, submitted=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("procedures:list"))
    assert len(many) == len(one)


def test_owner_sees_the_full_history(client, citizen):
    demarche = DemarcheFactory(owner=citizen, submitted=True)
    instructor = agent()
    apply_transition(
        demarche=demarche,
        event="demander_complement",
        actor=instructor,
        role=Role.AGENT_INSTRUCTEUR,
        comment="Photo illisible",
    )
    page = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert "Historique de la demande" in page.text
    assert "Demande déposée" in page.text
    assert "Demande suspendue : complément demandé" in page.text
    assert "Photo illisible" in page.text
    assert "Abandonner la démarche" not in page.text  # under instruction


def test_dashboard_section_lists_ongoing_files(rf, citizen):
    ongoing = DemarcheFactory(owner=citizen, submitted=True)
    DemarcheFactory(owner=citizen, abandoned=True)
    request = rf.get("/")
    request.user = citizen
    section = dashboard_section(request)
    assert section["template"] == "procedures/_dashboard.html"
    assert section["demarches"] == [ongoing]


def test_dashboard_page_renders_the_section(client, citizen):
    demarche = DemarcheFactory(owner=citizen, awaiting=True)
    page = client.get(reverse("core:dashboard"))
    assert "Mes démarches en cours" in page.text and demarche.display_number in page.text


def test_english_translation(client, citizen):
    DemarcheFactory(owner=citizen, awaiting=True)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("procedures:list"), headers={"accept-language": "en"})
    assert "My procedures" in page.text


def test_status_label_is_djangos_in_both_languages():
    """Demarche.get_status_display (a fast path) says what Django's own
    get_FOO_display says, for every status, in French and in English."""
    from django.db.models import Model
    from django.utils import translation

    from titres.procedures.models import Demarche

    field = Demarche._meta.get_field("status")
    for language in ("fr", "en"):
        with translation.override(language):
            for value in [*Status.values, "INCONNU"]:
                demarche = Demarche(status=value)
                assert demarche.get_status_display() == Model._get_FIELD_display(demarche, field)


def test_search_form_kept_only_while_empty_and_per_language(client, citizen, settings):
    """The empty search form of "Mes démarches" is rendered once per process
    and language; a search shows what was typed, never a stored copy."""
    from django.utils import translation

    url = reverse("procedures:list")
    assert 'name="q"' in client.get(url).text
    searched = client.get(url, {"q": "ABCD-1234"}).text
    assert 'value="ABCD-1234"' in searched
    assert "ABCD-1234" not in client.get(url).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        english = str(translation.gettext("Numéro de démarche"))
        all_statuses = str(translation.gettext("Tous les statuts"))
    page = client.get(url).text
    assert english in page and all_statuses in page
    assert english != "Numéro de démarche"
