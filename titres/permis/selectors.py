from django.db.models import Prefetch

from .models import LicenceCategory, LicenceRecord, LicenceTitle, Photographer


def records_visible_to(user):
    """The SNPC files a citizen may read: only the one attached to their account."""
    if not user.is_authenticated:
        return LicenceRecord.objects.none()
    return LicenceRecord.objects.filter(holder_link__user=user).prefetch_related(
        Prefetch("categories", queryset=LicenceCategory.objects.order_by("obtained_on")),
        Prefetch("titles", queryset=LicenceTitle.objects.order_by("-issued_on")),
    )


def linked_record(user) -> LicenceRecord | None:
    return records_visible_to(user).first()


def active_photographers(*, departement: str | None = None):
    qs = Photographer.objects.filter(is_active=True)
    if departement:
        qs = qs.filter(departement_code=departement)
    return qs.order_by("departement_code", "commune", "name")
