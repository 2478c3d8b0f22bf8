"""Résultats du permis de conduire: public, NEPH + birth date are the key,
ETG and practical results shown, the CEPC PDF with a 2D-Doc AD valid four
months that the portal's verifier accepts, a wrong pair reveals nothing,
counted per IP address."""

import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from titres.core import twoddoc
from titres.core.models import AuditEvent
from titres.permis import exams, results
from titres.permis.cepc_pdf import cepc_twoddoc
from titres.permis.enums import LicenceState
from titres.permis.identifiers import make_neph

from .factories import LicenceRecordFactory

pytestmark = pytest.mark.django_db
URL = reverse("permis:results")
UNKNOWN = (
    "Aucun résultat ne correspond à ce numéro de dossier (NEPH) et à cette date de naissance : "
    "vérifiez-les sur votre attestation d’inscription."
)


def _candidate(*, pass_days_ago=10):
    record = LicenceRecordFactory(
        birth_name="LEFÈVRE",
        first_names="Anne, Marie",
        birth_date=date(2005, 4, 9),
        state=LicenceState.EN_FORMATION,
        points_balance=0,
    )
    today = timezone.localdate()
    exams.record_theory_test(
        record=record, taken_on=today - timedelta(days=400), passed=False, centre="Nancy"
    )
    exams.record_theory_test(
        record=record,
        taken_on=today - timedelta(days=pass_days_ago + 200),
        passed=True,
        centre="Nancy",
    )
    failed = exams.record_practical_test(
        record=record,
        category="B",
        taken_on=today - timedelta(days=pass_days_ago + 20),
        passed=False,
        centre="Laxou",
    )
    passed = exams.record_practical_test(
        record=record,
        category="B",
        taken_on=today - timedelta(days=pass_days_ago),
        passed=True,
        centre="Laxou",
    )
    return record, failed, passed


def _post(client, record, **data):
    return client.post(
        URL, {"neph": record.neph, "birth_date": f"{record.birth_date:%d/%m/%Y}", **data}
    )


def _anonymised(response, neph):
    body = response.content.decode().replace(neph, "NEPH")
    body = body.replace("10/04/2005", "DATE").replace("09/04/2005", "DATE")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return re.sub(r'nonce="[^"]*"', "", body)


def test_the_form_is_public(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Résultats du permis de conduire" in response.content.decode()


def test_pass_and_fail_are_shown_with_the_cepc_link(client):
    record, failed, passed = _candidate()
    response = _post(client, record)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Épreuve théorique générale (code)" in body
    assert body.count("Défavorable") == 2  # one ETG, one practical test
    assert body.count(">Favorable<") == 2
    assert f"telecharger-cepc-{passed.pk}" in body
    assert f"telecharger-cepc-{failed.pk}" not in body
    found = response.context["results"]
    assert [t.passed for t in found.practical_tests] == [True, False]
    event = AuditEvent.objects.get(event="permis.exam_results_consulted")
    assert event.data == {"neph": record.neph}


def test_the_cepc_pdf_and_its_2d_doc_verify(client):
    record, _failed, passed = _candidate()
    rows = _post(client, record).context["practical_rows"]
    token = next(r["token"] for r in rows if r["test"] == passed)
    pdf = client.get(reverse("permis:results_cepc", args=[token]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert passed.cepc_number in pdf["Content-Disposition"]

    result = twoddoc.verify(cepc_twoddoc(results.cepc_from_token(token)))
    assert result.authentic, result.message
    assert result.doc_type.code == "AD"
    values = result.values()
    assert values["62"] == "LEFEVRE"
    assert values["60"] == "ANNE/MARIE"
    assert values["E9"] == passed.cepc_number
    assert values["EA"] == "P" and values["ED"] == "B"
    assert values["EC"] == passed.taken_on
    assert values["D4"] == exams.cepc_valid_until(passed.taken_on)
    # Four calendar months after the exam (relativedelta clips to a shorter month's end).
    assert values["D4"] == passed.taken_on + relativedelta(months=4)
    assert values["D3"] == passed.taken_on


def test_the_verification_page_accepts_the_cepc(client):
    _record, _failed, passed = _candidate()
    response = client.post(reverse("core:twoddoc_verify"), {"texte": cepc_twoddoc(passed)})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.authentic, result.message


def test_four_months_after_the_exam_the_cepc_is_expired(client):
    record, _failed, passed = _candidate(pass_days_ago=130)
    response = _post(client, record)
    body = response.content.decode()
    assert f"telecharger-cepc-{passed.pk}" not in body
    assert (
        f"Le certificat d’examen (CEPC) n’est plus valable depuis le "
        f"{passed.cepc_valid_until:%d/%m/%Y} (quatre mois après l’examen)."
    ) in body
    # An old link stops at the CEPC's end too.
    assert results.cepc_from_token(results.cepc_token(passed)) is None
    assert twoddoc.verify(cepc_twoddoc(passed)).status == twoddoc.Status.EXPIRED


def test_a_bad_token_is_404(client):
    assert client.get(reverse("permis:results_cepc", args=["x:y"])).status_code == 404


def test_a_wrong_pair_reads_as_an_unknown_neph(client):
    record, _failed, _passed = _candidate()
    wrong_date = _post(client, record, birth_date="10/04/2005")
    unknown = make_neph(year=2020, departement="75", sequence=999)
    unknown_neph = client.post(URL, {"neph": unknown, "birth_date": "09/04/2005"})
    for response in (wrong_date, unknown_neph):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [UNKNOWN]
        assert "results" not in response.context
        body = response.content.decode()
        assert "LEFÈVRE" not in body and "Laxou" not in body
    # The two pages differ only by the typed NEPH and the CSRF token and CSP nonces.
    assert _anonymised(wrong_date, record.neph) == _anonymised(unknown_neph, unknown)
    assert not AuditEvent.objects.filter(event="permis.exam_results_consulted").exists()


def test_lookups_are_limited_per_ip_address(client):
    record, _failed, _passed = _candidate()
    for _ in range(10):
        _post(client, record, birth_date="01/01/2000")
    response = _post(client, record)
    assert response.context["form"].non_field_errors() == [
        "Trop de consultations de résultats depuis votre connexion : réessayez dans une heure."
    ]
    assert "results" not in response.context
    other = client.post(
        URL,
        {"neph": record.neph, "birth_date": f"{record.birth_date:%d/%m/%Y}"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.context["results"].record == record
