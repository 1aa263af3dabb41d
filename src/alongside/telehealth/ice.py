"""ICE servers for a join: STUN as configured, TURN with a short-lived password per join.

TURN passwords follow the TURN REST scheme that coturn implements with ``use-auth-secret``
(draft-uberti-behave-turn-rest-00): the username is ``<expiry unix time>:<user id>`` and the
password is base64(HMAC-SHA1(shared secret, username)). coturn recomputes the HMAC from its
own copy of the secret and refuses a username whose expiry has passed, so nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings


def turn_credentials(*, secret: str, user_id: str, ttl: int, now: float | None = None) -> tuple[str, str]:
    """Return (username, password) for coturn's shared-secret scheme, valid for ``ttl`` seconds."""
    expiry = int(now if now is not None else time.time()) + max(60, ttl)
    username = f"{expiry}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_config(*, user_id: str, now: float | None = None) -> dict[str, Any]:
    """Return the RTCConfiguration fields a browser needs: ``iceServers`` and ``iceTransportPolicy``."""
    servers: list[dict[str, Any]] = []
    if settings.TELEHEALTH_STUN_URLS:
        servers.append({"urls": list(settings.TELEHEALTH_STUN_URLS)})
    if settings.TELEHEALTH_TURN_URLS and settings.TELEHEALTH_TURN_SECRET:
        username, password = turn_credentials(
            secret=settings.TELEHEALTH_TURN_SECRET, user_id=user_id, ttl=settings.TELEHEALTH_TURN_TTL, now=now
        )
        servers.append({"urls": list(settings.TELEHEALTH_TURN_URLS), "username": username, "credential": password})
    policy = "relay" if settings.TELEHEALTH_ICE_POLICY == "relay" else "all"
    return {"iceServers": servers, "iceTransportPolicy": policy}
