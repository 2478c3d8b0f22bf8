"""A file filed by a professional for a client under mandate: who filed
it (shown on the file, the CPI and the accusé next to the holder), and the
client's e-mail when the professional gave an address."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from titres.core.notifications import notify_email

EMAILS = "vehicules/emails/"


def is_mandate(demarche) -> bool:
    return (demarche.acting_for or {}).get("qualite") == "professionnel_mandataire"


def filer_label(demarche) -> str:
    """« Télédéclarant » as printed on the documents: the professional and
    their habilitation, a trusted third party, or the holder themselves."""
    acting_for = demarche.acting_for or {}
    owner = demarche.owner
    if is_mandate(demarche):
        company = acting_for.get("professionnel") or (
            owner.organisation_name
            if owner
            else (demarche.detached_filer or {}).get("raison_sociale", "")
        )
        label = f"{company} (mandataire, habilitation SIV n° {acting_for.get('habilitation', '')})"
        if owner is None and demarche.detached_filer:
            label += " — habilitation résiliée"
        return label
    if owner is None:
        # The filer's account was deleted with its terminated habilitation.
        return demarche.detached_filer_label
    name = owner.get_full_name()
    return f"{name} (tiers de confiance)" if acting_for else name


def client_name(demarche) -> str:
    acting_for = demarche.acting_for or {}
    if acting_for.get("raison_sociale"):
        return acting_for["raison_sociale"]
    return f"{acting_for.get('nom', '').upper()} {acting_for.get('prenoms', '')}".strip()


def notify_client(demarche, record, *, filed: str) -> None:
    """The client's e-mail for every file a professional submits under
    mandate (change of holder, new vehicle, address change, duplicate),
    when the professional gave an address. Sent after the submission
    commits (notify_email queues on commit): the client learns that a file
    is registered in their name, by whom, and its number — the CPI, if one
    is issued, is the professional's to hand over; an address change's
    label comes by post.

    `filed` says what was filed (« une demande de changement
    d’adresse »): translated now, in the language the e-mail is rendered
    in (notify_email keeps the current one), since the task's context is
    JSON. `record` is the procedure's record: `vehicle`, `cpi_number`,
    `cpi_valid_until` and, for an address change, `label_number`."""
    acting_for = demarche.acting_for or {}
    email = acting_for.get("email")
    if not email:
        return
    valid_until = record.cpi_valid_until
    notify_email(
        template=EMAILS + "mandat_enregistre",
        to=email,
        context={
            "client": client_name(demarche),
            "professional": acting_for.get("professionnel", ""),
            "habilitation": acting_for.get("habilitation", ""),
            "operation": str(filed),
            "number": demarche.display_number,
            "plate": record.vehicle.plate_display,
            "cpi_number": record.cpi_number or "",
            "cpi_valid_until": f"{valid_until:%d/%m/%Y}" if valid_until else "",
            "label_number": getattr(record, "label_number", None),
            "site_url": settings.SITE_URL + reverse("core:home"),
        },
    )
