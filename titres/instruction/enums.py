from django.db import models
from django.utils.translation import gettext_lazy as _

from titres.procedures.enums import Role, Status


class AgentRole(models.TextChoices):
    """Roles an agent holds on the files of one authority (subset of the
    engine's roles)."""

    AGENT_INSTRUCTEUR = Role.AGENT_INSTRUCTEUR.value, _("Agent instructeur")
    CHEF_DE_SERVICE = Role.CHEF_DE_SERVICE.value, _("Chef de service")
    LECTURE_SEULE = Role.LECTURE_SEULE.value, _("Agent en lecture seule")


# Roles that may act (transitions); lecture seule only reads.
ACTING_ROLES = frozenset({AgentRole.AGENT_INSTRUCTEUR, AgentRole.CHEF_DE_SERVICE})


class Tab(models.TextChoices):
    A_TRAITER = "a_traiter", _("À traiter")
    EN_ATTENTE = "en_attente", _("En attente usager")
    TRAITEES = "traitees", _("Traitées")
    TOUTES = "toutes", _("Toutes")


TAB_STATUSES = {
    Tab.A_TRAITER: [Status.EN_COURS, Status.VALIDEE],
    Tab.EN_ATTENTE: [Status.EN_ATTENTE_USAGER],
    Tab.TRAITEES: [Status.REJETEE, Status.EN_PRODUCTION, Status.TERMINEE, Status.ABANDONNEE],
    Tab.TOUTES: None,
}


class RejectReason(models.TextChoices):
    """Reasons offered to the agent when rejecting any file (plus free
    text); each procedure adds those of its own checks (`reject_reasons`
    of its ProcedureDefinition: SNPC, SIV, civil status…), listed between
    the first and the others (`services.reject_reasons`)."""

    PIECES_NON_CONFORMES = "pieces_non_conformes", _("Pièces justificatives non conformes")
    FRAUDE = "fraude", _("Suspicion de fraude documentaire")
    HORS_COMPETENCE = "hors_competence", _("Demande hors de la compétence de l’autorité")
    AUTRE = "autre", _("Autre motif")


class ProductionStatus(models.TextChoices):
    COMMANDE = "commande", _("Commande transmise à la fabrication")
    FABRIQUE = "fabrique", _("Titre fabriqué")
    EXPEDIE = "expedie", _("Titre expédié")
    LIVRE = "livre", _("Titre remis")
    ERREUR = "erreur", _("Erreur de fabrication")


class SortOrder(models.TextChoices):
    ANCIENNES = "anciennes", _("Date de demande (plus anciennes d’abord)")
    RECENTES = "recentes", _("Date de demande (plus récentes d’abord)")
    NOM = "nom", _("Nom")
    MODIFICATION = "modification", _("Date de modification (plus récentes d’abord)")


class EnrolmentKind(models.TextChoices):
    """What an agent holds, besides the password, to enrol a second factor."""

    LINK = "lien", _("Lien envoyé par courriel")
    CODE = "code", _("Code d’activation remis par un opérateur")


# The tabs' and roles' labels as text in each language, translated once per
# process: the work list showed four lazy tab labels and a lazy role label,
# each translated again on every page, about 200 calls (docs/capacity.md
# ninth pass (a)). Translations do not change while a process runs.
_LABELS: dict[str | None, dict[tuple[str, str], str]] = {}


def labels_in_language() -> dict[tuple[str, str], str]:
    """{("tab", value): label, ("role", value): label} in the active language."""
    from django.utils.translation import get_language

    language = get_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = {("tab", tab.value): str(tab.label) for tab in Tab}
        labels.update({("role", role.value): str(role.label) for role in AgentRole})
        _LABELS[language] = labels
    return labels


def role_label(role: str) -> str:
    """`AgentRole(role).label` as text (ValueError for an unknown role, as
    the enum)."""
    label = labels_in_language().get(("role", role))
    return label if label is not None else AgentRole(role).label
