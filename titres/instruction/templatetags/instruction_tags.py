from django import template

from ..search import motif_label as _motif_label

register = template.Library()


@register.filter
def motif_label(code):
    """A declared motif as the agent reads it ("vol" → "Vol du titre")."""
    return _motif_label(str(code or "")) if code else ""
