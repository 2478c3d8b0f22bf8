"""The official forms (CERFA) of each procedure, as data.

`verified`: the number's meaning was checked against published sources
(service-public.fr sheets and prefectures' pages quoting them, December
2026); False means the form is known to be used in that procedure but its
exact title could not be confirmed: the page says so. Version suffixes
(*05, *02…) are not given: they change with each revision; the official
download always serves the current one.

`online` names the portal procedure that replaces the paper form when it
exists (the form is then not needed for an online request).

`procedures` names the portal procedures whose « Tout savoir » guide lists
the form. Empty: every procedure of its category (the licence and identity
forms, not narrowed yet). The vehicle forms are narrowed because a category
holds forms that exclude each other: 13749 is only for a new vehicle, 15776
only for a sale (service-public.fr F1726 for the duplicate: 13750 with the
« duplicata » box, and 13753 after a loss or theft)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from titres.procedures.enums import Category


@dataclass(frozen=True)
class Cerfa:
    number: str
    title: str
    purpose: str
    category: str
    verified: bool = True
    online: str = ""  # a procedure code of the portal, or ""
    procedures: tuple[str, ...] = ()


# The vehicle procedures a professional may file with a mandate (13757).
_MANDATED = (
    "vehicule-changement-titulaire",
    "vehicule-changement-adresse",
    "vehicule-duplicata",
    "vehicule-immatriculation-neuf",
)


FORMS: tuple[Cerfa, ...] = (
    # --- Immatriculation ------------------------------------------------------
    Cerfa(
        "13750",
        _("Demande de certificat d’immatriculation d’un véhicule"),
        _(
            "Immatriculer un véhicule d’occasion à son nom, changer l’adresse ou une "
            "caractéristique de la carte grise, demander un duplicata."
        ),
        Category.IMMATRICULATION,
        online="vehicule-changement-titulaire",
        procedures=(
            "vehicule-changement-titulaire",
            "vehicule-changement-adresse",
            "vehicule-duplicata",
        ),
    ),
    Cerfa(
        "13749",
        _("Demande de certificat d’immatriculation d’un véhicule neuf"),
        _("Première immatriculation d’un véhicule neuf (souvent faite par le vendeur)."),
        Category.IMMATRICULATION,
        procedures=("vehicule-immatriculation-neuf",),
    ),
    Cerfa(
        "13753",
        _("Déclaration de perte ou de vol d’un certificat d’immatriculation"),
        _(
            "Jointe à la demande de duplicata : remplie par le titulaire après une perte ; "
            "après un vol, remplie puis tamponnée par le commissariat ou la gendarmerie. "
            "Inutile pour une carte grise abîmée."
        ),
        Category.IMMATRICULATION,
        procedures=("vehicule-duplicata",),
    ),
    Cerfa(
        "15776",
        _("Certificat de cession d’un véhicule d’occasion"),
        _(
            "Rempli et signé par le vendeur et l’acheteur lors d’une vente ou d’un don ; il "
            "remplace depuis 2017 l’ancien formulaire 13754. Le vendeur déclare ensuite la "
            "cession en ligne."
        ),
        Category.IMMATRICULATION,
        procedures=("vehicule-changement-titulaire",),
    ),
    Cerfa(
        "13757",
        _("Mandat d’immatriculation"),
        _(
            "Autorise un professionnel de l’automobile habilité à faire la démarche "
            "d’immatriculation à votre place."
        ),
        Category.IMMATRICULATION,
        procedures=_MANDATED,
    ),
    # --- Permis de conduire -----------------------------------------------------
    Cerfa(
        "14866",
        _("Demande de permis de conduire (référence 02)"),
        _(
            "Inscription aux examens du permis de conduire et demande de titre ; l’école de "
            "conduite la dépose souvent pour le candidat."
        ),
        Category.PERMIS,
        online="permis-inscription",
    ),
    Cerfa(
        "14948",
        _("Demande de permis de conduire — format de l’Union européenne (référence 06)"),
        _(
            "Photo et signature du titulaire pour la fabrication du permis au format "
            "européen, jointe aux demandes sur papier."
        ),
        Category.PERMIS,
    ),
    Cerfa(
        "14880",
        _("Permis de conduire — avis médical"),
        _(
            "Rempli par un médecin agréé par la préfecture lorsque le contrôle médical "
            "d’aptitude à la conduite est obligatoire (catégories professionnelles, "
            "suspension, raison de santé)."
        ),
        Category.PERMIS,
    ),
    Cerfa(
        "14882",
        _("Demande de permis de conduire (perte, vol, duplicata)"),
        _(
            "Cité par les préfectures pour une demande de duplicata après une perte ; "
            "la démarche se fait désormais en ligne."
        ),
        Category.PERMIS,
        verified=False,
        online="permis-de-conduire",
    ),
    # --- Carte d'identité et passeport -----------------------------------------------
    Cerfa(
        "12100",
        _("Demande de carte nationale d’identité ou de passeport — personne majeure"),
        _("Formulaire papier remis en mairie ; la pré-demande en ligne le remplace."),
        Category.IDENTITE,
        online="identite-predemande",
    ),
    Cerfa(
        "12101",
        _("Demande de carte nationale d’identité ou de passeport — personne mineure"),
        _("Rempli par le représentant légal ; la pré-demande en ligne le remplace."),
        Category.IDENTITE,
        online="identite-predemande",
    ),
    Cerfa(
        "14011",
        _("Déclaration de perte d’une carte d’identité ou d’un passeport"),
        _(
            "Faite en mairie lors de la nouvelle demande ; en cas de vol, la déclaration "
            "se fait au commissariat ou à la gendarmerie."
        ),
        Category.IDENTITE,
    ),
)


def for_procedure(code: str, category: str) -> list[Cerfa]:
    """The forms a procedure's guide lists (see `procedures` above)."""
    return [
        form
        for form in FORMS
        if code in form.procedures or (not form.procedures and form.category == category)
    ]


def by_category() -> list[tuple[str, list[Cerfa]]]:
    return [
        (label, [form for form in FORMS if form.category == code])
        for code, label in Category.choices
        if any(form.category == code for form in FORMS)
    ]
