"""Helpers to drive the inscription au permis de conduire through the wizard."""

from datetime import date

from django.urls import reverse

from titres.permis.inscription.procedure import CODE
from titres.procedures.models import Demarche

from .factories import EPhotoFactory
from .wizard_helpers import ADRESSE, ETAT_CIVIL, post, step_url, submit, upload

CANDIDATE = {
    **{k: v for k, v in ETAT_CIVIL.items() if k != "neph"},
    "nom_naissance": "Lefort",
    "sexe": "F",
    "prenoms": ["Camille", ""],
    "date_naissance": "14/05/2007",
}
CANDIDATE_ADRESSE = {**ADRESSE, "email": "camille.lefort@example.fr"}


def start(client) -> Demarche:
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302, response
    demarche = Demarche.objects.filter(procedure_code=CODE).latest("created_at")
    assert response.url == step_url(demarche, "etat_civil")
    return demarche


def fill(client, demarche, *, etat_civil=None, categories=None, aac=False):
    response = post(client, demarche, "etat_civil", {**CANDIDATE, **(etat_civil or {})})
    assert response.status_code == 302, response.context["form"].errors
    response = post(client, demarche, "adresse", CANDIDATE_ADRESSE)
    assert response.status_code == 302, response.context["form"].errors
    data = {"categories": categories or ["B"]}
    if aac:
        data["aac"] = "on"
    response = post(client, demarche, "categories", data)
    assert response.status_code == 302, response.context["form"].errors
    photo = EPhotoFactory()
    response = post(client, demarche, "photo", {"mode_photo": "ephoto", "code_ephoto": photo.code})
    assert response.status_code == 302, response.context["form"].errors
    return photo


def upload_all(client, demarche):
    from titres.procedures.documents import rules_for

    demarche.refresh_from_db()
    for rule in rules_for(demarche):
        upload(client, demarche, rule.code)


def file_inscription(client, **kwargs) -> Demarche:
    demarche = start(client)
    fill(client, demarche, **kwargs)
    upload_all(client, demarche)
    response = submit(client, demarche)
    assert response.status_code == 302, response
    demarche.refresh_from_db()
    return demarche


def birth(years_ago: int, *, days: int = 0) -> str:
    from django.utils import timezone

    from titres.permis.models import add_years

    today = timezone.localdate()
    day = add_years(today, -years_ago)
    return date.fromordinal(day.toordinal() + days).strftime("%d/%m/%Y")
