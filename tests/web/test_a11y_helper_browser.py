"""The axe-core helper really runs under our strict CSP, and really fails on a serious violation."""

from __future__ import annotations

import pytest

from tests.a11y import assert_no_serious_axe_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_runs_under_the_csp_and_catches_serious_violations(live_server, page) -> None:
    """On the sign-in page axe checks rules and passes; an image without alt text then fails the helper."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    results = run_axe(page)
    assert results["passes"], "axe ran no rule"
    assert "axe [sign-in]: 0 violations" in assert_no_serious_axe_violations(page, context_label="sign-in")

    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/missing.png';
            document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_serious_axe_violations(page, context_label="sign-in with a bad image")
    assert not [e for e in errors if "Content Security Policy" in e], errors
