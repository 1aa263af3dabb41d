"""URL routes."""

from django.urls import path

from alongside.sessions import views

app_name = "sessions"
urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("clients/<uuid:client_id>/", views.client_sessions, name="client"),
    path("<uuid:appointment_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<uuid:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:appointment_id>/mark/", views.mark, name="mark"),
]
