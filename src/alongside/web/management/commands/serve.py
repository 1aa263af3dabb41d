"""`alongside serve`: run the ASGI application under uvicorn (production)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

ASGI_APP = "alongside.asgi:application"


def run_uvicorn(*, host: str, port: int, workers: int = 1, forwarded_allow_ips: str = "127.0.0.1") -> None:
    """Serve :data:`ASGI_APP` until interrupted."""
    import uvicorn

    uvicorn.run(
        ASGI_APP,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        # Follow LOG_LEVEL, which Django's logging setup applied to the root logger.
        log_level=logging.getLevelName(logging.getLogger().getEffectiveLevel()).lower(),
    )


class Command(BaseCommand):
    help = "Serve Alongside over HTTP and WebSockets with uvicorn (put nginx in front in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to bind (default 8000).")
        parser.add_argument("--workers", type=int, default=1, help="Worker processes (default 1; about one per core).")
        parser.add_argument(
            "--forwarded-allow-ips",
            default="127.0.0.1",
            help="Proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1, i.e. a local nginx).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] > 1 and not getattr(settings, "REDIS_URL", ""):
            self.stderr.write(
                self.style.WARNING(
                    "Several workers without REDIS_URL: WebSocket messages and the cache are not shared "
                    "between them. Set REDIS_URL in production."
                )
            )
        self.stdout.write(f"Serving Alongside on http://{options['host']}:{options['port']}/ (Ctrl-C to stop)")
        run_uvicorn(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            forwarded_allow_ips=options["forwarded_allow_ips"],
        )
