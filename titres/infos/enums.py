from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    FAQ = "faq", _("Question fréquente")
    GUIDE = "guide", _("Guide « Tout savoir »")
    ACTUALITE = "actualite", _("Actualité")


class ArticleStatus(models.TextChoices):
    BROUILLON = "brouillon", _("Brouillon")
    PUBLIE = "publie", _("Publié")


class Topic(models.TextChoices):
    """What a question is about: the FAQ page groups questions by topic."""

    COMPTE = "compte", _("Mon compte")
    PERMIS = "permis", _("Permis de conduire")
    IMMATRICULATION = "immatriculation", _("Immatriculation")
    IDENTITE = "identite", _("Carte d’identité et passeport")
    TIMBRES = "timbres", _("Timbres électroniques et paiement")
    GENERAL = "general", _("Le portail")
