"""The reasons offered to reject a file are those of its procedure's own
checks between the reasons common to every file."""

import pytest
from django.urls import reverse

from titres.core.models import AuditEvent
from titres.instruction import services
from titres.instruction.enums import RejectReason
from titres.procedures.enums import Status
from titres.procedures.registry import all_procedures

from .factories import PermisDemarcheFactory

pytestmark = pytest.mark.django_db


def test_a_licence_file_offers_the_snpc_reasons_around_the_common_ones(authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    codes = [code for code, _label in services.reject_reasons(demarche)]
    assert codes == [
        "pieces_non_conformes",
        "identite_incoherente",
        "droits",
        "photo",
        "fraude",
        "hors_competence",
        "autre",
    ]


def test_the_file_page_lists_the_licence_reasons(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    page = agent_client.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert "État civil incohérent avec le dossier SNPC" in page
    assert "Données du véhicule ou du titulaire incohérentes avec le SIV" not in page


def test_rejecting_a_licence_for_its_snpc_reason_writes_the_label(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    agent_client.post(
        reverse("instruction:action", args=[demarche.number, "rejeter"]),
        {"reason": "identite_incoherente", "text": "Date de naissance différente."},
    )
    demarche.refresh_from_db()
    assert demarche.status == Status.REJETEE
    change = demarche.history.last()
    assert change.comment == (
        "État civil incohérent avec le dossier SNPC. Date de naissance différente."
    )
    event = AuditEvent.objects.filter(data__event="rejeter").latest("pk")
    assert event.data["motif"] == "identite_incoherente"


def test_a_reason_of_another_procedure_is_refused(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = agent_client.post(
        reverse("instruction:action", args=[demarche.number, "rejeter"]),
        {"reason": "donnees_siv", "text": ""},
        follow=True,
    )
    assert "Choisissez un motif de rejet dans la liste." in response.content.decode()
    with pytest.raises(Exception, match="Choisissez un motif de rejet dans la liste."):
        services.reject_comment(demarche, "donnees_siv", "")
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_every_procedure_declares_distinct_reasons_apart_from_the_common_ones():
    common = set(RejectReason.values)
    for definition in all_procedures():
        codes = [code for code, _label in definition.reject_reasons]
        assert len(codes) == len(set(codes)), definition.code
        assert not common & set(codes), definition.code
        assert all(str(label) for _code, label in definition.reject_reasons), definition.code


def test_the_reject_form_renders_the_files_reasons(authority):
    """RejectForm sets its choices per file after DsfrBaseForm built the
    bound fields (PerFileForm.fields_changed): the rendering shows them."""
    from titres.instruction.forms import RejectForm

    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    html = str(RejectForm(demarche=demarche)["reason"])
    assert "État civil incohérent avec le dossier SNPC" in html
    assert "Pièces justificatives non conformes" in html
