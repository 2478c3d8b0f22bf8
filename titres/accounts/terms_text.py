"""Render the terms text (a small Markdown subset, as in seed 000) to HTML.

Everything is escaped first; only headings, paragraphs, bullet lists,
bold text and links to http(s) addresses are produced. Headings start at
<h2> because the page has its own <h1>."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^(?:[*·o-]|\\-)\s+")


def _inline(text: str) -> str:
    html = escape(text.replace("\\", ""))
    html = _LINK.sub(r'<a href="\2" rel="noopener">\1</a>', html)
    return _BOLD.sub(r"<strong>\1</strong>", html)


def render_terms(text: str) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    index = 0
    while index < len(lines):
        line = lines[index].strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if line and following and set(following) <= {"-"} and len(following) >= 3:
            flush()
            out.append(f"<h2>{_inline(line)}</h2>")
            index += 2
            continue
        if line and following and set(following) <= {"="} and len(following) >= 3:
            # The document title: the page already has it as <h1>.
            flush()
            index += 2
            continue
        if line.startswith("#"):
            flush()
            level = min(len(line) - len(line.lstrip("#")), 4)
            tag = "h2" if level <= 2 else "h3" if level == 3 else "h4"
            out.append(f"<{tag}>{_inline(line.lstrip('#').strip())}</{tag}>")
        elif not line:
            flush()
        elif _BULLET.match(line):
            if paragraph:
                flush()
            items.append(_BULLET.sub("", line))
        else:
            if items:
                flush()
            paragraph.append(line)
        index += 1
    flush()
    # Safe: built from escaped text only.
    return mark_safe("\n".join(out))
