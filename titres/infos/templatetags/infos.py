from django import template

from .. import markdown as md

register = template.Library()


@register.filter
def markdown(text):
    """An operator's Markdown as HTML (raw HTML escaped, see infos/markdown.py)."""
    return md.render(text)


@register.filter
def markdown_answer(text):
    """Same, without headings (a FAQ answer sits under an h3)."""
    return md.render(text, headings=False)
