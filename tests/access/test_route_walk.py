"""Walk every URL pattern and API route as four outsiders; none may see or change Sam's record.

The routes come from the resolver, so a route added later is covered without touching
this file. Outsiders: an anonymous visitor, a clinician of another practice (Carol), a
clinician of the same practice outside Sam's care team (Bob) and another client (Robin).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from alongside.care.models import CareTeamMember, ClientProfile
from alongside.consent.models import ConsentSignature, ScopeGrant
from alongside.crypto.models import DataKey
from tests import factories

SENTINEL_NAME = "Quillon-Sentinel-7731"
SENTINEL_EMAIL = "quillon.sentinel.7731@example.test"

# Routes anyone may open: they show no client data (checked below all the same).
PUBLIC = {
    "accounts:",  # sign-in, sign-up, password reset, MFA steps
    "care:invitation_accept",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "measures:crisis",  # crisis lines, shown to anyone who needs them
}
REFUSED = {302, 303, 400, 401, 403, 404, 405, 410}
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    template: str

    @property
    def takes_client(self) -> bool:
        return bool(PARAM.search(self.template)) and "token" not in self.template

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
    def replace(match: re.Match[str]) -> str:
        name, conv = match.group("name"), match.group("conv") or "str"
        if name in values:
            return values[name]
        if conv == "int":
            return "1"
        if conv == "uuid" or name.endswith("_id") or name in {"pk", "id"}:
            return values["client_id"]
        return "x"

    path = PARAM.sub(replace, template)
    path = path.replace("^", "").replace("$", "")
    return "/" + path.lstrip("/")


def _victim_values(sam: ClientProfile) -> dict[str, str]:
    """Ids of Sam's own objects, by the parameter names routes are likely to use."""
    values = {"client_id": str(sam.pk), "token": "forged-" + uuid.uuid4().hex, "pk": str(sam.pk), "id": str(sam.pk)}
    episode = sam.episodes.first()
    if episode is not None:
        values["episode_id"] = str(episode.pk)
    member = CareTeamMember.objects.filter(client=sam).first()
    if member is not None:
        values["member_id"] = str(member.pk)
    values["user_id"] = str(sam.pk)
    return values


def _snapshot(sam: ClientProfile) -> tuple[object, ...]:
    return (
        ClientProfile.objects.filter(pk=sam.pk).values_list("status", "preferred_name_sealed").first(),
        tuple(ScopeGrant.objects.filter(client=sam).order_by("scope").values_list("scope", "granted")),
        ConsentSignature.objects.filter(client=sam).count(),
        CareTeamMember.objects.filter(client=sam, ended_at__isnull=True).count(),
        DataKey.objects.filter(owner_id=sam.pk).count(),
    )


@pytest.mark.django_db
def test_every_route_refuses_outsiders(client, staff_client) -> None:
    """Every route refuses (login redirect, 403 or 404) or shows nothing of Sam's to each outsider."""
    home = factories.practice("Riverside Therapy")
    away = factories.practice("Hillside Counselling")
    alice = factories.staff(home)
    bob = factories.staff(home)
    carol = factories.staff(away, role="owner")
    sam = factories.client(
        home,
        clinicians=(alice,),
        name=SENTINEL_NAME,
        email=SENTINEL_EMAIL,
        scopes=("mood", "measures", "exercises", "journal", "messages"),
    )
    robin = factories.client(home, clinicians=(bob,), name="Robin")
    routes = all_routes()
    values = _victim_values(sam)
    before = _snapshot(sam)

    outsiders = {
        "anonymous": None,
        "carol (other practice)": carol,
        "bob (off the care team)": bob,
        "robin (another client)": robin.user,
    }
    problems: list[str] = []
    for label, user in outsiders.items():
        client.logout()
        if user is not None:
            if user.is_client:
                client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
            else:
                staff_client(user)
        for route in routes:
            path = _fill(route.template, values)
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                if SENTINEL_NAME.encode() in body or SENTINEL_EMAIL.encode() in body:
                    problems.append(f"{label} {method.upper()} {path} ({route.name}) shows Sam's data")
                if route.takes_client and response.status_code not in REFUSED:
                    problems.append(f"{label} {method.upper()} {path} ({route.name}) answered {response.status_code}")
                if label == "anonymous" and not route.is_public and response.status_code not in REFUSED:
                    problems.append(f"{label} {method.upper()} {path} ({route.name}) answered {response.status_code}")
                if response.status_code in (302, 303) and label == "anonymous" and not route.is_public:
                    location = response.headers.get("Location", "")
                    if "/accounts/" not in location:
                        problems.append(f"anonymous {path} redirected to {location}, not to sign-in")
    assert _snapshot(sam) == before, "an outsider's request changed Sam's record"
    assert not problems, "\n".join(problems)
    client_routes = [r for r in routes if r.takes_client]
    print(f"\nroute walk: {len(routes)} routes ({len(client_routes)} with ids) x {len(outsiders)} outsiders x GET+POST")
    assert len(routes) >= 5


@pytest.mark.django_db
def test_route_walk_would_notice_a_leak(client, staff_client) -> None:
    """The walker's own check works: Sam's clinician does see the sentinel on Sam's pages."""
    home = factories.practice()
    alice = factories.staff(home)
    sam = factories.client(home, clinicians=(alice,), name=SENTINEL_NAME, email=SENTINEL_EMAIL, scopes=("mood",))
    staff_client(alice)
    values = _victim_values(sam)
    seen_on = []
    for route in all_routes():
        if not route.takes_client:
            continue
        response = client.get(_fill(route.template, values))
        if response.status_code == 200 and SENTINEL_NAME.encode() in response.content:
            seen_on.append(route.name)
    assert seen_on, "no client page shows the client's name to their own clinician"
