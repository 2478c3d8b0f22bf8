"""Helpers to drive the licence request through the web wizard."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.procedures import samples
from titres.procedures.enums import DocumentStatus
from titres.procedures.models import Demarche

from .factories import EPhotoFactory

CODE = "permis-de-conduire"

ETAT_CIVIL = {
    "nom_naissance": "Corneille",
    "nom_usage": "",
    "sexe": "M",
    "prenoms": ["Pierre", ""],
    "date_naissance": "01/01/1956",
    "lieu_naissance": "france",
    "commune_naissance": "Nancy",
    "departement_naissance": "54",
    "pays_naissance": "",
    "neph": "",
}
ADRESSE = {
    "numero": "66",
    "extension": "",
    "type_voie": "rue",
    "nom_voie": "du Pas",
    "complement": "",
    "code_postal": "54000",
    "commune": "Nancy",
    "prefecture": "",
    "email": "pierre.corneille@example.fr",
    "mobile": "06 12 34 56 78",
    "consentement_information": "non",
}
PERTE = {
    "date_perte": "02/03/2024",
    "lieu_perte": "Nancy",
    "circonstances": "Perdu au marché",
    "attestation": "on",
}


def step_url(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def start(client) -> Demarche:
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302, response
    demarche = Demarche.objects.filter(procedure_code=CODE).latest("created_at")
    assert response.url == step_url(demarche, "motif")
    return demarche


def post(client, demarche, slug, data=None, action="next"):
    return client.post(step_url(demarche, slug), {**(data or {}), "action": action})


def upload(client, demarche, code, pages=1, capture=None):
    """Upload a PDF for rule `code`; the antivirus task runs on commit."""
    data = {
        "file": SimpleUploadedFile(f"{code}.pdf", samples.pdf(pages), "application/pdf"),
        "next": step_url(demarche, "pieces"),
    }
    url = reverse("procedures:upload", args=[demarche.number, code])
    if capture is None:
        response = client.post(url, data)
        demarche.documents.filter(code=code).update(status=DocumentStatus.VALIDE)
        return response
    with capture(execute=True):
        return client.post(url, data)


def stamp(**overrides):
    from titres.paiements.services import sell_stamp_at_counter

    purpose = overrides.pop("purpose", "permis_perte_vol")
    stamp = sell_stamp_at_counter(purpose=purpose, email="acheteur@example.fr", actor=None)
    if overrides.get("expired"):
        from titres.paiements.models import Stamp

        Stamp.objects.filter(pk=stamp.pk).update(valid_until=timezone.now() - timedelta(days=1))
        stamp.refresh_from_db()
    return stamp


def fill_until_documents(client, demarche, motif, *, etat_civil=None, adresse=None, photo=None):
    """Steps 1 to 4 (and, for a loss, the declaration of step 5); returns the
    e-photo used."""
    assert post(client, demarche, "motif", {"motif": motif}).status_code == 302
    response = post(client, demarche, "etat_civil", {**ETAT_CIVIL, **(etat_civil or {})})
    assert response.status_code == 302, response.context["form"].errors
    response = post(client, demarche, "adresse", {**ADRESSE, **(adresse or {})})
    assert response.status_code == 302, response.context["form"].errors
    photo = photo or EPhotoFactory()
    response = post(client, demarche, "photo", {"code_ephoto": photo.code})
    assert response.status_code == 302, response.context["form"].errors
    if motif == "perte":
        # The sworn loss declaration is part of step 5 (Pièces justificatives):
        # "Enregistrer" stores it and stays on the step for the uploads.
        response = post(client, demarche, "pieces", PERTE, action="save")
        assert response.status_code == 302, response.context["form"].errors
    return photo


def submit(client, demarche, attestation=True):
    """ "Valider ma demande" on the récapitulatif (the engine's step view)."""
    data = {"action": "submit"}
    if attestation:
        data["attestation"] = "on"
    return client.post(step_url(demarche, "recapitulatif"), data)
