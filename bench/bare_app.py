"""The baseline of bench/api_load.py: a bare Django JSON view, no middleware, no database, as an ASGI app.

    uvicorn bench.bare_app:application --workers 2

Served by uvicorn with the options ``alongside serve`` uses, so the ratio of the two measures what the
application adds per request (middleware, authentication, access decisions, queries, audit, serialisation)
rather than the server and the HTTP stack both share.
"""

from __future__ import annotations

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-app-not-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_I18N=False,
    )

from django.core.asgi import get_asgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path


def bare(request: HttpRequest) -> JsonResponse:
    """About the size of ``/api/v1/me``'s answer."""
    return JsonResponse(
        {"id": "8f0c7a52-2b1e-4a4e-9d35-0c1f3f1f6d1a", "email": "bench@example.test", "kind": "client", "name": ""}
    )


urlpatterns = [path("bare/", bare)]
application = get_asgi_application()
