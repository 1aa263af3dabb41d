"""Shared fixtures: named roles (therapist, client, outsider) and logged-in browser helpers."""

from __future__ import annotations


import pytest



@pytest.fixture
def world(db):  # noqa: ANN001, ANN201
    from tests import factories

    return factories.world()


@pytest.fixture
def staff_client(client):  # noqa: ANN001, ANN201
    """Return a function that signs a staff member in with their second factor verified."""
    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    def sign_in(user):  # noqa: ANN001, ANN202
        import time

        client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
        session = client.session
        session[SESSION_MFA_OK] = True
        session[SESSION_AUTH_AT] = time.time()
        session[SESSION_SEEN_AT] = time.time()
        session.save()
        return client

    return sign_in
