"""Web Push: devices opt in, notices reach them content-free and encrypted, dead subscriptions go.

The push services (Google's, Mozilla's, Apple's) are off this machine, so only the HTTP POST to the
endpoint is replaced; the payload is really encrypted (RFC 8291) and signed (VAPID), and the test decrypts
it with the device's own keys, as the browser would.
"""

from __future__ import annotations

import base64
import json
import os

import http_ece
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from requests.structures import CaseInsensitiveDict

from alongside.audit.models import AuditEvent
from alongside.notify import webpush
from alongside.notify.models import NotificationKind, NotifyAuditAction, PushSubscription
from alongside.notify.services import notification_send

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/device-token-123"
PUBLIC_KEY, PRIVATE_KEY = webpush.vapid_keys_new()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class Device:
    """A browser's side of a push subscription: its ECDH key pair and auth secret."""

    def __init__(self, endpoint: str = ENDPOINT) -> None:
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)

    def subscription(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": _b64(public), "auth": _b64(self.auth_secret)}}

    def read(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret))


class PushService:
    """Stands in for the push service's HTTP endpoint: records each POST and answers with ``status``."""

    def __init__(self, status: int = 201) -> None:
        self.status = status
        self.posts: list[tuple[str, bytes, CaseInsensitiveDict]] = []

    def post(self, url, data=None, headers=None, timeout=None, **kwargs):
        self.posts.append((url, data, CaseInsensitiveDict(headers or {})))
        response = requests.Response()
        response.status_code = self.status
        response.reason = "Gone" if self.status == 410 else "Created"
        response._content = b""
        return response


@pytest.fixture
def push_on(settings):
    settings.ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY = PUBLIC_KEY
    settings.ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY = PRIVATE_KEY
    settings.ALONGSIDE_WEBPUSH_SUBJECT = "mailto:ops@example.org"


@pytest.fixture
def push_service(monkeypatch):
    service = PushService()
    monkeypatch.setattr(webpush, "_session", lambda: service)
    return service


def _subscribe(client, user, device: Device, name: str = "Firefox · Android"):
    client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    body = json.dumps({**device.subscription(), "device": name})
    return client.post(reverse("notify:push_subscribe"), body, content_type="application/json")


def test_a_client_turns_on_a_device_and_its_keys_are_sealed(client, world, push_on) -> None:
    """Sam turns on notifications on his phone: kept per device, endpoint and keys sealed, audited without them."""
    device = Device()
    assert _subscribe(client, world.sam.user, device).status_code == 201
    stored = PushSubscription.objects.get()
    assert stored.user_id == world.sam.user.pk
    assert stored.endpoint == ENDPOINT
    assert stored.device == "Firefox · Android"
    assert "device-token" not in stored.endpoint_sealed
    assert device.subscription()["keys"]["auth"] not in stored.auth_sealed
    assert _subscribe(client, world.sam.user, device).status_code == 201  # the same device again: still one row
    assert PushSubscription.objects.count() == 1
    event = AuditEvent.objects.filter(action=NotifyAuditAction.PUSH_SUBSCRIBED).latest("seq")
    assert event.detail == {"device": "Firefox · Android"}
    page = client.get(reverse("notify:preferences")).content.decode()
    assert "Notifications on this device" in page
    assert f'data-key="{PUBLIC_KEY}"' in page
    assert "Firefox · Android" in page


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://127.0.0.1/push",  # not a push service: the server would be made to call its own network
        "https://fcm.googleapis.com.attacker.example/x",
        "https://fcm.googleapis.com:8443/x",
        "https://user:pw@fcm.googleapis.com/x",
    ],
)
def test_only_known_push_services_are_accepted(client, world, push_on, endpoint) -> None:
    """A subscription pointing anywhere but a browser's push service over https is refused and not kept."""
    response = _subscribe(client, world.sam.user, Device(endpoint))
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_malformed_keys_are_refused(client, world, push_on) -> None:
    """Keys of the wrong size are refused (a real browser's are 65 and 16 bytes)."""
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    body = json.dumps({"endpoint": ENDPOINT, "keys": {"p256dh": "AAAA", "auth": "AAAA"}})
    assert client.post(reverse("notify:push_subscribe"), body, content_type="application/json").status_code == 400
    assert not PushSubscription.objects.exists()


def test_a_notice_reaches_the_device_content_free_and_encrypted(
    client, world, push_on, push_service, django_capture_on_commit_callbacks
) -> None:
    """A new message for Sam is pushed to his device after commit: signed, encrypted, and saying only "You have an
    update" with the notification list as its link (no name, no kind, no message)."""
    device = Device()
    _subscribe(client, world.sam.user, device)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[world.sam.user], kind=NotificationKind.MESSAGE, link="/messages/secret/", client=world.sam
        )
    assert len(push_service.posts) == 1
    url, body, headers = push_service.posts[0]
    assert url == ENDPOINT
    assert headers["Content-Encoding"] == "aes128gcm"
    assert headers["TTL"] == str(webpush.TTL)
    assert headers["Authorization"].startswith("vapid t=")
    assert f"k={PUBLIC_KEY}" in headers["Authorization"]
    assert b"update" not in body  # encrypted on the wire
    assert device.read(body) == {"title": "Alongside", "body": "You have an update", "url": "/notifications/"}
    assert PushSubscription.objects.get().last_sent_at is not None


def test_a_device_that_unsubscribed_is_forgotten(
    client, world, push_on, push_service, django_capture_on_commit_callbacks
) -> None:
    """When the push service answers 410 Gone, the subscription is deleted; the notice itself stays in the list."""
    _subscribe(client, world.sam.user, Device())
    push_service.status = 410
    with django_capture_on_commit_callbacks(execute=True):
        made = notification_send(recipients=[world.sam.user], kind=NotificationKind.HOMEWORK, link="/selfcare/")
    assert len(made) == 1
    assert len(push_service.posts) == 1
    assert not PushSubscription.objects.exists()


def test_turning_a_device_off_and_nothing_without_keys(
    client, world, settings, push_on, push_service, django_capture_on_commit_callbacks
) -> None:
    """Turned off, a device gets nothing; and a server without VAPID keys offers and sends no device notices."""
    device = Device()
    _subscribe(client, world.sam.user, device)
    body = json.dumps(device.subscription())
    assert client.post(reverse("notify:push_unsubscribe"), body, content_type="application/json").json() == {"ok": True}
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.filter(action=NotifyAuditAction.PUSH_UNSUBSCRIBED).count() == 1
    _subscribe(client, world.sam.user, device)
    settings.ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.sam.user], kind=NotificationKind.MESSAGE, link="/messages/")
    assert push_service.posts == []
    assert "Notifications on this device" not in client.get(reverse("notify:preferences")).content.decode()
    assert _subscribe(client, world.sam.user, device).status_code == 404
