"""Résultats du permis de conduire: what anybody holding a candidate's
NEPH and birth date may learn from the national file (SNPC) — the theory
test (ETG) and practical test results — and, for a pass, the certificat
d'examen du permis de conduire (CEPC) as a PDF with a signed 2D-Doc of
the specification's type AD (docs/twoddoc.md), valid four months.

No account is needed: the pair NEPH + birth date is the key. A wrong pair
gets the same message whether the NEPH exists or not, and the lookups,
right or wrong, are counted per IP address.

The PDF's link carries a signed token (the practical test) valid for
`TOKEN_MAX_AGE`: nothing is stored; the lookup is journaled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core import ratelimit
from titres.core.journal import client_ip, record_event

from .audit import PermisEvent
from .models import LicenceRecord, PracticalTest, TheoryTest

LOOKUP_LIMIT = "10/hour"
SIGNING_SALT = "permis.resultats"
TOKEN_MAX_AGE = 30 * 60
UNKNOWN = gettext_lazy(
    "Aucun résultat ne correspond à ce numéro de dossier (NEPH) et à cette date de naissance : "
    "vérifiez-les sur votre attestation d’inscription."
)


class LookupRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def count_lookup(request) -> None:
    """At most `LOOKUP_LIMIT` lookups per IP address: the pair is a secret
    nobody may guess by trying."""
    ip = client_ip(request)
    if ip and not ratelimit.hit("permis:resultats:ip", ip, LOOKUP_LIMIT):
        raise LookupRefused(
            _(
                "Trop de consultations de résultats depuis votre connexion : "
                "réessayez dans une heure."
            )
        )


def find_record(neph: str, birth_date: date) -> LicenceRecord:
    """The file of this pair, or `LookupRefused(UNKNOWN)`: an unknown NEPH
    and a wrong birth date read the same."""
    record = LicenceRecord.objects.filter(neph=neph, birth_date=birth_date).first()
    if record is None:
        raise LookupRefused(UNKNOWN)
    return record


@dataclass(frozen=True)
class Results:
    record: LicenceRecord
    theory_tests: list[TheoryTest]
    practical_tests: list[PracticalTest]
    on: date

    def cepc_valid(self, test: PracticalTest) -> bool:
        return bool(test.passed and test.cepc_valid_until and test.cepc_valid_until >= self.on)


def results_for(record: LicenceRecord, *, request=None) -> Results:
    record_event(
        PermisEvent.EXAM_RESULTS_CONSULTED,
        request=request,
        target=record,
        data={"neph": record.neph},
    )
    return Results(
        record=record,
        theory_tests=list(record.theory_tests.order_by("-taken_on", "-id")),
        practical_tests=list(record.practical_tests.order_by("-taken_on", "-id")),
        on=timezone.localdate(),
    )


def cepc_token(test: PracticalTest) -> str:
    return signing.dumps({"t": test.pk, "r": test.record_id}, salt=SIGNING_SALT, compress=True)


def cepc_from_token(token: str) -> PracticalTest | None:
    """The passed test a valid token stands for, while its CEPC is still
    valid (None otherwise: bad token, expired link or expired CEPC)."""
    try:
        data = signing.loads(token[:400], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    test = (
        PracticalTest.objects.select_related("record")
        .filter(pk=data.get("t"), record_id=data.get("r"), passed=True)
        .exclude(cepc_number="")
        .first()
    )
    if test is None or not test.cepc_valid_until:
        return None
    if test.cepc_valid_until < timezone.localdate():
        return None
    return test
