"""axe on every page of both roles, in both languages, on a phone and on a desk (issue #14).

The pages come from the route walk (every URL pattern, its parameters filled with real records of Sam's, as
in ``tests/i18n/test_page_formats.py``). Sam (a client), Alice (his clinician) and an admin of the practice open
each page they can reach with a GET, in English and in Spanish, at 390 and at 1366 px wide, in a real Chromium;
axe-core checks each against WCAG 2.2 A and AA. The test fails on any serious or critical violation and names
the page, the width, the language and the rule. It prints how many pages it checked.

Which pages each person reaches (an answer of 200 with HTML) is found first through Django's test client, so the
browser opens only those: more than half of the paths are another role's, and each refusal cost a browser load
in each of the four language and width combinations.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.a11y import FAILING_IMPACTS, run_axe
from tests.access import walk_objects
from tests.access.test_route_walk import _build, _fill, _signed_in
from tests.i18n.test_page_formats import page_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 900}}
LANGUAGES = ("en", "es")


def _paths(people) -> list[str]:
    paths = []
    for route in page_routes():
        values, _made = _build(route, people)
        path = _fill(route.template, values)
        if path not in paths:
            paths.append(path)
    return paths


def _reached(client: Client, paths: list[str]) -> list[str]:
    """The paths that answer this signed-in person with an HTML page (not another role's: 403, 404, a redirect)."""
    reached = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            reached.append(path)
    return reached


def test_every_page_of_both_roles_passes_axe(browser, live_server) -> None:
    """No serious or critical axe violation on any page Sam, Alice or the admin opens, either language or width."""
    people = walk_objects.cast()
    paths = _paths(people)
    users = {"sam": people.sam.user, "alice": people.alice, "admin": people.admin}
    problems: list[str] = []
    checked: Counter[str] = Counter()
    unreached: Counter[str] = Counter()  # failed to load twice in the browser
    for label, user in users.items():
        client = _signed_in(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        theirs = _reached(client, paths)
        for language in LANGUAGES:
            for width, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, service_workers="block")
                context.add_cookies(
                    [
                        {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                    ]
                )
                page = context.new_page()
                try:
                    for path in theirs:
                        response = None
                        for _attempt in range(2):  # a load that fails (a busy SQLite test database) is tried again
                            try:
                                response = page.goto(live_server.url + path)
                            except PlaywrightError:  # a page that redirects in a loop for this role is not theirs
                                response = None
                            if response is not None and response.status < 500:
                                break
                        if response is None or response.status != 200:
                            unreached[f"{label}/{language}/{width}"] += 1
                            continue
                        if "text/html" not in (response.headers.get("content-type") or ""):
                            continue
                        checked[f"{label}/{language}/{width}"] += 1
                        for violation in run_axe(page, violations_only=True)["violations"]:
                            if violation.get("impact") in FAILING_IMPACTS:
                                targets = [n["target"] for n in violation["nodes"][:3]]
                                problems.append(
                                    f"{label} {language} {width} {path}: {violation['id']} ({violation['impact']}) {targets}"
                                )
                finally:
                    context.close()
    total = sum(checked.values())
    print(f"\naxe sweep: {total} page views ({len(paths)} paths) by role/language/width: {dict(checked)}")
    print(f"theirs but not loaded in the browser, by role/language/width: {dict(unreached)}")
    assert total > len(paths)  # every combination reaches its own pages; 632 views on 2026-12-07
    assert not problems, "\n".join(problems)
