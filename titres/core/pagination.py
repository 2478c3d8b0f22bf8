"""`page_of(queryset, per_page, number)`: what
`Paginator(queryset, per_page).get_page(number)` gives, without its COUNT
query when the page asked for is the last one (issue 17: most citizens'
"Mes démarches" fit on one page, and the COUNT was one of its three
queries).

The page's rows are read with one row more than a page: when that row is
missing, the page is the last and the count is known from it. Otherwise
(more pages, or a page past the end) the count is asked for as before."""

from django.core.paginator import Page, Paginator


def _number(number) -> int | None:
    """The page number as `Paginator.validate_number` reads it: 1 when it
    is not a whole number, None when it is below 1 (left to Django)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        number = int(number)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None


def page_of(queryset, per_page: int, number) -> Page:
    paginator = Paginator(queryset, per_page)
    wanted = _number(number)
    if wanted is None:
        return paginator.get_page(number)
    bottom = (wanted - 1) * per_page
    rows = list(queryset[bottom : bottom + per_page + 1])
    if len(rows) > per_page:  # more pages: the count tells how many
        return Page(rows[:per_page], wanted, paginator)
    if rows or wanted == 1:  # the last page (or an empty first one)
        paginator.count = bottom + len(rows)
        return Page(rows, wanted, paginator)
    return paginator.get_page(wanted)  # past the end: Django's last page
