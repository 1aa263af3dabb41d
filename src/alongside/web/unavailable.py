"""A database that is down or restarting answers 503 with Retry-After, never a bare 500; a full disk 507.

Pages get a styled page that needs no database; the API gets ``{"detail": ...}``. Nothing was
written (the transaction rolled back), so a client may simply try again (the API's idempotency keys
make a retried write safe).
"""

from __future__ import annotations

import errno
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


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether an exception means a disk is full: a file write, or PostgreSQL's disk_full (53100)."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    cause = getattr(exc, "__cause__", None)
    return getattr(cause, "sqlstate", None) == "53100" or getattr(cause, "pgcode", None) == "53100"


def _answer(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": message}), status=status, content_type="application/json")
    else:
        # Rendered without the request: context processors would query a database that may be down.
        context = {"title": title, "message": message, "retry_after": RETRY_AFTER_SECONDS}
        response = HttpResponse(render_to_string("web/503.html", context), status=status)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, a page for people; both say when to try again."""
    return _answer(
        request,
        status=503,
        title=_("Briefly unavailable"),
        message=_("Alongside is briefly unavailable. Nothing was saved; please try again in a moment."),
    )


def disk_full_response(request: HttpRequest) -> HttpResponse:
    """The 507 answer when there is no room to store what was sent."""
    return _answer(
        request,
        status=507,
        title=_("No room to save this"),
        message=_(
            "Alongside has no room to store this right now. Nothing was saved. Please try again later, "
            "or send a smaller file; if it keeps happening, tell your practice."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a full disk is a 507 and a database outage (in a view or a middleware) a 503."""
    exc = sys.exc_info()[1]
    if is_disk_full(exc):
        logger.error("web: disk full on %s %s: %s", request.method, request.path, type(exc).__name__)
        return disk_full_response(request)
    if is_database_down(exc):
        logger.warning("web: database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__)
        return unavailable_response(request)
    return django_server_error(request)
