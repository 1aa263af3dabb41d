"""The client's home and "Who has seen my data"."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_client_home_greets_by_preferred_name_with_privacy_links(world, client) -> None:
    """Sam's home greets him and links to sharing and the access log."""
    client.force_login(world.sam.user)
    response = client.get(reverse("web:home"))
    body = response.content.decode()
    assert "Hello, Sam" in body
    assert reverse("consent:sharing") in body
    assert reverse("consent:access_log") in body
    assert "You share 4 kinds of information" in body


def test_staff_views_show_up_in_the_clients_access_log(world, staff_client, client) -> None:
    """Alice opening Sam's record appears in Sam's access log with her name and the action."""
    staff_client(world.alice).get(reverse("care:client_detail", args=[world.sam.pk]))
    client.logout()
    client.force_login(world.sam.user)
    body = client.get(reverse("consent:access_log")).content.decode()
    assert f"Your clinician {world.alice.name} viewed your record, once today" in body


def test_access_log_uses_the_clients_time_zone(world, staff_client, client) -> None:
    """Times in the access log are shown in the client's own time zone."""
    world.sam.time_zone = "Asia/Kolkata"
    world.sam.save(update_fields=["time_zone"])
    staff_client(world.alice).get(reverse("care:client_detail", args=[world.sam.pk]))
    client.logout()
    client.force_login(world.sam.user)
    body = client.get(reverse("consent:access_log")).content.decode()
    assert "+05:30" in body


def test_clients_see_only_their_own_access_log(world, staff_client, client) -> None:
    """Robin's access log does not show Alice's look at Sam's record."""
    staff_client(world.alice).get(reverse("care:client_detail", args=[world.sam.pk]))
    client.logout()
    client.force_login(world.other_client.user)
    body = client.get(reverse("consent:access_log")).content.decode()
    assert "viewed your record" not in body
    assert "No member of staff opened your record in these days." in body
