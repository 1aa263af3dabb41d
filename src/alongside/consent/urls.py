from django.urls import path

from alongside.consent import views

app_name = "consent"

urlpatterns = [
    path("sign/", views.sign, name="sign"),
    path("sharing/", views.sharing, name="sharing"),
    path("access-log/", views.access_log, name="access_log"),
]
