"""The shell on a phone and on a desk, in a real Chromium: one-row header, tab bar or side navigation.

On a 390 x 844 phone the header (brand and "Get help now") takes at most 72 px, the navigation is a
bottom bar of four tabs plus "More", and "More" leads to the remaining pages, the language switch and
Sign out. On a 1366 px desk the navigation is a side column, "More" is not shown, and the caseload
table uses the width beside it. Both, in light and dark themes, pass axe.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def _page(browser, live_server, web, viewport, *, scheme="light", mobile=False):
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, color_scheme=scheme)
    cookie = web.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context, context.new_page()


def _visible_tabs(page) -> list[str]:
    nav = page.get_by_role("navigation", name="Main")
    return [t.strip() for t in nav.locator("li:visible").all_inner_texts()]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_client_home_on_a_phone(browser, live_server, world, client, scheme) -> None:
    """Sam's phone: header ≤ 72 px with Get help now; 4 tabs + More at the bottom; More holds the rest."""
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    context, page = _page(browser, live_server, client, PHONE, scheme=scheme, mobile=True)
    try:
        page.goto(live_server.url + "/")
        header = page.locator("header.site-header").bounding_box()
        assert header is not None
        assert header["height"] <= 72, header
        help_now = page.locator("header").get_by_role("link", name="Get help now")
        assert help_now.is_visible()
        tabs = _visible_tabs(page)
        assert len(tabs) == 5, tabs
        assert tabs[-1].endswith("More"), tabs
        bar = page.get_by_role("navigation", name="Main").bounding_box()
        assert bar is not None
        assert bar["y"] + bar["height"] == pytest.approx(PHONE["height"], abs=1)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("link", name="More").click()
        menu = page.get_by_role("navigation", name="More")
        assert menu.get_by_role("link", name="Who has seen my data").is_visible()
        assert menu.get_by_role("button", name="Sign out").is_visible()
        assert_no_serious_axe_violations(page, context_label=f"client home, phone, {scheme}")
    finally:
        context.close()


def test_staff_caseload_on_a_desk(browser, live_server, world, staff_client) -> None:
    """Alice's desk: side navigation with every page, no More, the caseload wider than the old 925 px column."""
    web = staff_client(world.alice)
    context, page = _page(browser, live_server, web, DESK)
    try:
        page.goto(live_server.url + "/practice/clients/")
        nav = page.get_by_role("navigation", name="Main").bounding_box()
        assert nav is not None
        assert nav["x"] == 0, nav
        assert nav["height"] > 400, nav
        tabs = _visible_tabs(page)
        assert "Caseload" in tabs[0]
        assert "App library" in " ".join(tabs)
        assert not any(t.endswith("More") for t in tabs)
        assert not page.get_by_role("navigation", name="More").is_visible()
        assert page.locator("header").get_by_role("button", name="Sign out").is_visible()
        assert not page.locator("header").get_by_role("link", name="Get help now").count()
        main = page.locator("main").bounding_box()
        assert main is not None
        assert main["width"] > 1050, main
        assert_no_serious_axe_violations(page, context_label="caseload, desk")
    finally:
        context.close()


def test_staff_on_a_phone_has_tabs_for_the_daily_pages(browser, live_server, world, staff_client) -> None:
    """Alice's phone: Caseload, Alerts, Messages, Notifications and More; header in one row."""
    web = staff_client(world.alice)
    context, page = _page(browser, live_server, web, PHONE, mobile=True)
    try:
        page.goto(live_server.url + "/practice/clients/")
        tabs = _visible_tabs(page)
        assert len(tabs) == 5, tabs
        for name in ("Caseload", "Alerts", "Messages", "Notifications", "More"):
            assert any(name in t for t in tabs), (name, tabs)
        header = page.locator("header.site-header").bounding_box()
        assert header is not None
        assert header["height"] <= 72, header
        assert_no_serious_axe_violations(page, context_label="caseload, phone")
    finally:
        context.close()
