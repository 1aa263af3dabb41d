"""The ASGI live server fixture serves pages over HTTP and accepts WebSocket handshakes."""

from __future__ import annotations

import urllib.request

import pytest


@pytest.mark.django_db(transaction=True)
def test_asgi_live_server_serves_the_sign_in_page(asgi_live_server):
    """A GET through uvicorn reaches Django and returns the sign-in page."""
    with urllib.request.urlopen(f"{asgi_live_server.url}/accounts/login/", timeout=10) as response:
        body = response.read().decode()
    assert response.status == 200
    assert "password" in body.lower()
