"""Placeholder views; replaced by the accounts pages."""

from django.http import HttpRequest, HttpResponse


def login_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("login")


def logout_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("logout")


def mfa_verify(request: HttpRequest) -> HttpResponse:
    return HttpResponse("mfa")


def mfa_enrol(request: HttpRequest) -> HttpResponse:
    return HttpResponse("enrol")
