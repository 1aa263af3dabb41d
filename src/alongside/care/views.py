"""Placeholder views; replaced by the practice pages."""

from django.http import HttpRequest, HttpResponse


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("invitation")
