import pytest

from titres.paiements import demo
from titres.paiements.enums import StampPurpose, StampState
from titres.paiements.models import Stamp

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_lists_a_permis_stamp_and_the_cards():
    first = demo.load()
    second = demo.load()
    assert Stamp.objects.filter(state=StampState.DISPONIBLE).count() == 3 * len(StampPurpose)
    roles = [c.role for c in second]
    assert "timbre fiscal (25 €, permis)" in roles
    permis = next(c for c in second if c.role == "timbre fiscal (25 €, permis)")
    assert Stamp.objects.get(number=permis.identifier).purpose == StampPurpose.PERMIS_PERTE_VOL
    assert sum(1 for c in first if c.role.startswith("carte de test")) == 5
