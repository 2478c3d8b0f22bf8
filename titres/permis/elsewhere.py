"""Licence requests this portal does not handle, listed on "Nouvelle
demande" > Permis de conduire with who handles them (never a dead end).
Registered by PermisConfig.ready()."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from titres.procedures.elsewhere import ElsewhereRequest, register_elsewhere
from titres.procedures.enums import Category


def _directory(kind: str) -> str:
    return f"{reverse('annuaire:directory')}?types={kind}"


ITEMS = [
    ElsewhereRequest(
        category=Category.PERMIS,
        code="permis-international",
        title=_("Permis de conduire international"),
        where=_(
            "Demandé en ligne à l’Agence nationale des titres sécurisés (ANTS) par le "
            "titulaire d’un permis français qui réside en France, pour conduire hors de "
            "l’Union européenne."
        ),
        url="https://ants.gouv.fr",
        url_label=_("Site de l’ANTS (ants.gouv.fr)"),
    ),
    ElsewhereRequest(
        category=Category.PERMIS,
        code="permis-contestation",
        title=_("Contester une contravention ou un retrait de points"),
        where=_(
            "Auprès de l’Agence nationale de traitement automatisé des infractions (ANTAI), "
            "avec le numéro de l’avis de contravention."
        ),
        url="https://www.antai.gouv.fr",
        url_label=_("Site de l’ANTAI (antai.gouv.fr)"),
    ),
    ElsewhereRequest(
        category=Category.PERMIS,
        code="permis-restitution",
        title=_("Récupérer son permis après une suspension"),
        where=_(
            "Auprès de la préfecture ou du service indiqué dans la décision de suspension, "
            "avec l’avis du médecin agréé quand il est demandé. Après une annulation, il faut "
            "repasser l’examen : déposez une inscription au permis de conduire sur ce portail. "
            "Un point d’accueil numérique peut vous aider."
        ),
        url=lazy(_directory, str)("point_numerique"),
        url_label=_("Trouver un point d’accueil numérique"),
    ),
    ElsewhereRequest(
        category=Category.PERMIS,
        code="permis-controle-medical",
        title=_("Contrôle médical de l’aptitude à la conduite"),
        where=_(
            "Chez un médecin agréé par la préfecture de votre département (la préfecture en "
            "publie la liste). Son avis (cerfa n° 14880) est ensuite joint à la demande de titre."
        ),
    ),
    ElsewhereRequest(
        category=Category.PERMIS,
        code="permis-stage-points",
        title=_("Stage de récupération de points"),
        where=_(
            "Auprès d’un centre agréé de sensibilisation à la sécurité routière : le centre vous "
            "inscrit, et les points sont crédités dans le fichier national à la fin du stage."
        ),
    ),
]


def register() -> None:
    register_elsewhere(*ITEMS)
