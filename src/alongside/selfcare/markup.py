"""A tiny, safe renderer for the Markdown subset our psychoeducation modules use.

Why not the ``markdown`` package: it is not a dependency, it passes raw HTML through by
default, and we need only headings, paragraphs, lists, bold and links. Every piece of text
is escaped and every tag is built with ``format_html``, so content can never inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_INLINE = re.compile(r"\*\*(?P<bold>.+?)\*\*|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")
# Links may go to our own pages or to https sites; anything else (javascript:, data:) stays text.
_SAFE_HREF = re.compile(r"^(/[^/\\]|https://)")


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def render_inline(text: str) -> SafeString:
    """Render bold and links in one line of text; escape everything else."""
    parts: list[SafeString] = []
    position = 0
    for match in _INLINE.finditer(text):
        parts.append(format_html("{}", text[position : match.start()]))
        if match.group("bold") is not None:
            parts.append(format_html("<strong>{}</strong>", match.group("bold")))
        elif _SAFE_HREF.match(match.group("href")):
            parts.append(format_html('<a href="{}">{}</a>', match.group("href"), match.group("text")))
        else:
            parts.append(format_html("{}", match.group("text")))
        position = match.end()
    parts.append(format_html("{}", text[position:]))
    return _join(parts)


def render(source: str) -> SafeString:
    """Render a module body: ``#``-``###`` headings (shifted one level down), paragraphs, lists."""
    blocks: list[SafeString] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            blocks.append(format_html("<p>{}</p>", render_inline(" ".join(paragraph))))
            paragraph.clear()
        if items:
            inner = _join(format_html("<li>{}</li>", render_inline(item)) for item in items)
            blocks.append(format_html("<ul>{}</ul>" if list_tag == "ul" else "<ol>{}</ol>", inner))
            items.clear()
            list_tag = ""

    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if heading := _HEADING.match(line):
            flush()
            level = len(heading.group(1)) + 1  # the page title is the only <h1>
            blocks.append(format_html("<h{}>{}</h{}>", level, render_inline(heading.group(2)), level))
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            tag = "ul" if bullet else "ol"
            if paragraph or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
            continue
        if items:
            flush()
        paragraph.append(line)
    flush()
    return _join(blocks)
