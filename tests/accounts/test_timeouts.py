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
