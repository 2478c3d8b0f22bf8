"""Security review: a malformed `replaces` on a document upload was a 500."""

import pytest
from django.urls import reverse

from . import samples
from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["not-a-uuid", "ı", "1 OR 1=1", "00000000-0000-0000-0000-000000000000"]
)
def test_upload_with_a_bad_replaces_value_is_refused_in_french(client, citizen, value):
    demarche = DemarcheFactory(owner=citizen)
    response = client.post(
        reverse("procedures:upload", args=[demarche.number, "domicile"]),
        {"file": samples.upload(samples.pdf()), "replaces": value},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code < 500
    assert response.json() == {"ok": False, "error": "Le document à remplacer est introuvable."}
    assert not demarche.documents.exists()
