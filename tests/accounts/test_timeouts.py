"""Staff sessions end after an idle period, with a message on the sign-in page."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from alongside.audit.models import AuditAction, AuditEvent


def test_idle_staff_session_ends_with_a_message(client: Client, world, time_machine) -> None:
    """After the idle limit a staff request signs out and the sign-in page says why."""
    time_machine.move_to("2030-05-06 09:00Z", tick=False)
    from tests.factories import PASSWORD, totp_code

    client.post("/accounts/login/", {"email": world.alice.email, "password": PASSWORD})
    client.post("/accounts/mfa/verify/", {"code": totp_code(world.alice)})
    assert "_auth_user_id" in client.session
    time_machine.shift(settings.ALONGSIDE_STAFF_IDLE_MINUTES * 60 + 5)
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "period of inactivity" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, detail__reason="timeout").count() == 1


def _signed_in(client: Client, world, time_machine) -> None:
    time_machine.move_to("2030-05-06 09:00Z", tick=False)
    from tests.factories import PASSWORD, totp_code

    client.post("/accounts/login/", {"email": world.alice.email, "password": PASSWORD})
    client.post("/accounts/mfa/verify/", {"code": totp_code(world.alice)})


def test_activity_keeps_a_staff_session_alive(client: Client, world, time_machine) -> None:
    """Requests spaced just under the idle limit, for longer than the limit in total, keep the session."""
    _signed_in(client, world, time_machine)
    for _ in range(3):
        time_machine.shift(settings.ALONGSIDE_STAFF_IDLE_MINUTES * 60 - 60)
        assert client.get("/accounts/settings/").status_code == 200
    assert "_auth_user_id" in client.session


def test_last_activity_is_written_at_most_once_per_resolution(client: Client, world, time_machine) -> None:
    """Quick successive pages do not rewrite the session; one after the resolution does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.accounts.middleware import SEEN_RESOLUTION, SESSION_SEEN_AT

    _signed_in(client, world, time_machine)
    client.get("/accounts/settings/")
    seen = client.session[SESSION_SEEN_AT]

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/accounts/settings/").status_code == 200
        return sum(
            1 for q in queries if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
        )

    time_machine.shift(SEEN_RESOLUTION - 1)
    assert session_writes() == 0
    assert client.session[SESSION_SEEN_AT] == seen
    time_machine.shift(2)
    assert session_writes() == 1
    assert client.session[SESSION_SEEN_AT] > seen
