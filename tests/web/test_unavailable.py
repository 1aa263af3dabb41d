"""The 500 handler turns a lost database into a 503 and a full disk into a 507; other errors stay 500."""

from __future__ import annotations

import errno
import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from alongside.web.unavailable import server_error


def _handled(path: str, error: BaseException):
    request = RequestFactory().get(path)
    try:
        raise error
    except BaseException:
        return server_error(request)


def test_a_lost_database_is_a_503_page_with_retry_after():
    """A page request during an outage gets the styled 503 page, rendered without touching the database."""
    response = _handled("/practice/clients/", OperationalError("connection refused"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Briefly unavailable" in page
    assert "alongside.css" in page


def test_the_api_gets_json_detail():
    """An API request gets {"detail": ...} with the same status and Retry-After."""
    response = _handled("/api/v1/me", OperationalError("server closed the connection unexpectedly"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "try again" in json.loads(response.content)["detail"]


@pytest.mark.parametrize("path", ["/messages/thread/", "/api/v1/messages/x"])
def test_a_full_disk_is_a_507(path):
    """No space left on a device: 507 saying nothing was saved."""
    response = _handled(path, OSError(errno.ENOSPC, "No space left on device"))
    assert response.status_code == 507
    assert "Nothing was saved" in response.content.decode()


def test_any_other_error_stays_a_500():
    """A bug is not disguised as an outage."""
    response = _handled("/practice/clients/", ValueError("a bug"))
    assert response.status_code == 500
