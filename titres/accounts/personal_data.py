"""What the account's own export (services.account.export_personal_data)
answers for; the other apps declare theirs in their personal_data.py."""

COVERS = {
    "accounts.TermsAcceptance": "export: conditions générales acceptées",
    "accounts.Habilitation": "export: habilitation du professionnel",
    "core.AuditEvent": "export: entrées du journal dont le compte est l’auteur ou l’objet",
    "accounts.MairieAccountRequest": "export: demande d’ouverture de compte de mairie",
}
EXEMPT: dict[str, str] = {}
