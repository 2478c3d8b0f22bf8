import datetime as dt
import functools
from typing import NamedTuple

from django.db import connection
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


class PartnerRecord(NamedTuple):
    """What the partner API reads of an SNPC file (no model instance: the
    API's busiest read, issue 20)."""

    birth_date: dt.date
    birth_name_normalised: str
    usage_name_normalised: str
    first_names_normalised: str
    state: str
    state_since: dt.date | None
    suspension_end: dt.date | None
    points_balance: int


class PartnerCategory(NamedTuple):
    category: str
    obtained_on: dt.date
    valid_until: dt.date | None


@functools.cache
def _partner_sql(vendor: str) -> str:
    """The file and its categories (LEFT JOIN: one row of NULLs when it has
    none) in one SELECT, written once from the models' column names: the
    ORM took longer to build the query than the database to run it."""
    record, category = LicenceRecord._meta, LicenceCategory._meta
    quote = connection.ops.quote_name
    columns = [f"r.{quote(record.get_field(name).column)}" for name in PartnerRecord._fields]
    columns += [f"c.{quote(category.get_field(name).column)}" for name in PartnerCategory._fields]
    # Only the models' own names, quoted; the NEPH is a parameter.
    return (
        f"SELECT {', '.join(columns)} FROM {quote(record.db_table)} r "  # noqa: S608
        f"LEFT JOIN {quote(category.db_table)} c "
        f"ON c.{quote(category.get_field('record').column)} = r.{quote(record.pk.column)} "
        f"WHERE r.{quote(record.get_field('neph').column)} = %s "
        f"ORDER BY c.{quote(category.get_field('obtained_on').column)}, "
        f"c.{quote(category.pk.column)}"
    )


def record_for_partner(
    *, neph: str, birth_name: str, first_names, birth_date, statement_timeout_ms: int | None = None
):
    """(the SNPC file of NEPH `neph`, its categories by date obtained), as
    PartnerRecord and PartnerCategory, when the civil status given matches
    it (birth or usage name, first names, birth date, compared normalised),
    else None. For the partner API (titres/partenaires), which must not
    learn whether the NEPH exists when the identity does not match.

    One query, no model instance (issue 20). `statement_timeout_ms`
    (PostgreSQL, outside any transaction): the limit set in the same query
    string, one exchange with the database (partenaires' Call.lookup)."""
    from titres.core.normalisation import normalise_first_names, normalise_name

    from .identifiers import compact

    with connection.cursor() as cursor:
        sql = _partner_sql(connection.vendor)
        if statement_timeout_ms is not None:
            sql = f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}; {sql}"
        cursor.execute(sql, [compact(neph)])
        if statement_timeout_ms is not None:
            cursor.nextset()  # the SET's empty result, then the SELECT's rows
        rows = cursor.fetchall()
    if not rows:
        return None
    width = len(PartnerRecord._fields)
    record = PartnerRecord(*rows[0][:width])
    if record.birth_date != birth_date:
        return None
    name = normalise_name(birth_name)
    if name not in {record.birth_name_normalised, record.usage_name_normalised} - {""}:
        return None
    if normalise_first_names(first_names) != record.first_names_normalised:
        return None
    categories = [PartnerCategory(*row[width:]) for row in rows if row[width] is not None]
    return record, categories
