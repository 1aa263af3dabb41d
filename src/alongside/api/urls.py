"""The JSON API (/api/v1), described by its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import SessionAuth

from alongside.api import errors
from alongside.api.auth import TokenAuth

api = NinjaAPI(
    title="Alongside API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],  # a personal access token, or the session with CSRF
    docs_url=None,
)

from alongside.api import routes  # noqa: E402,F401  (registers the routers)

errors.register(api)  # errors in the caller's language
