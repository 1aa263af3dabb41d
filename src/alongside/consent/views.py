"""Placeholder views; replaced by the consent pages."""

from django.http import HttpRequest, HttpResponse


def sign(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sign")
