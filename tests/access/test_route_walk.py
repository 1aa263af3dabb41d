"""Walk every URL pattern and API route against real records of Sam's.

The routes come from the resolver, so a route added later is covered without touching
this file. Every URL parameter is filled by a factory in ``walk_objects`` keyed by its
name (``response_id`` makes a real response of Sam's, ``appointment_id`` an appointment);
a parameter without a factory fails the walk. For each route with parameters, someone
entitled (Sam, Sam's clinician Alice, or an admin of Sam's practice) must reach the
record, and each outsider must be refused on the same request (403 or 404; a sign-in
redirect when anonymous) and see nothing of Sam's. Outsiders: an anonymous visitor, a
clinician of another practice (Carol), a clinician of the same practice outside Sam's
care team (Bob) and another client (Robin).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from alongside.accounts.models import User
from alongside.care.models import CareTeamMember, ClientProfile
from alongside.consent.models import ConsentSignature, ScopeGrant
from alongside.crypto.models import DataKey
from tests.access import walk_objects
from tests.access.walk_objects import BODIES, FACTORIES, SENTINEL_NAME, SENTINELS, Cast

__all__ = ["SENTINEL_NAME", "_fill", "all_routes"]

# Routes anyone may open: they show no client data (checked below all the same).
PUBLIC = {
    "accounts:",  # sign-in, sign-up, password reset, MFA steps
    "care:invitation_accept",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "measures:crisis",  # crisis lines, shown to anyone who needs them
    "web:offline",  # the installed app's "no connection" page
    "web:service_worker",  # the installed app's worker script (static code, no data)
    "applibrary:neutral",  # the discreet mode's quick exit lands here, signed in or not
    "applibrary:manifest",  # the installable app's name and icon (neutral for a client in discreet mode)
}
REFUSED = {302, 303, 400, 401, 403, 404, 405, 410}
NOT_REACHED = {400, 401, 403, 404, 405, 422}  # 400/422: the input was refused before any lookup
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
PAGE_METHODS = ("get", "post")
API_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str
    template: str

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.template)]

    @property
    def methods(self) -> tuple[str, ...]:
        return API_METHODS if self.name.startswith("api:") else PAGE_METHODS

    @property
    def takes_token(self) -> bool:
        return "token" in self.params

    @property
    def is_public(self) -> bool:
        return any(self.name == p or (p.endswith(":") and self.name.startswith(p)) for p in PUBLIC)


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:  # type: ignore[type-arg]
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"
            yield Route(name=name, template=prefix + str(entry.pattern))


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault(route.template, route)
    return sorted(seen.values(), key=lambda r: r.template)


def _fill(template: str, values: dict[str, str]) -> str:
    """Put ``values`` into the route's parameters (every parameter must have one)."""
    path = PARAM.sub(lambda m: values[m.group("name")], template)
    path = path.replace("^", "").replace("$", "")
    return "/" + path.lstrip("/")


def _build(route: Route, people: Cast) -> tuple[dict[str, str], list[Model]]:
    """Make fresh records for the route's parameters; return the values and the records made."""
    values: dict[str, str] = {}
    made: list[Model] = []
    for name in route.params:
        thing = FACTORIES[name](people, values)
        if isinstance(thing, Model):
            made.append(thing)
            values[name] = str(thing.pk)
        else:
            values[name] = thing
    return values, made


def _signed_in(user: User | None) -> Client:
    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    browser = Client()
    if user is not None:
        browser.force_login(user, backend="alongside.accounts.backends.EmailBackend")
        if not user.is_client:
            session = browser.session
            session[SESSION_MFA_OK] = True
            session[SESSION_AUTH_AT] = session[SESSION_SEEN_AT] = time.time()
            session.save()
    return browser


def _body(route: Route, values: dict[str, str]) -> dict[str, object]:
    make = BODIES.get(route.name)
    return make(values) if make else {}


def _ask(browser: Client, method: str, path: str, route: Route, values: dict[str, str]) -> tuple[int, bytes, str]:
    if method in ("get", "delete"):
        response = getattr(browser, method)(path)
    elif route.name.startswith("api:"):
        body = _body(route, values)
        response = getattr(browser, method)(path, data=json.dumps(body), content_type="application/json")
    else:
        response = browser.post(path, data=_body(route, values))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body, response.headers.get("Location", "")


def _rows(records: list[Model]) -> list[object]:
    return [list(type(r)._default_manager.filter(pk=r.pk).values()) for r in records]


def _snapshot(sam: ClientProfile) -> tuple[object, ...]:
    return (
        ClientProfile.objects.filter(pk=sam.pk).values_list("status", "preferred_name_sealed").first(),
        tuple(ScopeGrant.objects.filter(client=sam).order_by("scope").values_list("scope", "granted")),
        ConsentSignature.objects.filter(client=sam).count(),
        CareTeamMember.objects.filter(client=sam, ended_at__isnull=True).count(),
        DataKey.objects.filter(owner_id=sam.pk).count(),
    )


def _is_sign_in(status: int, location: str) -> bool:
    return status in (302, 303) and "/accounts/" in location


@dataclass
class Walk:
    """The people, a signed-in browser for each, and what the walk found."""

    people: Cast
    users: dict[str, User | None]
    insider_labels: tuple[str, ...]
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    sign_ins: int = 0
    browsers: dict[str, Client] = field(default_factory=dict)

    @property
    def outsiders(self) -> dict[str, Client]:
        return {k: v for k, v in self.browsers.items() if k not in self.insider_labels}

    @property
    def insiders(self) -> dict[str, Client]:
        return {k: self.browsers[k] for k in self.insider_labels}

    def sign_in(self) -> None:
        """Sign each browser in that has no session yet or lost it (a sign-out route ends it)."""
        for label, user in self.users.items():
            browser = self.browsers.get(label)
            if browser is None or (user is not None and "_auth_user_id" not in browser.session):
                self.browsers[label] = _signed_in(user)
                self.sign_ins += 1

    def outsider_pass(
        self, route: Route, path: str, values: dict[str, str], about_sam: bool
    ) -> dict[tuple[str, str], int]:
        """Ask each outsider for ``path`` both ways; note leaks and loose answers; return the statuses."""
        seen: dict[tuple[str, str], int] = {}
        for label, browser in self.outsiders.items():
            for method in route.methods:
                status, body, location = _ask(browser, method, path, route, values)
                self.requests += 1
                seen[label, method] = status
                where = f"{label} {method.upper()} {path} ({route.name})"
                if any(s in body for s in SENTINELS):
                    self.problems.append(f"{where} shows Sam's data")
                if about_sam and status not in REFUSED:
                    self.problems.append(f"{where} answered {status}")
                if label == "anonymous" and not route.is_public:
                    if status not in REFUSED:
                        self.problems.append(f"{where} answered {status}")
                    if status in (302, 303) and "/accounts/" not in location:
                        self.problems.append(f"{where} redirected to {location}, not to sign-in")
        return seen

    def insider_pass(self, route: Route, path: str, values: dict[str, str]) -> dict[str, str]:
        """Return, by method, who among Sam, Alice and the admin reached the record behind ``path``."""
        reached: dict[str, str] = {}
        tried: list[str] = []
        for method in route.methods:
            for label, browser in self.insiders.items():
                status, body, location = _ask(browser, method, path, route, values)
                self.requests += 1
                tried.append(f"{label} {method.upper()} {status}" + (f" {body[:80]!r}" if status in (400, 422) else ""))
                if status not in NOT_REACHED and not _is_sign_in(status, location):
                    reached[method] = f"{label} ({status})"
                    break
        if not reached:
            self.problems.append(f"nobody entitled reached {path} ({route.name}): {', '.join(tried)}")
        return reached

    def check_refusals(self, route: Route, path: str, seen: dict[tuple[str, str], int], reached: set[str]) -> None:
        """Where an insider got through, every outsider must have been refused outright."""
        for (label, method), status in seen.items():
            if method not in reached:
                continue
            ok = status in (401, 403, 404) or (label == "anonymous" and status in (302, 303))
            if not ok:
                self.problems.append(f"{label} {method.upper()} {path} ({route.name}): {status}, not 403/404")


def _walk_routes(walk: Walk, routes: list[Route]) -> int:
    """Walk every route; return how many were checked against a real record reached by an insider."""
    sam, checked = walk.people.sam, 0
    for route in routes:
        walk.sign_in()
        values, made = _build(route, walk.people)
        path = _fill(route.template, values)
        before, rows = _snapshot(sam), _rows(made)
        seen = walk.outsider_pass(route, path, values, about_sam=bool(made))
        if _snapshot(sam) != before or _rows(made) != rows:
            walk.problems.append(f"an outsider's request to {path} ({route.name}) changed Sam's records")
        if not route.params or route.takes_token:
            continue  # forged tokens: nobody may reach anything; the outsider pass covers them
        walk.sign_in()
        reached = walk.insider_pass(route, path, values)
        if not reached:
            continue
        if made:  # a route of plain values (a reading, a tool) is open to every client
            walk.check_refusals(route, path, seen, set(reached))
        checked += 1
    return checked


def test_every_route_parameter_has_a_factory() -> None:
    """Each URL parameter of every route has a factory that makes a real record (or value) for it."""
    missing = sorted({f"{p} (in {r.name})" for r in all_routes() for p in r.params if p not in FACTORIES})
    assert not missing, "add a factory to tests/access/walk_objects.py for: " + ", ".join(missing)


@pytest.mark.django_db
def test_every_route_refuses_outsiders_a_real_record() -> None:
    """Each route's record is reached by Sam or Sam's team, and refused (403/404, nothing shown) to outsiders."""
    people = walk_objects.cast()
    walk = Walk(
        people=people,
        users={
            "anonymous": None,
            "carol (other practice)": people.carol,
            "bob (off the care team)": people.bob,
            "robin (another client)": people.robin.user,
            "sam": people.sam.user,
            "alice": people.alice,
            "admin": people.admin,
        },
        insider_labels=("sam", "alice", "admin"),
    )
    routes = all_routes()
    test_every_route_parameter_has_a_factory()
    checked = _walk_routes(walk, routes)
    assert not walk.problems, "\n".join(walk.problems)
    with_params = [r for r in routes if r.params]
    print(
        f"\nroute walk: {len(routes)} routes ({len(with_params)} with parameters, {checked} checked against a real"
        f" record) x {len(walk.outsiders)} outsiders x GET+POST (and PUT, PATCH, DELETE on the API); {walk.requests} requests,"
        f" {walk.sign_ins} sign-ins"
    )
    assert checked == len([r for r in with_params if not r.takes_token])


@pytest.mark.django_db
def test_route_walk_would_notice_a_leak() -> None:
    """The walker's own check works: Sam's clinician does see the sentinel on Sam's pages."""
    people = walk_objects.cast()
    alice = _signed_in(people.alice)
    seen_on = []
    for route in all_routes():
        if "client_id" not in route.params:
            continue
        values, _made = _build(route, people)
        status, body, _location = _ask(alice, "get", _fill(route.template, values), route, values)
        if status == 200 and SENTINEL_NAME.encode() in body:
            seen_on.append(route.name)
    assert seen_on, "no client page shows the client's name to their own clinician"


@pytest.mark.django_db
@pytest.mark.urls("tests.access.leaky_urls")
def test_route_walk_catches_an_unchecked_child_lookup() -> None:
    """A route that fetches an appointment by id without the access layer is reported: outsiders see Sam."""
    people = walk_objects.cast()
    walk = Walk(
        people=people,
        users={
            "carol (other practice)": people.carol,
            "robin (another client)": people.robin.user,
            "alice": people.alice,
        },
        insider_labels=("alice",),
    )
    leaky = [r for r in all_routes() if r.name == "leaky_appointment"]
    assert len(leaky) == 1
    assert _walk_routes(walk, leaky) == 1
    assert any("carol (other practice) GET" in p and "shows Sam's data" in p for p in walk.problems), walk.problems
    assert any("robin (another client) GET" in p and "not 403/404" in p for p in walk.problems), walk.problems
