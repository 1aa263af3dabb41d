"""API calls reach their routes before the page patterns are tried (issue #19)."""

from __future__ import annotations

from django.urls import get_resolver, resolve


def test_the_api_is_the_first_pattern_and_its_routes_still_resolve():
    """Resolving an API path tried every page pattern first when the API came last; it now comes first."""
    assert str(get_resolver().url_patterns[0].pattern) == "api/v1/"
    assert resolve("/api/v1/me").url_name == "me"
    assert resolve("/api/v1/selfcare/checkins").route.startswith("api/v1/")
    assert resolve("/").route == ""  # the pages still resolve as before
