"""Certificat de situation administrative (« certificat de non-gage »):
what anybody holding a vehicle's card may learn about it — gages,
oppositions, theft, suspension, damage (VE/VGE), number of successive
holders, first registration — shown as a page and as a PDF with a signed
2D-Doc of the portal's type Z2 (docs/twoddoc.md).

No account is needed: the plate and the card's secret (numéro de formule
for a SIV certificate, date du CI for FNI) are the key, checked with the
same selectors and messages as the change of holder, and the lookups are
counted per IP address. A wrong pair reveals nothing of the vehicle.

The PDF's link carries a signed token (vehicle, certificate number, day
of issue) valid for `TOKEN_MAX_AGE`: nothing is stored, and the
certificate number is in the journal event of the lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core import numbering, ratelimit
from titres.core.journal import client_ip, record_event

from .audit import VehiculesEvent
from .enums import HolderRole, SituationKind
from .models import Situation, Vehicle
from .selectors import RegistryRefusal, vehicles_with_registry

LOOKUP_LIMIT = "10/hour"
SIGNING_SALT = "vehicules.situation"
TOKEN_MAX_AGE = 30 * 60
# The seller hands the buyer a certificate of less than 15 days (arrêté du
# 9 février 2009 relatif aux modalités d'immatriculation des véhicules):
# the 2D-Doc expires with it.
VALIDITY = timedelta(days=15)

# The lines of the certificate, in the order of the real one, with the
# code written in the 2D-Doc's ZA field when the inscription is active.
LINES = (
    (SituationKind.GAGE, "GAGE"),
    (SituationKind.OPPOSITION, "OTCI"),
    (SituationKind.VOL, "VOL"),
    (SituationKind.SUSPENSION, "SUSPENSION"),
    (SituationKind.VE, "VE"),
    (SituationKind.VGE, "VGE"),
)
# ZA's code of an annulled registration (not a line of the real certificate).
ANNULLED_CODE = "ANNULEE"


@dataclass(frozen=True)
class SituationLine:
    kind: str
    label: str
    situations: list[Situation]

    @property
    def active(self) -> bool:
        return bool(self.situations)


@dataclass(frozen=True)
class SituationReport:
    vehicle: Vehicle
    number: str
    issued_on: date
    lines: list[SituationLine]
    holders_count: int
    sale_declared: bool
    # A first registration annulled (the dealer's file rejected or
    # abandoned, services/reverts.cancel_first_registration): the number is
    # no valid registration, whatever the other lines say.
    annulment: Situation | None = None

    @property
    def annulled(self) -> bool:
        return self.annulment is not None

    @property
    def clear(self) -> bool:
        return not self.annulled and not any(line.active for line in self.lines)

    @property
    def valid_until(self) -> date:
        return self.issued_on + VALIDITY

    @property
    def codes(self) -> str:
        """The 2D-Doc's ZA value: the active inscriptions, or AUCUNE; an
        annulled registration first (`ANNULEE`), so that a reader of the
        signed data never takes the number for a valid registration."""
        codes = [code for (kind, code) in LINES if self.line(kind).active]
        if self.annulled:
            codes.insert(0, ANNULLED_CODE)
        return "/".join(codes) or "AUCUNE"

    def line(self, kind) -> SituationLine:
        return next(line for line in self.lines if line.kind == kind)


def count_lookup(request) -> None:
    """At most `LOOKUP_LIMIT` lookups per IP address, right or wrong: the
    pair is a secret nobody may guess by trying."""
    ip = client_ip(request)
    if ip and not ratelimit.hit("vehicules:situation:ip", ip, LOOKUP_LIMIT):
        raise RegistryRefusal(
            _(
                "Trop de demandes de certificat de situation depuis votre connexion : "
                "réessayez dans une heure."
            ),
            code="too_many_lookups",
        )


def report_for(vehicle: Vehicle, *, number: str, issued_on: date) -> SituationReport:
    active = vehicle.active_situations()
    # Each change of holder closes the titulaire row and opens one.
    titulaires = [h for h in vehicle.holders.all() if h.role == HolderRole.TITULAIRE]
    return SituationReport(
        vehicle=vehicle,
        number=number,
        issued_on=issued_on,
        lines=[
            SituationLine(
                kind=kind,
                label=SituationKind(kind).label,
                situations=[s for s in active if s.kind == kind],
            )
            for kind, _code in LINES
        ],
        holders_count=len(titulaires),
        sale_declared=any(s.kind == SituationKind.CEDE for s in active),
        annulment=next((s for s in active if s.kind == SituationKind.ANNULEE), None),
    )


def issue(vehicle: Vehicle, *, request=None) -> tuple[SituationReport, str]:
    """A new certificate for `vehicle` (its card was checked): the report
    and the PDF link's token. Journaled with its number."""
    number = numbering.generate(prefix="CS", length=9)
    today = timezone.localdate()
    record_event(
        VehiculesEvent.SITUATION_CERTIFICATE_ISSUED,
        request=request,
        target=vehicle,
        data={"immatriculation": vehicle.plate, "numero": number},
    )
    token = signing.dumps(
        {"v": vehicle.pk, "n": number, "d": today.isoformat()}, salt=SIGNING_SALT, compress=True
    )
    return report_for(vehicle, number=number, issued_on=today), token


def report_from_token(token: str) -> SituationReport | None:
    """The report a still-valid token stands for (None: bad or expired).
    The situation is read again: the PDF says what the registry says."""
    try:
        data = signing.loads(token[:400], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    vehicle = vehicles_with_registry().filter(pk=data.get("v")).first()
    if vehicle is None:
        return None
    return report_for(vehicle, number=data["n"], issued_on=date.fromisoformat(data["d"]))
