"""URL routes."""

from django.urls import include, path

from alongside.telehealth import calendar_views, group_member_views, guest_views, series_views, views

app_name = "telehealth"
urlpatterns = [
    path("", views.sessions_list, name="list"),
    path("<uuid:appointment_id>/", views.room, name="room"),
    path("<uuid:appointment_id>/change/", series_views.series_change, name="series_change"),
    path("clients/<uuid:client_id>/recurring/", series_views.series_new, name="series_new"),
    path("calendar/", views.calendar_link, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("schedule/", calendar_views.calendar_page, name="calendar_page"),
    path("schedule/block/", calendar_views.block_slot, name="block_slot"),
    path("schedule/blocks/<uuid:block_id>/remove/", calendar_views.block_remove, name="block_remove"),
    path("availability/", calendar_views.availability, name="availability"),
    path("booking-rules/", calendar_views.booking_rules, name="booking_rules"),
    path("book/", calendar_views.book, name="book"),
    path("book/<uuid:appointment_id>/cancel/", calendar_views.book_cancel, name="book_cancel"),
    path("<uuid:appointment_id>/invitation.ics", calendar_views.invitation_file, name="invitation"),
    path("<uuid:appointment_id>/guests/", calendar_views.guests, name="guests"),
    path("guests/<uuid:guest_id>/revoke/", calendar_views.guest_revoke, name="guest_revoke"),
    path("<uuid:appointment_id>/guest-links/", guest_views.guest_links_page, name="guest_links"),
    path("guest-links/<uuid:guest_link_id>/revoke/", guest_views.guest_link_revoke, name="guest_link_revoke"),
    path("<uuid:appointment_id>/guest/<str:token>/", guest_views.guest_join, name="guest_join"),
    path("groups/<uuid:group_id>/change/", group_member_views.group_edit, name="group_edit"),
    path("groups/", include("alongside.telehealth.group_views")),
]
