"""Where a place a person typed lies: "08000", "Charleville-Mézières",
"08000 Charleville-Mézières" (or the INSEE code picked in a list), as a
search origin from the commune centres (geo.CommuneCentre).

One resolver, so the directory's search and the appointments' slot search
(titres/identite) place the same words at the same point and refuse them
with the same messages."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from titres.core.normalisation import normalise_commune
from titres.permis.communes import communes_for_postal_code, search_communes

from . import geo

LEADING_POSTAL_CODE = re.compile(r"^\s*(\d{5})\s*(.*)$")


class PlaceNotFound(ValueError):
    """The message to show next to the field; `candidates` are the
    communes to pick from when the name is ambiguous."""

    def __init__(self, message: str, candidates=()):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates)


def origin_of_place(place: str, insee: str = "") -> geo.Origin:
    """The search origin of `place`, or PlaceNotFound with the reason."""
    place = (place or "").strip()
    match = LEADING_POSTAL_CODE.match(place)
    postal_code, name = (match.group(1), match.group(2).strip()) if match else ("", place)
    if insee:
        communes = [c for c in communes_for_postal_code(postal_code) if c.insee_code == insee]
        if not communes:
            from titres.permis.models import Commune

            communes = list(Commune.objects.filter(insee_code=insee).order_by("postal_code")[:1])
        return _from_communes(communes)
    if postal_code:
        communes = list(communes_for_postal_code(postal_code))
        if not communes:
            raise PlaceNotFound(_("Le code postal %(code)s n’existe pas.") % {"code": postal_code})
        if name:
            wanted = normalise_commune(name)
            named = [c for c in communes if c.name_normalised == wanted]
            if not named:
                raise PlaceNotFound(
                    _("La commune « %(name)s » ne correspond pas au code postal %(code)s.")
                    % {"name": name, "code": postal_code}
                )
            communes = named
        return _from_communes(communes, label=postal_code if not name else None)
    if not name:
        raise PlaceNotFound(
            _("Indiquez un code postal ou une commune, ou utilisez « Autour de moi ».")
        )
    found = list(search_communes(name, limit=30))
    wanted = normalise_commune(name)
    candidates = [c for c in found if c.name_normalised == wanted] or found
    if not candidates:
        raise PlaceNotFound(_("Aucune commune ne correspond à « %(name)s ».") % {"name": name})
    if len({c.insee_code for c in candidates}) > 1:
        raise PlaceNotFound(
            _("Plusieurs communes correspondent à « %(name)s » : choisissez-la dans la liste.")
            % {"name": name},
            candidates[:15],
        )
    return _from_communes(candidates)


def _from_communes(communes, label=None) -> geo.Origin:
    """The mean of the communes' centres (a postal code shared by several
    communes lies between them)."""
    centres = [c for c in (geo.centre_of(c.insee_code) for c in communes) if c]
    if not centres:
        raise PlaceNotFound(_("Nous ne savons pas situer cette commune sur la carte."))
    lat = sum(c[0] for c in centres) / len(centres)
    lon = sum(c[1] for c in centres) / len(centres)
    first = communes[0]
    return geo.Origin(lat, lon, label or f"{first.postal_code} {first.name}")
