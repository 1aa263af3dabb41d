"""API errors in the caller's language, in words a person can act on.

django-ninja answers a payload that fails validation with pydantic's English ("String should have at most 2000
characters"). These handlers keep the shape of each answer (``{"detail": [...]}`` for a 422, ``{"detail": "..."}``
otherwise) and replace the words: each validation error's ``msg`` is translated by its pydantic ``type``, and the
answer gains a ``message`` that names the fields, for a client to show as it is.

The language is the request's (the Accept-Language header or the language cookie, which ``LocaleMiddleware``
reads); a request with neither, made with a personal access token, gets the token owner's saved language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from alongside.core.formatting import fmt_number


def _limit(n: Any) -> str:
    return fmt_number(n) if isinstance(n, int | float) else str(n)


def _words(error: dict[str, Any]) -> str:
    """Return one validation error in the active language."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "string_too_long":
        n = ctx.get("max_length", 0)
        return ngettext("Can be at most %(n)s character.", "Can be at most %(n)s characters.", n) % {"n": _limit(n)}
    if kind == "string_too_short":
        n = ctx.get("min_length", 0)
        return ngettext("Needs at least %(n)s character.", "Needs at least %(n)s characters.", n) % {"n": _limit(n)}
    if kind in ("too_long", "too_short"):
        return _("Has the wrong number of items.")
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return _("Enter a number.")
    bounds = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt", "less_than": "lt"}
    if kind in bounds:
        value = _limit(ctx.get(bounds[kind], ""))
        return {
            "ge": _("Must be %(value)s or more."),
            "le": _("Must be %(value)s or less."),
            "gt": _("Must be more than %(value)s."),
            "lt": _("Must be less than %(value)s."),
        }[bounds[kind]] % {"value": value}
    if kind in ("uuid_parsing", "uuid_type"):
        return _("This is not a valid identifier.")
    if kind.startswith("datetime"):
        return _("Enter a date and time such as 2026-12-10T16:05:00+01:00.")
    if kind.startswith("date"):
        return _("Enter a date such as 2026-12-10.")
    if kind.startswith("time"):
        return _("Enter a time such as 16:05.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    if kind in ("string_type", "string_pattern_mismatch"):
        return _("Enter text in the expected form.")
    return _("This value is not valid.")


def _where(error: dict[str, Any]) -> str:
    """Name the field of an error ("note", "items.2.answer"), without the part of the request it came from."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload", "form")]
    return ".".join(loc)


def _language_for(request: HttpRequest) -> str | None:
    """The token owner's saved language, when the request itself asks for none."""
    if "HTTP_ACCEPT_LANGUAGE" in request.META or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None
    owner = getattr(request, "auth", None) or getattr(request, "user", None)
    locale = getattr(owner, "locale", "") or ""
    return locale if locale in dict(settings.LANGUAGES) else None


def _in_language(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        language = _language_for(request)
        if language is None:
            return handler(request, exc)
        with translation.override(language):
            return handler(request, exc)

    return handle


# Messages ninja writes itself (in English); messages raised by our code are translated where they are raised.
_NINJA_WORDS: dict[str, Callable[[], str]] = {
    "Unauthorized": lambda: _("Sign in, or send a valid access token."),
    "Forbidden": lambda: _("You are not allowed to do this."),
    "Not Found": lambda: _("Not found."),
    "Cannot parse request body": lambda: _("The request body is not valid JSON."),
}


def register(api: NinjaAPI) -> None:
    """Install the translated handlers on ``api``."""

    @_in_language
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [dict(error, msg=_words(error)) for error in exc.errors]
        message = " ".join(f"{_where(e)}: {e['msg']}" if _where(e) else str(e["msg"]) for e in errors)
        return api.create_response(request, {"detail": errors, "message": message}, status=422)

    @_in_language
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        text = str(exc)
        words = _NINJA_WORDS.get(text)
        return api.create_response(request, {"detail": words() if words else text}, status=exc.status_code)

    @_in_language
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, http_error)
    api.add_exception_handler(Http404, not_found)
