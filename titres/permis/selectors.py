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


def record_for_partner(*, neph: str, birth_name: str, first_names, birth_date):
    """(the SNPC file of NEPH `neph`, its categories by date obtained) when
    the civil status given matches it (birth or usage name, first names,
    birth date, compared normalised), else None. For the partner API
    (titres/partenaires), which must not learn whether the NEPH exists when
    the identity does not match.

    One query in the usual case: the categories joined to their file (the
    API's busiest read, issue 20); the file alone when it has none."""
    from titres.core.normalisation import normalise_first_names, normalise_name

    from .identifiers import compact

    neph = compact(neph)
    categories = list(
        LicenceCategory.objects.filter(record__neph=neph)
        .select_related("record")
        .order_by("obtained_on", "pk")
    )
    record = categories[0].record if categories else LicenceRecord.objects.filter(neph=neph).first()
    if record is None or record.birth_date != birth_date:
        return None
    name = normalise_name(birth_name)
    if name not in {record.birth_name_normalised, record.usage_name_normalised} - {""}:
        return None
    if normalise_first_names(first_names) != record.first_names_normalised:
        return None
    return record, categories
