"""Web Push: a content-free notice on each device a person turned notifications on for.

The browser subscribes with the site's VAPID public key (RFC 8292) and hands us its push service's endpoint and
keys; :func:`alongside.notify.services.push_subscription_save` keeps them, sealed. After a notice commits,
``notification_send`` calls :func:`push_enqueue`, which enqueues :func:`push_deliver` for the people with a
device subscribed. Every push says the same thing, in the person's language: "You have an update", with the
notification list as its link; no name, no kind, no content, and the neutral title for someone in discreet mode.
The payload is encrypted for the device (RFC 8291, ``aes128gcm``) by ``pywebpush``, so the push service cannot
read even that. A 404 or 410 answer means the device unsubscribed: its subscription is deleted. Any other
failure is counted on the row and logged by ids; nothing is retried, since the notice waits in the list anyway.

Off until both VAPID keys are set (``ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY``, ``..._PRIVATE_KEY``); the demo profile makes
its own pair once in ``var/`` (:mod:`alongside.notify.vapid`). Endpoints must be
``https`` on a known push service (``ALONGSIDE_WEBPUSH_HOSTS``), so a made-up subscription cannot make the server
send requests to an address of the attacker's choosing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from py_vapid import Vapid02  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

from alongside.notify import discreet, vapid
from alongside.notify.models import PushSubscription

logger = logging.getLogger("alongside.notify")

# How long a push service keeps a notice for a device that is offline (seconds): a day.
TTL = 24 * 60 * 60
LINK = "/notifications/"


def enabled() -> bool:
    """Whether Web Push is configured (both VAPID keys set)."""
    return bool(settings.ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY and settings.ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY)


def endpoint_allowed(endpoint: str) -> bool:
    """An ``https`` URL on the default port of a known push service (an entry ``.example.com`` allows subdomains)."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or port not in (None, 443) or not host or parts.username or parts.password:
        return False
    for allowed in settings.ALONGSIDE_WEBPUSH_HOSTS:
        allowed = allowed.lower()
        if host == allowed or (allowed.startswith(".") and host.endswith(allowed)):
            return True
    return False


def endpoint_digest(endpoint: str) -> str:
    """SHA-256 of an endpoint, hex: finds a device's row without unsealing every endpoint."""
    return hashlib.sha256(endpoint.encode()).hexdigest()


def key_bytes(value: str) -> bytes:
    """Decode a browser's base64url key (padding optional); raise ValueError when it is not one."""
    cleaned = value.strip()
    return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))


def payload_for(person: Any) -> str:
    """The one thing a push says, in ``person``'s language: content-free, and unbranded in discreet mode."""
    with translation.override(getattr(person, "locale", None) or None):
        title = _("You have an update") if discreet.wanted(person) else "Alongside"
        body = _("Sign in to see it.") if discreet.wanted(person) else _("You have an update")
    return json.dumps({"title": title, "body": body, "url": LINK})


def _session() -> requests.Session:
    """The HTTP session the pushes go out on (the tests replace its POST: the push services are off this machine)."""
    return requests.Session()


def push_enqueue(user_ids: Iterable[Any]) -> None:
    """After a notice commits: enqueue a delivery for those of ``user_ids`` with a subscribed device. Never raises."""
    if not enabled():
        return
    try:
        ids = sorted(
            {
                str(u)
                for u in PushSubscription.objects.filter(user_id__in=list(user_ids)).values_list("user_id", flat=True)
            }
        )
        if ids:
            push_deliver.enqueue(ids)
    except Exception:
        logger.exception("notify: could not enqueue web pushes for %d people", len(list(user_ids)))


@task
def push_deliver(user_ids: list[str]) -> dict[str, int]:
    """Send each device of these people the content-free push; return how many were sent, gone and failed."""
    outcome = {"sent": 0, "gone": 0, "failed": 0}
    if not enabled():
        return outcome
    vapid = Vapid02.from_string(settings.ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY)
    session = _session()
    for subscription in PushSubscription.objects.filter(user_id__in=user_ids).select_related("user"):
        rows = PushSubscription.objects.filter(pk=subscription.pk)
        try:
            info = {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            }
        except Exception:
            # The person's data key is gone (erased): the subscription can never be read again.
            rows.delete()
            outcome["gone"] += 1
            continue
        try:
            webpush(
                subscription_info=info,
                data=payload_for(subscription.user),
                vapid_private_key=vapid,
                vapid_claims={"sub": settings.ALONGSIDE_WEBPUSH_SUBJECT},
                ttl=TTL,
                timeout=10,
                requests_session=session,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                rows.delete()
                outcome["gone"] += 1
                continue
            rows.update(failures=F("failures") + 1)
            outcome["failed"] += 1
            logger.warning("notify: web push to subscription %s failed (status %s)", subscription.pk, status)
            continue
        except Exception:
            rows.update(failures=F("failures") + 1)
            outcome["failed"] += 1
            logger.exception("notify: web push to subscription %s failed", subscription.pk)
            continue
        rows.update(last_sent_at=timezone.now(), failures=0)
        outcome["sent"] += 1
    return outcome


def vapid_keys_new() -> tuple[str, str]:
    """A new VAPID key pair: (public key for the browser, private key for the server), both base64url, unpadded."""
    private = vapid.private_key_new()
    return vapid.public_key_of(private), private
