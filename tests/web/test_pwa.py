"""The installable app's server side: the service worker at the root, and a sign-out that clears the device."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signing_out_clears_what_the_app_kept(client, world) -> None:
    """The sign-out answer tells the browser to empty the app's caches and storage on this device."""
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_service_worker_is_served_from_the_root(client) -> None:
    """/sw.js is JavaScript from our own static file, not cached by the browser for long."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert {"no-cache", "no-store"} & set(response["Cache-Control"].replace(",", " ").split())
    assert b"OFFLINE_PAGES" in response.content
