"""What a serving process does once, after start-up and before its first request."""

from __future__ import annotations

import gc


def settle() -> None:
    """Load the URL configuration, then move every object loaded so far out of the garbage collector's way.

    A Django process holds some hundred thousand long-lived objects (modules, models, URL patterns, translations).
    Python's oldest-generation collection walks all of them: on the caseload that was a pause of about 100 ms
    every few requests, the page's whole slowest five per cent. Frozen objects are never collected again, which is
    what they are: they live as long as the process (the use ``gc.freeze`` is documented for).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  # import every view module now, not on the first request
    gc.collect()
    gc.freeze()
