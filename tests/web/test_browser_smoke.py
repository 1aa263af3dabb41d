"""The shell renders in a real Chromium with our own assets and a strict CSP."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_page_loads_without_csp_violations(live_server, page) -> None:
    """The sign-in page loads htmx and CSS from our server and triggers no CSP violation."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(f"{live_server.url}/accounts/login/")
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert not [e for e in errors if "Content Security Policy" in e], errors
