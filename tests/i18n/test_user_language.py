"""A signed-in person sees their saved language; the language switch still wins."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests import factories

pytestmark = pytest.mark.django_db


def test_spanish_client_sees_spanish_after_signing_in(client) -> None:
    """A client whose saved locale is Spanish gets Spanish pages without touching the switch."""
    practice = factories.practice()
    sam = factories.client(practice)
    sam.user.locale = "es"
    sam.user.save(update_fields=["locale"])
    client.force_login(sam.user, backend="alongside.accounts.backends.EmailBackend")
    response = client.get("/")
    assert response.headers["Content-Language"] == "es"


def test_language_switch_overrides_the_saved_language(client) -> None:
    """Choosing English in the switch shows English even to a client saved as Spanish."""
    practice = factories.practice()
    sam = factories.client(practice)
    sam.user.locale = "es"
    sam.user.save(update_fields=["locale"])
    client.force_login(sam.user, backend="alongside.accounts.backends.EmailBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/").headers["Content-Language"] == "en"
