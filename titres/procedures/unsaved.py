"""What a citizen typed on a wizard step that could not be saved yet (the
form was incomplete when they pressed "Étape précédente", or their session
was about to expire): kept in the session, shown again when they come back
to the step, so going back never loses typed data. The démarche's answers
only ever hold validated steps; this is a scratch copy of raw input.

Bounded (it is input a stranger controls, stored server-side): a few
démarches, a few steps, short values."""

from __future__ import annotations

SESSION_KEY = "wizard_unsaved"
MAX_ENTRIES = 10
MAX_FIELDS = 60
MAX_VALUE = 1000


def _key(demarche, slug: str) -> str:
    return f"{demarche.number}:{slug}"


def _bounded(value):
    if isinstance(value, list | tuple):
        return [str(item)[:MAX_VALUE] for item in value[:MAX_FIELDS]]
    if value is None or isinstance(value, bool):
        return value
    return str(value)[:MAX_VALUE]


def keep(request, demarche, slug: str, form) -> None:
    """Keep the raw values of `form` (bound to the request's POST), file
    fields excepted."""
    if form is None or not form.is_bound:
        return
    values = {}
    for name, field in list(form.fields.items())[:MAX_FIELDS]:
        if getattr(field.widget, "needs_multipart_form", False):
            continue
        raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if raw not in (None, "", []):
            values[name] = _bounded(raw)
    store = dict(request.session.get(SESSION_KEY) or {})
    store.pop(_key(demarche, slug), None)
    if values:
        store[_key(demarche, slug)] = values
        while len(store) > MAX_ENTRIES:
            store.pop(next(iter(store)))
    request.session[SESSION_KEY] = store


def restore(request, demarche, slug: str, form) -> bool:
    """Show the kept values in the unbound `form` (over the saved answers).
    Returns True when something was restored."""
    store = request.session.get(SESSION_KEY) or {}
    values = store.get(_key(demarche, slug))
    if not values or form is None or form.is_bound:
        return False
    form.initial = {**(form.initial or {}), **values}
    return True


def forget(request, demarche, slug: str) -> None:
    store = request.session.get(SESSION_KEY)
    if store and _key(demarche, slug) in store:
        store = dict(store)
        store.pop(_key(demarche, slug))
        request.session[SESSION_KEY] = store
