from datetime import date, datetime

from django import template
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from titres.core.numbering import _TYPO_MAP
from titres.core.rows import _PLACEHOLDER, Since, day, esc, number_url
from titres.procedures.enums import Status
from titres.procedures.hooks import motif_label as _motif_label
from titres.procedures.templatetags.procedures_tags import StatusBadges

from ..review import review_labels

register = template.Library()


@register.filter
def motif_label(code):
    """A declared motif as the agent reads it ("vol" → "Vol du titre")."""
    return _motif_label(str(code or "")) if code else ""


def _entry(demarche):
    try:
        return demarche.search_entry
    except ObjectDoesNotExist:
        return None


def _review_badge(label: str) -> str:
    """The badge of the file's procedure `review_flag` (its label for the
    number annotated by review.review_annotation), e.g. "Écart SNPC à
    vérifier"."""
    if not label:
        return ""
    return f' <p class="fr-badge fr-badge--sm fr-badge--warning">{esc(label)}</p>'


# The characters of a number that `esc`, `reverse` and `normalize` leave as
# they are: ASCII upper-case letters and digits without the look-alikes
# normalize maps (numbering.ALPHABET's, the numbers the database holds).
_PLAIN = frozenset(
    chr(code) for code in range(128) if chr(code).isalnum() and chr(code).upper() == chr(code)
) - frozenset(chr(code) for code in _TYPO_MAP)


@register.simple_tag
def worklist_rows(demarches, now, bulk_open):
    """The rows of the work list, built in Python (titres.core.rows says why):
    the same eleven cells the seed 002 list shows, the selection box for a
    chief's bulk actions first.

    A number of twelve plain characters (`_PLAIN`) needs no escaping
    and no `reverse`: its display form is its three groups, its link the
    detail page's address around it; any other goes the general way
    (`display_number`, `esc`, `reverse`), about twenty calls a row fewer
    (docs/capacity.md ninth pass (a); tests/instruction/test_worklist_templates.py
    compares both ways)."""
    detail_url = number_url("instruction:detail")
    prefix, suffix = (
        esc(part) for part in reverse("instruction:detail", args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    )
    motifs = {}
    new_badge = f' <p class="fr-badge fr-badge--sm fr-badge--new">{esc(_("Complément reçu"))}</p>'
    select_label = _("Sélectionner la demande %(n)s")
    see = esc(_("Voir"))
    status_badge = StatusBadges()
    badges = status_badge.badges
    review_badges = [_review_badge(label) for label in review_labels()]
    zone = timezone.get_current_timezone()
    since = Since(now)
    if isinstance(demarches, Page):
        # The page's rows as a list, as Page.__getitem__ makes them, without
        # its two checks per row when iterated (issue 17).
        if not isinstance(demarches.object_list, list):
            demarches.object_list = list(demarches.object_list)
        demarches = demarches.object_list
    rows = []
    for d in demarches:
        number = d.number
        if type(number) is str and len(number) == 12 and _PLAIN.issuperset(number):
            display = shown = f"{number[:4]}-{number[4:8]}-{number[8:]}"
            href = f"{prefix}{number}{suffix}"
        else:
            display = d.display_number
            shown = esc(display)
            href = esc(detail_url(number))
            number = esc(number)
        try:  # _entry(d), inline
            entry = d.search_entry
        except ObjectDoesNotExist:
            entry = None
        motif = entry.motif if entry else ""
        if motif not in motifs:
            motifs[motif] = esc(motif_label(motif))
        selection = ""
        if bulk_open:
            selection = (
                '<td><div class="fr-checkbox-group fr-checkbox-group--sm">'
                f'<input type="checkbox" id="sel-{number}" name="dossiers" value="{number}">'
                f'<label class="fr-label" for="sel-{number}"><span class="fr-sr-only">'
                f"{esc(select_label % {'n': display})}</span></label></div></td>"
            )
        completed = entry and entry.last_event == "completer" and d.status == Status.EN_COURS
        submitted = d.submitted_at
        elapsed = since(submitted) if submitted else ""
        if type(submitted) is datetime and submitted.utcoffset() is not None:
            # day(submitted, zone): an aware datetime shown in the current zone.
            local = submitted.astimezone(zone)
            submitted_day = f"{local.day:02d}/{local.month:02d}/{local.year:04d}"
        else:
            submitted_day = day(submitted, zone)
        if entry:
            birth = entry.birth_date
            # day(): a date is shown as it is (a datetime would be localised).
            birth = (
                f"{birth.day:02d}/{birth.month:02d}/{birth.year:04d}"
                if birth and type(birth) is date
                else day(birth)
            )
        badge = badges.get(d.status) or status_badge(d)
        rows.append(
            f"<tr>{selection}<td>{shown}</td>"
            f"<td>{esc(entry.last_name_display) if entry else ''}</td>"
            f"<td>{esc(entry.first_names_display) if entry else ''}</td>"
            f"<td>{birth if entry else ''}</td>"
            f"<td>{motifs[motif]}</td><td>{submitted_day}</td><td>{esc(elapsed)}</td>"
            f"<td>{badge}{new_badge if completed else ''}"
            f"{review_badges[d.review_flag]}</td>"
            f"<td>{esc(d.assigned_agent or '—')}</td>"
            f'<td><a class="fr-link" href="{href}">{see}'
            f'<span class="fr-sr-only"> {shown}</span></a></td></tr>\n'
        )
    if not rows:
        rows = [f'<tr><td colspan="11">{esc(_("Aucune demande."))}</td></tr>']
    return mark_safe("".join(rows))


def _number(value) -> str:
    """`{{ value }}` of an int: Django's `localize` (digits as they are
    unless USE_THOUSAND_SEPARATOR), without its per-call format lookups."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return esc(formats.localize(value))


_CURRENT_PAGE = 'aria-current="page"'
_TAB_WORDS: dict[str | None, tuple[str, str]] = {}
_CURRENT_TRUE = 'aria-current="true"'


@register.simple_tag
def worklist_tabs(tabs, tab, mine, mine_count):
    """The list's tabs and "Assignées à moi", as the `{% for %}` over the
    tabs gave them (its whitespace included): the loop, its lazy labels and
    the tags in it were about a thousand calls a page (docs/capacity.md,
    eighth pass (b)). Translations of literals are not escaped, as with
    `{% translate %}`."""
    mien = "&amp;mien=1" if mine else ""
    language = get_language()
    words = _TAB_WORDS.get(language)
    if words is None:  # translated once per process and language
        words = _TAB_WORDS[language] = (_("Assignées à moi"), _("Onglets de la liste"))
    items = []
    for value, label, count in tabs:
        current = value == tab
        items.append(
            '\n    <li><a class="fr-btn fr-btn--sm '
            f'{"" if current else "fr-btn--secondary"}" href="?onglet={esc(value)}{mien}" '
            f"{_CURRENT_PAGE if current else ''}>{esc(label)} ({_number(count)})</a></li>\n    "
        )
    items.append(
        '\n    <li><a class="fr-btn fr-btn--sm '
        f'{"" if mine else "fr-btn--tertiary"}" href="?onglet={esc(tab)}'
        f'{"" if mine else "&amp;mien=1"}" {_CURRENT_TRUE if mine else ""}>'
        f"{words[0]} ({_number(mine_count)})</a></li>"
    )
    return mark_safe(
        f'<nav class="fr-mb-2w" aria-label="{words[1]}">\n'
        '  <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">\n    '
        f"{''.join(items)}\n  </ul>\n</nav>"
    )


@register.simple_tag
def list_pagination(page, extra, mine):
    """`{% include "instruction/_pagination.html" with extra=… %}` (the work
    list and the search): the same HTML, whitespace included, for a few
    dozen calls instead of some six hundred (docs/capacity.md, eighth pass
    (b)); `extra` is escaped as `{{ extra }}` was."""
    paginator = page.paginator
    if not paginator.num_pages > 1:
        return mark_safe("\n\n")
    tail = f"{esc(extra)}{'&amp;mien=1' if mine else ''}"
    previous = following = ""
    if page.has_previous():
        previous = (
            '<li><a class="fr-pagination__link fr-pagination__link--prev '
            f'fr-pagination__link--lg-label" href="?page={_number(page.previous_page_number())}'
            f'{tail}">{_("Page précédente")}</a></li>'
        )
    if page.has_next():
        following = (
            '<li><a class="fr-pagination__link fr-pagination__link--next '
            f'fr-pagination__link--lg-label" href="?page={_number(page.next_page_number())}'
            f'{tail}">{_("Page suivante")}</a></li>'
        )
    number = _number(page.number)
    return mark_safe(
        "\n\n"
        f'<nav role="navigation" class="fr-pagination fr-mt-2w" aria-label="{_("Pagination")}">\n'
        '  <ul class="fr-pagination__list">\n'
        f"    {previous}\n"
        '    <li><a class="fr-pagination__link" aria-current="page" '
        f'title="{_("Page")} {number}">{number} / {_number(paginator.num_pages)}</a></li>\n'
        f"    {following}\n"
        "  </ul>\n</nav>\n\n"
    )
