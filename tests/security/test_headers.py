"""Every response we render forbids framing and caching, whoever asks and whatever the status."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories
from tests.access.test_route_walk import all_routes

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _path(template: str, client_id: str) -> str:
    def replace(match: re.Match[str]) -> str:
        conv, name = match.group("conv") or "str", match.group("name")
        if conv == "int":
            return "1"
        if conv == "uuid" or name.endswith("_id") or name in {"pk", "id"}:
            return client_id
        return "x"

    return "/" + PARAM.sub(replace, template).replace("^", "").replace("$", "").lstrip("/")


def _problems(response, path: str) -> list[str]:
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in csp:
        problems.append(f"{path}: Content-Security-Policy lacks frame-ancestors 'none' ({csp!r})")
    if "script-src 'self'" not in csp or "unsafe-inline" in csp:
        problems.append(f"{path}: Content-Security-Policy allows more than our own scripts ({csp!r})")
    if "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"{path}: Cache-Control is {response.headers.get('Cache-Control')!r}, not no-store")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{path}: X-Frame-Options is {response.headers.get('X-Frame-Options')!r}")
    policy = response.headers.get("Permissions-Policy", "")
    if not all(f"{feature}=()" in policy for feature in ("camera", "microphone", "geolocation")):
        problems.append(f"{path}: Permissions-Policy does not deny camera, microphone and location ({policy!r})")
    return problems


@pytest.mark.django_db
def test_every_route_sends_csp_no_store_and_deny_framing(staff_client) -> None:
    """Every URL pattern, as anonymous visitor, treating clinician and the client, sends the four headers.

    Content-Security-Policy, Cache-Control: no-store, X-Frame-Options and a Permissions-Policy that
    denies the camera, the microphone and location (no page uses them until video sessions opt in).
    """
    practice = factories.practice()
    alice = factories.staff(practice)
    sam = factories.client(practice, clinicians=(alice,), name="Header-Check", scopes=("mood",))
    paths = sorted({_path(route.template, str(sam.pk)) for route in all_routes()})
    paths.append("/no-such-page/")
    assert len(paths) > 10

    visitors: dict[str, Client] = {"anonymous": Client()}
    visitors["clinician"] = staff_client(alice)
    visitors["client"] = Client()
    visitors["client"].force_login(sam.user, backend="alongside.accounts.backends.EmailBackend")

    problems: list[str] = []
    statuses: set[int] = set()
    for label, web in visitors.items():
        for path in paths:
            if "logout" in path:
                continue
            response = web.get(path)
            statuses.add(response.status_code)
            problems += [f"{label} {p}" for p in _problems(response, path)]
    assert not problems, "\n".join(problems)
    # The walk reached real pages, redirects and refusals alike.
    assert {200, 302, 404} <= statuses


@pytest.mark.django_db
def test_client_record_page_is_not_stored(staff_client) -> None:
    """The page that shows a client's record tells every cache not to keep it."""
    practice = factories.practice()
    alice = factories.staff(practice)
    sam = factories.client(practice, clinicians=(alice,), name="Cache-Check")
    response = staff_client(alice).get(f"/practice/clients/{sam.pk}/")
    assert response.status_code == 200
    assert b"Cache-Check" in response.content
    assert _problems(response, "client detail") == []
