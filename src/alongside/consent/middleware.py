"""Clients sign the practice's current consent document before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from alongside.accounts.middleware import is_open_path


class ConsentRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_client
            and not is_open_path(request.path)
            and not request.path.startswith("/consent/")
        ):
            from alongside.consent.selectors import consent_outstanding

            if consent_outstanding(client_id=user.pk) is not None:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Please sign the current consent document first."}, status=403)
                return redirect("consent:sign")
        return self.get_response(request)
