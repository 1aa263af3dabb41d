"""The token look-up runs a statement compiled once per process, with every rule of the ORM query it replaces.

Building and compiling the look-up's queryset (the owner's join, the consent annotation) was the largest single
cost of a token call (issue #19); the compiled statement is now reused with the prefix and the time filled in.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query
from django.utils import timezone

from alongside.accounts import tokens
from alongside.accounts.models import PersonalAccessToken
from alongside.consent.selectors import consent_due

ME = "/api/v1/me"


def _bearer(plain: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.mark.django_db
def test_a_token_call_compiles_no_sql_once_the_look_up_has_run(client, world):
    """After the first call, ``/me`` by token builds no query and no SQL: the look-up's statement is run again."""
    plain = tokens.token_create(actor=world.sam.user, name="compiled").plain
    assert client.get(ME, **_bearer(plain)).status_code == 200  # compiles (once per process) and notes the use
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiled,
        mock.patch.object(Query, "build_filter", autospec=True, side_effect=Query.build_filter) as filtered,
    ):
        response = client.get(ME, **_bearer(plain))
    assert response.status_code == 200
    assert response.json()["id"] == str(world.sam.user.pk)
    assert compiled.call_count == 0
    assert filtered.call_count == 0, "no queryset is built either (the consent question is built once)"


@pytest.mark.django_db
def test_the_compiled_look_up_keeps_expiry_revocation_and_the_owner(world):
    """Through the cached statement: the owner is attached, the annotation read; expired and revoked tokens are not."""
    annotate = {"consent_due": consent_due("user_id")}
    plain = tokens.token_create(actor=world.sam.user, name="rules").plain
    for _ in range(2):  # the first compiles, the second reuses
        found = tokens.token_lookup(plain, annotate=annotate)
        assert found is not None
        assert found.user == world.sam.user
        assert found.user.email == world.sam.user.email
        assert found.consent_due in (True, False)
    assert tokens.token_lookup(plain[:-1] + ("A" if plain[-1] != "A" else "B"), annotate=annotate) is None
    later = timezone.now() + dt.timedelta(days=400)
    with mock.patch("alongside.accounts.tokens.timezone.now", return_value=later):
        assert tokens.token_lookup(plain, annotate=annotate) is None  # expired
    PersonalAccessToken.objects.filter(prefix=plain.split("_")[1]).update(revoked_at=timezone.now())
    assert tokens.token_lookup(plain, annotate=annotate) is None


@pytest.mark.django_db
def test_a_check_in_by_token_compiles_no_select(client, world):
    """The token and the client's own profile come from statements compiled once; the key, the chain head and
    the fingerprint are plain SQL: a check-in POST builds no SELECT of its own after the first."""
    headers = _bearer(tokens.token_create(actor=world.sam.user, name="compiled").plain)

    def post(key: str):
        body = {"mood": 5, "idempotency_key": key}
        return client.post("/api/v1/selfcare/checkins", body, content_type="application/json", **headers)

    assert post("compiled-0001").status_code == 201
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiled:
        assert post("compiled-0002").status_code == 201
    assert compiled.call_count == 0
