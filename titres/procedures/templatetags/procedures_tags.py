from django import template

from ..list_actions import available_actions

register = template.Library()


@register.filter
def list_actions(demarche):
    """The actions the "Actions" drop-down offers for `demarche`."""
    return available_actions(demarche)
