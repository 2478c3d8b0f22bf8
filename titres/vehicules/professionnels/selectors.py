"""The professional's files: only their own (another professional's file
is a 404 like any stranger's), with the vehicle and the client."""

from __future__ import annotations

from titres.procedures.selectors import demarches_owned_by

from ..certificat.adresse import CODE as ADDRESS_CHANGE
from ..certificat.duplicata import CODE as DUPLICATE
from ..changement.procedure import CODE as CHANGE_OF_HOLDER
from ..neuf.state import CODE as NEW_VEHICLE

# The procedures a professional files for clients, in the menu's order.
PRO_PROCEDURES = (CHANGE_OF_HOLDER, NEW_VEHICLE, ADDRESS_CHANGE, DUPLICATE)


def pro_files(user):
    return (
        demarches_owned_by(user)
        .filter(procedure_code__in=PRO_PROCEDURES)
        .select_related(
            "changement_titulaire__vehicle",
            "operation_certificat__vehicle",
            "immatriculation_neuf__vehicle",
        )
        .order_by("-updated_at", "-id")
    )
