"""Cross-cutting HTTP behaviour: request ids, cache control and the Permissions-Policy header."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from alongside.audit.log import request_id_var


class RequestIdMiddleware:
    """Give every request an id, kept with its audit events and echoed in X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class AccessDecisionsMiddleware:
    """Let the access layer remember its answers for the length of one request (``access.decisions_remembered``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from alongside.access import decisions_remembered

        with decisions_remembered():
            return self.get_response(request)


class NoStoreMiddleware:
    """Tell browsers and proxies not to keep any page we render: any may show client data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """Return a Permissions-Policy value: ``camera=()`` denies, ``camera=(self)`` allows our own pages."""

    def allowlist(origins: Sequence[str]) -> str:
        if "*" in origins:
            return "*"
        return "(" + " ".join(o if o == "self" else f'"{o}"' for o in origins) + ")"

    return ", ".join(f"{feature}={allowlist(origins)}" for feature, origins in sorted(policy.items()))


class PermissionsPolicyMiddleware:
    """Deny powerful browser features (camera, microphone, location…) unless a view opted in.

    The site-wide policy is ``settings.PERMISSIONS_POLICY``; a view decorated with
    :func:`permissions_policy` overrides the features it names, for its own responses only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = {**settings.PERMISSIONS_POLICY, **getattr(response, "permissions_policy", {})}
        if policy:
            response["Permissions-Policy"] = permissions_policy_header(policy)
        return response


def permissions_policy[**P](
    **features: Sequence[str],
) -> Callable[[Callable[P, HttpResponse]], Callable[P, HttpResponse]]:
    """Let one view use the browser features it names: ``@permissions_policy(camera=["self"])``.

    Feature names use underscores for dashes (``display_capture``); an empty list denies.
    """
    override = {name.replace("_", "-"): list(origins) for name, origins in features.items()}

    def decorate(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            response = view(*args, **kwargs)
            response.permissions_policy = {**getattr(response, "permissions_policy", {}), **override}  # type: ignore[attr-defined]
            return response

        return wrapped

    return decorate
