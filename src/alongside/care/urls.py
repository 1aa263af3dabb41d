from django.urls import path

from alongside.care import views

app_name = "care"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
