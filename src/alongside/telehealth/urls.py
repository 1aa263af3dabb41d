"""URL routes."""

from django.urls import path

from alongside.telehealth import series_views, views

app_name = "telehealth"
urlpatterns = [
    path("", views.sessions_list, name="list"),
    path("<uuid:appointment_id>/", views.room, name="room"),
    path("<uuid:appointment_id>/change/", series_views.series_change, name="series_change"),
    path("clients/<uuid:client_id>/recurring/", series_views.series_new, name="series_new"),
    path("calendar/", views.calendar_link, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
