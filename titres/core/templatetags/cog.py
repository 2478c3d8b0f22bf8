from django import template

from .. import cog

register = template.Library()


@register.filter
def cog_commune(code):
    """An INSEE commune code as its name ("75107" → "Paris 7e arrondissement")."""
    return cog.commune_name(code)


@register.filter
def cog_country(code):
    """An INSEE country code as its name ("99100" → "France")."""
    return cog.country_name(code)
