import factory

from titres.paiements import services
from titres.paiements.enums import StampPurpose
from titres.paiements.models import Stamp


class StampFactory(factory.Factory):
    """A stamp bought and paid (ledger included), optionally in a later state:
    StampFactory(reserved_by="demarche:1"), StampFactory(consumed_by=...),
    StampFactory(refunded=True), StampFactory(expired=True)."""

    class Meta:
        model = Stamp

    purpose = StampPurpose.PERMIS_PERTE_VOL
    email = factory.Sequence(lambda n: f"acheteur{n}@exemple.fr")
    reserved_by = None
    consumed_by = None
    refunded = False
    expired = False

    @classmethod
    def _create(cls, model_class, *, purpose, email, reserved_by, consumed_by, refunded, expired):
        stamp = services.sell_stamp_at_counter(purpose=purpose, email=email, actor=None)
        if reserved_by:
            services.reserve_stamp(
                number=stamp.number, purpose=purpose, holder=reserved_by, actor=None
            )
        if consumed_by:
            services.consume_stamp(
                number=stamp.number, holder=consumed_by, purpose=purpose, actor=None
            )
        if refunded:
            services.refund_stamp(number=stamp.number, email=email, actor=None)
        if expired:
            from django.utils import timezone

            Stamp.objects.filter(pk=stamp.pk).update(valid_until=timezone.now())
            services.expire_stamps()
        stamp.refresh_from_db()
        return stamp
