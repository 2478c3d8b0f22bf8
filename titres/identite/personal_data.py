"""Hooks called by titres.accounts: the ID pré-demandes and town-hall
appointments of the account, and a town hall's own meeting points (right of
access)."""

from titres.core.json_values import iso

from .models import Appointment, MeetingPoint, PreDemande

COVERS = {
    "identite.PreDemande": "export: pré-demandes du compte (owner)",
    "identite.Appointment": "export: rendez-vous pris par le compte",
    "identite.MeetingPoint": "export: lieux d’accueil du compte de mairie",
}
EXEMPT = {
    "identite.TitleDelivery": "acte d’un agent de mairie (journalisé), pas une donnée de l’agent",
}


def export(user) -> dict:
    return {
        "pre_demandes": [
            {
                "numero": pre.number,
                "titre": pre.get_title_display(),
                "motif": pre.motif,
                "statut": pre.get_status_display(),
                "nom": pre.last_name,
                "prenoms": pre.first_names,
                "date_de_naissance": iso(pre.birth_date),
                "creee_le": iso(pre.created_at),
                "expire_le": iso(pre.expires_at),
                "utilisee_en_mairie_le": iso(pre.consumed_at),
            }
            for pre in PreDemande.objects.filter(owner=user).order_by("created_at")
        ],
        "rendez_vous": [
            {
                "reference": appointment.reference,
                "lieu": appointment.meeting_point.name
                if appointment.meeting_point_id
                else appointment.external_meeting_point,
                "debut": iso(appointment.starts_at),
                "fin": iso(appointment.ends_at),
                "statut": appointment.get_status_display(),
                "courriel": appointment.email,
                "pris_le": iso(appointment.created_at),
            }
            for appointment in Appointment.objects.filter(booked_by=user)
            .select_related("meeting_point")
            .order_by("starts_at")
        ],
        "lieux_d_accueil": [
            {
                "nom": point.name,
                "adresse": f"{point.address}, {point.postal_code} {point.city_name}",
                "telephone": point.phone,
                "publie": point.is_published,
            }
            for point in MeetingPoint.objects.filter(mairie=user).order_by("name")
        ],
    }


def release_drafts(user) -> None:
    """Before a terminated professional's account is deleted (procedures'
    `detach` then deletes its drafts): a pré-demande draft gives back the
    stamps it reserved (`hooks.release_stamps` → paiements' `release_stamp`,
    journaled), else they would stay « réservé » until they expire, neither
    usable nor refundable by their buyer. An abandoned draft released them
    when it was abandoned."""
    from titres.procedures.enums import Status
    from titres.procedures.personal_data import never_filed

    from .procedure.definition import CODE
    from .procedure.hooks import release_stamps

    drafts = never_filed(user).filter(procedure_code=CODE, status=Status.BROUILLON)
    for demarche in drafts.iterator():
        release_stamps(demarche, keep_due=False)
