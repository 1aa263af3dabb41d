"""Shared fixtures: named roles (therapist, client, outsider) and logged-in browser helpers."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def world(db):
    from tests import factories

    return factories.world()


@pytest.fixture
def staff_client(client):
    """Return a function that signs a staff member in with their second factor verified."""
    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    def sign_in(user):
        import time

        client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
        session = client.session
        session[SESSION_MFA_OK] = True
        session[SESSION_AUTH_AT] = time.time()
        session[SESSION_SEEN_AT] = time.time()
        session.save()
        return client

    return sign_in


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let the test runner empty the audit table between transactional tests.

    The audit triggers refuse TRUNCATE (PostgreSQL) and DELETE (SQLite), which is how Django flushes
    the database after a ``transaction=True`` or live-server test. Only that trigger is switched off,
    and only in the test database; the others stay (tests/audit checks all of them).
    """
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_truncate")
            elif connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium; Playwright cannot download its own browsers here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread; the ORM calls are still sync."""
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def phone_page(browser):
    """A page in a phone-sized context (360 x 740, touch)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


# --- An ASGI live server (HTTP and WebSockets) for browser and socket tests --------------


class AsgiServer:
    """A uvicorn server in a thread of the test process, on a free loopback port."""

    def __init__(self) -> None:
        import socket
        import threading

        import uvicorn

        from alongside.asgi import application

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        config = uvicorn.Config(application, log_level="warning", lifespan="off", ws="websockets-sansio")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __str__(self) -> str:
        return self.url

    def start(self) -> None:
        import time

        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("The ASGI test server did not start.")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@pytest.fixture
def asgi_live_server(transactional_db, settings):
    """Serve the whole ASGI application (HTTP and WebSockets) on 127.0.0.1 for one test.

    Use it instead of ``live_server`` when a page opens a WebSocket. It runs in this process
    against the test database, with the in-memory channel layer; it stops after the test.
    """
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    server = AsgiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# The app library's starter catalogue comes from a data migration, which a transactional test's flush empties
# (browser and live-server tests flush every table after themselves, migration data included). The demo
# generator, the route walk and the app library's own tests need it, so each database test starts from what
# the migration writes: when the catalogue is missing, the migration's own ``load`` runs again.
@pytest.fixture(autouse=True)
def _starter_catalogue(request):
    names = request.fixturenames  # the whole closure: a fixture that needs ``db`` counts
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(names):
        return  # a test without the database
    transactional = bool(
        {"transactional_db", "live_server"} & set(names) or (marker is not None and marker.kwargs.get("transaction"))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    starter_catalogue_ensure()


def starter_catalogue_ensure() -> None:
    """Write the app library's starter catalogue again if a flush emptied it (module fixtures call this too)."""
    from django.apps import apps

    from alongside.applibrary.models import App

    if not App.objects.exists():
        migration = importlib.import_module("alongside.applibrary.migrations.0002_starter_catalogue")
        migration.load(apps, None)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Each test starts in the default language: a request made as a Spanish reader activates Spanish for the
    thread (UserLanguageMiddleware, as Django's LocaleMiddleware does), and a later test calling a service
    directly then got Spanish error messages (seen in the full run: 'Elija una aplicación disponible')."""
    from django.utils import translation

    yield
    translation.deactivate()


def pytest_sessionfinish(session, exitstatus):
    """Remove the SQLite test database's write-ahead log and shared-memory files (Django removes only the database
    file; settings.py names the file after this process)."""
    import os
    import tempfile
    from pathlib import Path

    for leftover in Path(tempfile.gettempdir()).glob(f"alongside-test-{os.getpid()}.sqlite3*"):
        leftover.unlink(missing_ok=True)
