"""Notification pages: the list (newest first, unread marked, open marks read), mark all read, choices; outsiders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.notify.models import Notification, NotificationPreference
from alongside.notify.services import notification_send
from tests.async_support import run_async

pytestmark = pytest.mark.django_db


def _notice(user, kind="message", link="/", minutes_ago=0):
    notice = notification_send(recipients=[user], kind=kind, link=link)[0]
    Notification.objects.filter(pk=notice.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return notice


def test_list_is_newest_first_with_unread_marked(world, staff_client):
    """Alice sees her notices newest first, the unread count in the nav, and nobody else's."""
    _notice(world.alice, kind="alert", minutes_ago=30)
    _notice(world.alice, kind="message", minutes_ago=1)
    _notice(world.bob, kind="escalation")
    page = staff_client(world.alice).get(reverse("notify:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("New message") < html.index("Client alert")
    assert "Escalated alert" not in html
    assert "2 unread notifications." in html
    assert "data-notify-count>2<" in html


@pytest.mark.django_db(transaction=True)
def test_live_script_only_where_sockets_exist(world, client, async_client):
    """Under ASGI the page loads the live-badge module; under WSGI (no WebSockets) it does not try."""
    client.force_login(world.sam.user)
    assert "notify/badge.js" not in client.get(reverse("notify:list")).content.decode()
    async_client.force_login(world.sam.user)
    response = run_async(lambda: async_client.get(reverse("notify:list")))
    assert response.status_code == 200
    assert "notify/badge.js" in response.content.decode()


def test_opening_marks_read_and_goes_to_the_link(world, staff_client):
    """POSTing open marks the notice read and redirects to its link; GET is refused."""
    notice = _notice(world.alice, link="/measures/alerts/")
    browser = staff_client(world.alice)
    url = reverse("notify:open", args=[notice.pk])
    assert browser.get(url).status_code == 405
    response = browser.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/measures/alerts/"
    assert Notification.objects.get(pk=notice.pk).read_at is not None


def test_outsider_cannot_open_or_mark_anothers_notice(world, staff_client, client):
    """Bob (same practice), Carol (other practice) and a client get 404 and the notice stays unread."""
    notice = _notice(world.alice)
    url = reverse("notify:open", args=[notice.pk])
    for outsider in (world.bob, world.carol):
        assert staff_client(outsider).post(url).status_code == 404
    client.force_login(world.sam.user)
    assert client.post(url).status_code == 404
    assert "New message" not in client.get(reverse("notify:list")).content.decode()
    assert Notification.objects.get(pk=notice.pk).read_at is None


def test_anonymous_is_sent_to_sign_in(client):
    """Every notifications page asks an anonymous visitor to sign in."""
    for name in ("notify:list", "notify:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_mark_all_read(world, client):
    """A client marks all their notices read; the nav badge disappears."""
    _notice(world.sam.user, kind="homework")
    _notice(world.sam.user, kind="measure_due")
    client.force_login(world.sam.user)
    response = client.post(reverse("notify:read_all"), follow=True)
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=world.sam.user, read_at__isnull=True).exists()
    assert "data-notify-badge" in response.content.decode()
    assert 'class="nav-count"' not in response.content.decode().split("data-notify-badge")[0][-80:]


def test_client_preferences_form(world, client):
    """A client sees their kinds with labelled checkboxes, saves email off for homework, and it sticks."""
    client.force_login(world.sam.user)
    url = reverse("notify:preferences")
    html = client.get(url).content.decode()
    assert '<label for="id_homework_email">' in html
    assert "Client alert" not in html
    response = client.post(url, {"homework_in_app": "on", "message_in_app": "on", "message_email": "on"})
    assert response.status_code == 302
    homework = NotificationPreference.objects.get(user=world.sam.user, kind="homework")
    assert (homework.in_app, homework.email) == (True, False)
    assert NotificationPreference.objects.get(user=world.sam.user, kind="measure_due").in_app is False
    html = client.get(url).content.decode()
    assert 'id="id_homework_email">' in html  # rendered unchecked now
    assert 'id="id_homework_in_app" checked>' in html


def test_staff_preferences_show_alerts_always_on(world, staff_client):
    """Alice sees alerts and escalations as always on with the reason; posting them off changes nothing."""
    browser = staff_client(world.alice)
    url = reverse("notify:preferences")
    html = browser.get(url).content.decode()
    assert "Always on" in html
    assert 'name="alert_in_app"' not in html
    browser.post(url, {"alert_in_app": "", "alert_email": "", "message_in_app": "on"})
    assert not NotificationPreference.objects.filter(user=world.alice, kind="alert").exists()
    assert NotificationPreference.objects.get(user=world.alice, kind="message").email is False


def test_account_settings_links_to_choices(world, client):
    """The account page leads to the notification choices."""
    client.force_login(world.sam.user)
    assert reverse("notify:preferences") in client.get(reverse("accounts:settings")).content.decode()
