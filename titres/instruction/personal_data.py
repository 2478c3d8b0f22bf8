"""Hooks called by titres.accounts: an agent's memberships of instructing
authorities (right of access)."""

from .models import AgentMembership

COVERS = {
    "instruction.AgentMembership": "export: services instructeurs et rôle de l’agent",
}
EXEMPT = {
    "instruction.Assignment": "acte d’instruction (attribution d’un dossier), journalisé",
    "instruction.ProductionOrder": "ordre de fabrication d’un titre, acte d’instruction journalisé",
    "instruction.OtpEnrolment": "lien d’enrôlement à usage unique et de courte durée (sécurité)",
}


def export(user) -> list[dict] | None:
    memberships = AgentMembership.objects.filter(user=user).select_related("authority")
    return [
        {
            "service": membership.authority.name,
            "role": membership.get_role_display(),
            "depuis": membership.created_at.isoformat(),
        }
        for membership in memberships.order_by("created_at")
    ] or None
