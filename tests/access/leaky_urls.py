"""The product's URLs plus one route that looks an appointment up without asking the access layer.

Only for the walk's self-test: the walk must catch this route leaking.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from alongside.sessions.models import Appointment


def leaky_appointment(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = Appointment.objects.select_related("client").filter(pk=appointment_id).first()
    if appointment is None:
        return HttpResponse(status=404)
    return HttpResponse(f"<p>{appointment.client.preferred_name}</p>")


urlpatterns = [
    path("leaky/appointments/<uuid:appointment_id>/", leaky_appointment, name="leaky_appointment"),
    path("", include("alongside.urls")),
]
