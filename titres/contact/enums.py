from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    DEMANDE = "demande", _("Demande de renseignement")
    RECLAMATION = "reclamation", _("Réclamation")


class Category(models.TextChoices):
    COMPTE = "compte", _("Mon compte")
    DEMARCHE = "demarche", _("Une démarche (avec son numéro)")
    PAIEMENT = "paiement", _("Un paiement ou un timbre fiscal électronique")
    MAIRIE = "mairie", _("Une demande de compte mairie")
    AUTRE = "autre", _("Autre question")


class Channel(models.TextChoices):
    FORMULAIRE = "formulaire", _("Formulaire en ligne")
    LETTRE_RECOMMANDEE = "lettre_recommandee", _("Lettre recommandée avec accusé de réception")


class TicketStatus(models.TextChoices):
    NOUVEAU = "nouveau", _("Nouveau")
    EN_COURS = "en_cours", _("En cours")
    REPONDU = "repondu", _("Répondu")
    CLOS = "clos", _("Clos")


class AuthorKind(models.TextChoices):
    USAGER = "usager", _("Usager")
    OPERATEUR = "operateur", _("ANTS")
