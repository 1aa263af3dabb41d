"""URL routes."""

from django.urls import path

from alongside.telehealth import views

app_name = "telehealth"
urlpatterns = [
    path("", views.sessions_list, name="list"),
    path("<uuid:appointment_id>/", views.room, name="room"),
    path("calendar/", views.calendar_link, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
