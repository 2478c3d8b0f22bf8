"""Markdown of the operators' texts → HTML that cannot carry a script.

markdown-it-py (CommonMark) with raw HTML **off**: any tag typed in the
text (`<script>`, `<img onerror=…>`, `<a href="javascript:…">`) is escaped
and shown as text, never passed through; link targets go through the
library's `validateLink`, which refuses `javascript:`, `vbscript:`, `file:`
and `data:` URLs (the link is then left as plain text). So the output only
holds the tags the renderer itself writes. Images are off: the pages show
no picture an operator did not put in the static files (and the CSP would
block a foreign one anyway).

Why not a sanitiser after rendering (nh3, bleach): neither is installed
(docs/infos.md says so); escaping at the source is the safer order anyway
(nothing to sanitise when no HTML gets in). Adding nh3 as a second layer is
a one-line change in `render`.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


def _parser(*, headings: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    if not headings:
        # Answers of the FAQ sit under an h3 in an accordion: a heading typed
        # in an answer would break the page's outline, so it stays a paragraph.
        md.disable(["heading", "lheading"])
    return md


_WITH_HEADINGS = _parser(headings=True)
_WITHOUT_HEADINGS = _parser(headings=False)


def render(text: str, *, headings: bool = True) -> SafeString:
    parser = _WITH_HEADINGS if headings else _WITHOUT_HEADINGS
    tokens = parser.parse(text or "")
    for token in tokens:
        # The page's title is its only h1: a "# Titre" in the text becomes h2.
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html = parser.renderer.render(tokens, parser.options, {})
    return mark_safe(html)


def plain(text: str) -> str:
    """The text without Markdown marks, for search excerpts."""
    tokens = _WITH_HEADINGS.parse(text or "")
    words = []
    for token in tokens:
        if token.type == "inline":
            words.extend(child.content for child in token.children or () if child.type == "text")
    return " ".join(" ".join(words).split())
