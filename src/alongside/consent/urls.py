from django.urls import path

from alongside.consent import views

app_name = "consent"

urlpatterns = [
    path("sign/", views.sign, name="sign"),
]
