"""The check-in lists come a page at a time (50 by default) with a cursor to the next page (issue #19).

A long history used to come back as 200 check-ins (50 KB) on every call, whatever the client needed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.accounts import tokens
from alongside.selfcare.models import CheckIn

pytestmark = pytest.mark.django_db

OWN = "/api/v1/selfcare/checkins"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='pages').plain}"}


def _history(profile, count: int) -> list[str]:
    """``count`` check-ins an hour apart, with two sharing one instant (the cursor must still split them)."""
    now = timezone.now()
    rows = [
        CheckIn(
            client=profile,
            at=now - dt.timedelta(hours=n if n != 1 else 0),
            local_date=(now - dt.timedelta(hours=n)).date(),
            mood=n % 11,
            idempotency_key=f"page-{n:04d}",
        )
        for n in range(count)
    ]
    CheckIn.objects.bulk_create(rows)
    return [str(c.pk) for c in CheckIn.objects.filter(client=profile).order_by("-at", "-id")]


def _walk(client, url, headers, **params):
    """Follow the cursors from the first page to the last; return every id and each page's size."""
    ids, sizes, query = [], [], dict(params)
    while True:
        response = client.get(url, query, **headers)
        assert response.status_code == 200, response.content
        page = response.json()
        ids += [c["id"] for c in page]
        sizes.append(len(page))
        cursor = response.headers.get("X-Next-Cursor")
        if cursor is None:
            assert "Link" not in response.headers
            return ids, sizes
        assert f"cursor={cursor}" in response.headers["Link"]
        assert response.headers["Link"].endswith('; rel="next"')
        query = {**params, "cursor": cursor}


def test_the_own_list_is_paged_by_50_and_the_cursors_walk_the_whole_history_once(client, world):
    """120 check-ins: pages of 50, 50 and 20, newest first, no check-in missed or repeated."""
    expected = _history(world.sam, 120)
    ids, sizes = _walk(client, OWN, _auth(world.sam.user))
    assert sizes == [50, 50, 20]
    assert ids == expected


def test_a_care_team_reads_the_same_pages_with_its_own_limit(client, world):
    """Alice (care team, MOOD shared) walks Sam's check-ins 30 at a time."""
    expected = _history(world.sam, 65)
    ids, sizes = _walk(client, f"/api/v1/clients/{world.sam.pk}/checkins", _auth(world.alice), limit=30)
    assert sizes == [30, 30, 5]
    assert ids == expected


def test_a_page_is_at_most_200_and_a_forged_cursor_is_refused(client, world):
    """``limit`` is capped at 200; a cursor the API never handed out answers 422 and says what to do."""
    _history(world.sam, 210)
    headers = _auth(world.sam.user)
    assert len(client.get(OWN, {"limit": 1000}, **headers).json()) == 200
    refused = client.get(OWN, {"cursor": "not-a-cursor"}, **headers)
    assert refused.status_code == 422
    assert "cursor" in refused.json()["detail"]


def test_new_check_ins_do_not_shift_the_next_page(client, world):
    """A check-in saved between two pages does not make the second page repeat the first page's last row."""
    expected = _history(world.sam, 60)
    headers = _auth(world.sam.user)
    first = client.get(OWN, **headers)
    CheckIn.objects.create(client=world.sam, at=timezone.now(), local_date=timezone.now().date(), mood=3)
    second = client.get(OWN, {"cursor": first.headers["X-Next-Cursor"]}, **headers)
    assert [c["id"] for c in first.json()] + [c["id"] for c in second.json()] == expected


def test_the_openapi_document_describes_the_cursor(client):
    """Clients learn the paging from the OpenAPI document: the ``cursor`` parameter and the next-page header."""
    operation = client.get("/api/v1/openapi.json").json()["paths"][OWN]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "cursor", "since"}
    assert "X-Next-Cursor" in operation["responses"]["200"]["headers"]


def test_a_page_costs_three_queries_however_long_the_history(client, world, django_assert_num_queries):
    """Token, client and one page of check-ins: the same three queries for 10 or 300 check-ins."""
    headers = _auth(world.sam.user)
    client.get(OWN, **headers)  # the token's first use is written once
    _history(world.sam, 300)
    with django_assert_num_queries(3):
        assert len(client.get(OWN, **headers).json()) == 50


@pytest.mark.parametrize("hours", [7, 7.5, None])
def test_a_new_check_in_is_answered_as_it_is_read_back_without_reading_it_again(client, world, hours):
    """The 201 answer equals the check-in as the list gives it, and saving it reads it back no more."""
    headers = _auth(world.sam.user)
    client.get(OWN, **headers)  # the token's first use is written once
    body = {"mood": 4, "sleep_hours": hours, "emotions": [{"name": "calm", "intensity": 3}], "note": "n"}
    body["activities"] = ["work", "work", "friends"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        saved = client.post(OWN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="answer-0001", **headers)
    assert saved.status_code == 201, saved.content
    assert saved.json() == client.get(OWN, **headers).json()[0]
    assert not [q for q in queries.captured_queries[-3:] if 'FROM "selfcare_checkin"' in q["sql"]]
