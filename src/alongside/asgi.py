"""ASGI entry point: Django for HTTP, Channels for WebSockets (routes added by later apps)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

from alongside.runtime import http_application

django_asgi_app = http_application()  # Django's handler, each request's middleware and view in one thread hop

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from alongside.routing import websocket_urlpatterns  # noqa: E402
from alongside.runtime import settle  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
settle()
