"""The Jinja2 environment for the few partials Django's template language is too slow for (the caseload rows).

Autoescaping is on, and every printed value is escaped exactly as Django's ``escape`` does it (``&quot;`` and
``&#x27;``, where MarkupSafe writes ``&#34;`` and ``&#39;``), so a partial's markup matches what a Django
template would print for the same values.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

# MarkupSafe spells quotes as numeric references, Django (html.escape) as below: same HTML, different bytes.
_SPELLINGS = ((Markup("&#34;"), Markup("&quot;")), (Markup("&#39;"), Markup("&#x27;")))


def escape_as_django(value: object) -> object:
    """Return ``value`` ready for Jinja2's escape to print it as Django's ``escape`` would.

    The two escapes differ only on quotes, so text without quotes is left to Jinja2's own escape, and text with
    quotes is escaped here with Django's spelling of them; values that are already markup pass through.
    """
    if value.__class__ is not str:
        if hasattr(value, "__html__"):
            return value
        value = str(value)
    if '"' in value or "'" in value:
        escaped = escape(value)
        for theirs, django in _SPELLINGS:
            escaped = escaped.replace(theirs, django)
        return escaped
    return value


def environment(**options: Any) -> Environment:
    """Build the environment: Django escaping, block tags that own their line (no stray newlines)."""
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # Django's Jinja2 backend passes autoescape=True in options (tests/measures/test_caseload_rows.py checks it).
    return Environment(finalize=escape_as_django, **options)  # noqa: S701  # nosec B701
