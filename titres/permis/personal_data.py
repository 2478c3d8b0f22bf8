"""Hooks called by titres.accounts: the licence file linked to the account
and the e-photos used in its requests (right of access)."""

from .models import EPhoto, LicenceHolderLink, Photographer

COVERS = {
    "permis.LicenceHolderLink": "export; effacé avec le compte (CASCADE)",
    "permis.EPhoto": "export: e-photos utilisées dans les demandes du compte",
    "permis.Photographer": "export: photographes agréés dont le compte est membre",
}
EXEMPT = {
    "permis.StageSession": "session organisée par un centre agréé (activité professionnelle)",
}


def export(user) -> dict:
    link = LicenceHolderLink.objects.filter(user=user).select_related("record").first()
    return {
        "dossier_permis_lie": {
            "neph": link.record.neph,
            "lie_le": link.linked_at.isoformat(),
        }
        if link
        else None,
        "photographe_agree": [
            {"nom": p.name, "numero_agrement": p.approval_number, "commune": p.commune}
            for p in Photographer.objects.filter(users=user).order_by("name")
        ],
        "e_photos": [
            {
                "code": photo.code,
                "utilisee_le": photo.used_at.isoformat() if photo.used_at else None,
                "dans_la_demande": photo.used_reference,
            }
            for photo in EPhoto.objects.filter(used_by=user).order_by("used_at")
        ],
    }
