from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """DESIGN.md §4: one state machine for every procedure.

    Labels are the wording shown to the citizen (seed 003)."""

    BROUILLON = "BROUILLON", _("Brouillon")
    ABANDONNEE = "ABANDONNEE", _("Abandonnée")
    EN_COURS = "EN_COURS", _("En cours / Analyse par le service instructeur")
    EN_ATTENTE_USAGER = "EN_ATTENTE_USAGER", _("En attente télédéclarant")
    REJETEE = "REJETEE", _("Rejetée")
    VALIDEE = "VALIDEE", _("En cours (validée)")
    EN_PRODUCTION = "EN_PRODUCTION", _("En cours de fabrication")
    TERMINEE = "TERMINEE", _("Terminée")


# Statuses after which nothing more happens to a file.
FINAL_STATUSES = frozenset({Status.ABANDONNEE, Status.REJETEE, Status.TERMINEE})
ONGOING_STATUSES = frozenset(set(Status) - FINAL_STATUSES)

# DSFR badge modifier per status (colour is never the only cue: the label is shown).
STATUS_BADGE = {
    Status.BROUILLON: "fr-badge--new",
    Status.ABANDONNEE: "",
    Status.EN_COURS: "fr-badge--info",
    Status.EN_ATTENTE_USAGER: "fr-badge--warning",
    Status.REJETEE: "fr-badge--error",
    Status.VALIDEE: "fr-badge--info",
    Status.EN_PRODUCTION: "fr-badge--info",
    Status.TERMINEE: "fr-badge--success",
}


class Role(models.TextChoices):
    """Who acts on a démarche. The role is checked against the actor:
    `usager` must own the file, agent roles come from the access policies
    (titres.procedures.access), `systeme` is the platform itself."""

    USAGER = "usager", _("Usager")
    AGENT_INSTRUCTEUR = "agent_instructeur", _("Agent instructeur")
    CHEF_DE_SERVICE = "chef_de_service", _("Chef de service")
    LECTURE_SEULE = "lecture_seule", _("Agent en lecture seule")
    SYSTEME = "systeme", _("Système")


AGENT_ROLES = frozenset({Role.AGENT_INSTRUCTEUR, Role.CHEF_DE_SERVICE, Role.LECTURE_SEULE})


class Category(models.TextChoices):
    IMMATRICULATION = "immatriculation", _("Immatriculation")
    PERMIS = "permis", _("Permis de conduire")
    IDENTITE = "identite", _("Carte d’identité et passeport")


class AuthorityKind(models.TextChoices):
    PREFECTURE = "prefecture", _("Préfecture")
    CERT = "cert", _("Centre d’expertise et de ressources titres (CERT)")


class DocumentStatus(models.TextChoices):
    EN_ANALYSE = "en_analyse", _("Analyse en cours")
    VALIDE = "valide", _("Document valide")
    INFECTE = "infecte", _("Document infecté : supprimé")
    REFUSE = "refuse", _("Document refusé")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    DEMANDE_COMPLEMENT = "demande_complement", _("Demande de complément")
    REPONSE_COMPLEMENT = "reponse_complement", _("Recueil complémentaire")
