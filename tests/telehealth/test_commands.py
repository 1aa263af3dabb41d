"""``alongside video_try``: a session minutes from now with the client's primary clinician, for trying a call."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from alongside.sessions.models import Appointment

pytestmark = pytest.mark.django_db


def test_video_try_books_a_session_and_prints_the_room(world):
    out = io.StringIO()
    call_command("video_try", world.sam.user.email, "--in", "3", stdout=out)
    booked = Appointment.objects.get(client=world.sam)
    assert booked.clinician == world.alice
    assert f"/telehealth/{booked.pk}/" in out.getvalue()
    assert world.alice.email in out.getvalue()


def test_video_try_refuses_in_production(world, settings):
    settings.PROFILE = "production"
    with pytest.raises(CommandError, match="ALONGSIDE_PROFILE=demo"):
        call_command("video_try", world.sam.user.email)
    assert not Appointment.objects.exists()
