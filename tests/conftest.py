"""Shared fixtures: named roles (therapist, client, outsider) and logged-in browser helpers."""

from __future__ import annotations

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
    """On PostgreSQL, let the test runner empty the audit table between transactional tests.

    The audit trigger refuses TRUNCATE, which is how Django flushes the database after a
    ``transaction=True`` or live-server test. Only the TRUNCATE trigger is disabled, and
    only in the test database; UPDATE and DELETE stay refused (tests/audit checks both).
    """
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_truncate")


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
