"""WSGI entry point, for tools that need one; production serves ASGI through uvicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
application = get_wsgi_application()

from alongside.runtime import settle  # noqa: E402

settle()
