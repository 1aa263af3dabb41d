"""The route walk over the app library's routes only, so a failure elsewhere cannot hide one here."""

from __future__ import annotations

import pytest

from tests.access import walk_objects
from tests.access.test_route_walk import Walk, _walk_routes, all_routes


@pytest.mark.django_db
def test_app_library_routes_refuse_outsiders():
    """Sam's readiness check and recommendations reach Sam or Alice only; catalogue pages reach staff."""
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
    routes = [r for r in all_routes() if r.name.startswith("applibrary:")]
    assert len(routes) == 16
    checked = _walk_routes(walk, routes)
    assert not walk.problems, "\n".join(walk.problems)
    assert checked == len([r for r in routes if r.params])
