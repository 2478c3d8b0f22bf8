"""What the annuaire app answers for in the right of access."""

COVERS: dict[str, str] = {}
EXEMPT = {
    "annuaire.Announcement": "annonce publiée par un opérateur (acte journalisé)",
    "annuaire.ImportReport": "rapport d’import d’un opérateur (acte journalisé)",
    "annuaire.MaintenanceMode": "mise en maintenance décidée par un opérateur (acte journalisé)",
}
