"""The error summary every form page shows after a failed submit (RGAA 11.10,
WCAG 3.3.1): found in the page's context, so no view has to pass it."""

from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()


_FOUND = "titres_forms_with_errors"


def _forms_with_errors(context) -> list[forms.BaseForm]:
    """The page's refused forms, looked for once per render: the title's
    "Erreur :" and the summary both ask, and each walk of the flattened
    context was a fraction of a millisecond on every page (issue 17). The
    forms are validated by the view before the page is rendered."""
    found = context.render_context.get(_FOUND)
    if found is None:
        found = context.render_context[_FOUND] = _find_forms_with_errors(context)
    return found


def _find_forms_with_errors(context) -> list[forms.BaseForm]:
    found, seen = [], set()
    for value in context.flatten().values():
        candidates = value if isinstance(value, list | tuple) else [value]
        for candidate in candidates:
            if (
                isinstance(candidate, forms.BaseForm)
                and candidate.is_bound
                and id(candidate) not in seen
                and candidate.errors
            ):
                seen.add(id(candidate))
                found.append(candidate)
    return found


def _summary_step_errors(context) -> list[str]:
    """The wizard's récapitulatif lists (step, message) pairs in `errors`."""
    errors = context.get("errors")
    if isinstance(errors, list) and all(isinstance(e, tuple) and len(e) == 2 for e in errors):
        return [str(message) for _step, message in errors]
    return []


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """True when a form of the page was refused: the title then starts with
    "Erreur :" so a screen reader user hears it first."""
    return bool(_forms_with_errors(context) or _summary_step_errors(context))


# What core/_error_summary.html renders without items (its {% load %}
# line's and last line's newlines): most pages, which skip the inclusion
# tag's template render, about ninety calls (docs/capacity.md, eighth pass (b)).
_NO_SUMMARY = mark_safe("\n\n")


@register.simple_tag(takes_context=True)
def error_summary(context):
    """The summary of the page's refused forms (core/_error_summary.html),
    rendered as `{% inclusion_tag %}` would: in a new context with the
    CSRF token passed on."""
    items = _summary_items(context)
    if not items:
        return _NO_SUMMARY
    summary = context.template.engine.get_template("core/_error_summary.html")
    new_context = context.new({"items": items})
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        new_context["csrf_token"] = csrf_token
    return summary.render(new_context)


def _summary_items(context) -> list[dict]:
    items = []
    for form in _forms_with_errors(context):
        for message in form.non_field_errors():
            items.append({"message": message, "anchor": ""})
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
                continue
            bound = form[name]
            for message in errors:
                items.append(
                    {
                        "label": bound.label,
                        "message": message,
                        "anchor": bound.id_for_label or bound.auto_id or "",
                    }
                )
    return items
