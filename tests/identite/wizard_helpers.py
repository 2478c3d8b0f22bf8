"""Drive the pré-demande through the web wizard."""

from django.urls import reverse

from titres.procedures.models import Demarche

CODE = "identite-predemande"

ETAT_CIVIL = {
    "nom_naissance": "Durand",
    "nom_usage": "",
    "prenoms": ["Léa", "Marie"],
    "sexe": "F",
    "date_naissance": "12/04/1990",
    "code_postal_naissance": "69001",
    "commune_naissance": "Lyon",
    "pays_naissance": "",
    "nationalite": "filiation",
}
DESCRIPTION = {"taille": "168", "yeux": "marron"}
ADRESSE = {
    "adresse": "12 rue de la République",
    "complement": "",
    "code_postal": "69001",
    "commune": "Lyon",
    "email": "lea.durand@example.fr",
    "telephone": "06 12 34 56 78",
}
PARENTS = {
    "pere_nom": "Durand",
    "pere_prenoms": "Paul",
    "pere_date_naissance": "01/02/1960",
    "pere_lieu_naissance": "Lyon",
    "pere_nationalite": "française",
    "mere_inconnu": "on",
}
ANCIEN_TITRE = {
    "numero": "18AB12345",
    "date_delivrance": "01/03/2015",
    "autorite": "Préfecture du Rhône",
}
PERTE = {
    "date_perte": "02/03/2026",
    "lieu_perte": "Lyon",
    "circonstances": "Perdu dans le métro",
    "declaration_perte": "on",
}
VOL = {"numero_plainte": "PV-2026-00042", "date_vol": "05/05/2026"}
REPRESENTANT = {
    "nom": "Durand",
    "prenoms": ["Paul"],
    "date_naissance": "01/02/1960",
    "qualite": "pere",
    "exercice": "on",
}


def step_url(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def start(client) -> Demarche:
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302, response
    return Demarche.objects.filter(procedure_code=CODE).latest("created_at")


def post(client, demarche, slug, data=None, action="next"):
    return client.post(step_url(demarche, slug), {**(data or {}), "action": action})


def ok(response):
    assert response.status_code == 302, response.context["form"].errors
    return response


def fill(
    client,
    demarche,
    *,
    titre="passeport",
    motif="premiere",
    pour_qui="moi",
    etat_civil=None,
    extra=None,
):
    """Every step but the payment and the récapitulatif."""
    ok(post(client, demarche, "titre", {"titre": titre, "motif": motif, "pour_qui": pour_qui}))
    if pour_qui == "mineur":
        ok(post(client, demarche, "representant", REPRESENTANT))
    ok(post(client, demarche, "etat_civil", {**ETAT_CIVIL, **(etat_civil or {})}))
    ok(post(client, demarche, "description", DESCRIPTION))
    ok(post(client, demarche, "adresse", ADRESSE))
    ok(post(client, demarche, "parents", PARENTS))
    if motif != "premiere":
        ok(post(client, demarche, "ancien_titre", {**ANCIEN_TITRE, **(extra or {})}))


def stamp(purpose):
    from titres.paiements.services import sell_stamp_at_counter

    return sell_stamp_at_counter(purpose=purpose, email="acheteur@example.fr", actor=None)


def submit(client, demarche, attestation=True):
    data = {"action": "submit"}
    if attestation:
        data["attestation"] = "on"
    return client.post(step_url(demarche, "recapitulatif"), data)
