"""A database that is down or restarting answers 503 with Retry-After, never a bare 500.

Pages get a styled page that needs no database; the API gets ``{"detail": ...}``. Nothing was
written, so a client may simply try again (the API's idempotency keys make a retried write safe).
"""

from __future__ import annotations

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("alongside.web")

RETRY_AFTER_SECONDS = 10


def is_database_down(exc: BaseException | None) -> bool:
    """Whether an exception means the database could not be reached (not a bad query)."""
    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, a page for people; both say when to try again."""
    message = _("Alongside is briefly unavailable. Nothing was saved; please try again in a moment.")
    if request.path.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": message}), status=503, content_type="application/json")
    else:
        # Rendered without the request: context processors would query the database that is down.
        page = render_to_string("web/503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: an uncaught error that is a database outage (in a view or a middleware) is a 503."""
    exc = sys.exc_info()[1]
    if is_database_down(exc):
        logger.warning("web: database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__)
        return unavailable_response(request)
    return django_server_error(request)
