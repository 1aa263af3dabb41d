from django.urls import path

from alongside.care import record_views, views

app_name = "care"

urlpatterns = [
    path("clients/invite/", views.client_invite_view, name="client_invite"),
    path("clients/<uuid:client_id>/erase/", views.client_erase_view, name="client_erase"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/invite/", views.staff_invite_view, name="staff_invite"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    *record_views.urlpatterns,
]
