"""A small client of the Janus HTTP API for group sessions: tokens, and VideoRoom create and destroy.

Janus runs with ``token_auth`` and a ``token_auth_secret`` (its signed-token mode): a token is
``<expiry>,janus,janus.plugin.videoroom:<signature>`` where the signature is the base64
HMAC-SHA1 of the part before the colon under the shared secret. Janus recomputes it and refuses
the token after its expiry, so tokens are stateless and short-lived, like coturn's TURN
passwords. The token only lets a browser talk to the VideoRoom plugin; the room itself is
private and asks for a pin that only invited people are given (derived here from the room
number and Django's key, so it is never stored), and its ``allowed`` list holds one room token
per admitted person (``room_token``), so a token given for one group opens no other room. Creating and destroying rooms needs the
VideoRoom ``admin_key`` and the room ``secret``, which never leave the server.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

PLUGIN = "janus.plugin.videoroom"
MAX_PUBLISHERS = 10
TIMEOUT = 5.0  # seconds for one request to Janus on the server's own network


class JanusError(Exception):
    """Janus refused a request or could not be reached."""


def enabled() -> bool:
    """Whether group sessions are switched on (a Janus URL is configured)."""
    return bool(settings.TELEHEALTH_JANUS_URL)


def token(*, expires_at: float, secret: str | None = None) -> str:
    """Return a Janus signed token for the VideoRoom plugin, valid until ``expires_at`` (Unix time)."""
    key = settings.TELEHEALTH_JANUS_TOKEN_SECRET if secret is None else secret
    data = f"{int(expires_at)},janus,{PLUGIN}"
    signature = base64.b64encode(hmac.new(key.encode(), data.encode(), hashlib.sha1).digest()).decode("ascii")
    return f"{data}:{signature}"


def room_pin(room: int) -> str:
    """The room's join pin: given to admitted participants only, derived so it is never stored."""
    return salted_hmac("alongside.telehealth.janus.pin", str(room), algorithm="sha256").hexdigest()[:24]


def room_secret(room: int) -> str:
    """The room's own secret, needed to destroy or edit it (stays on the server)."""
    return salted_hmac("alongside.telehealth.janus.secret", str(room), algorithm="sha256").hexdigest()


def room_token(room: int, user_id: object) -> str:
    """One person's key to one room: on the room's ``allowed`` list while they are admitted.

    The room is created with an (empty) allowed list, so Janus itself refuses a join without a token on
    it: a token handed out for one group opens no other room, even with that room's pin. Derived from the
    room and the person, so it is never stored and can be taken off the list again on removal.
    """
    return salted_hmac("alongside.telehealth.janus.room-token", f"{room}:{user_id}", algorithm="sha256").hexdigest()[
        :40
    ]


def feed_id(room: int, user_id: object) -> int:
    """The person's publisher id in the room (below 2**53): fixed, so the server can kick that feed."""
    digest = salted_hmac("alongside.telehealth.janus.feed", f"{room}:{user_id}", algorithm="sha256").digest()
    return int.from_bytes(digest[:8], "big") % (2**53 - 2) + 1


def new_room_number() -> int:
    """A random room number below 2**53, so browsers read it exactly as a JavaScript number."""
    return secrets.randbelow(2**53 - 1) + 1


class JanusClient:
    """Talk to Janus's HTTP API (``TELEHEALTH_JANUS_URL``, as the server sees it)."""

    def __init__(self, url: str | None = None, *, token_secret: str | None = None) -> None:
        self.url = (url or settings.TELEHEALTH_JANUS_URL).rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise JanusError("TELEHEALTH_JANUS_URL must be an http:// or https:// URL.")
        self.token_secret = settings.TELEHEALTH_JANUS_TOKEN_SECRET if token_secret is None else token_secret

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body = {**body, "transaction": secrets.token_hex(8)}
        if self.token_secret:
            body["token"] = token(expires_at=time.time() + 60, secret=self.token_secret)
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            self.url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  # nosec B310
                answer: dict[str, Any] = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise JanusError(f"Janus could not be reached: {error}") from error
        if answer.get("janus") == "error":
            raise JanusError(f"Janus refused: {answer.get('error')}")
        return answer

    def videoroom(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send one synchronous request to the VideoRoom plugin in a throwaway Janus session; return its data."""
        session = self._post("", {"janus": "create"})["data"]["id"]
        try:
            handle = self._post(f"/{session}", {"janus": "attach", "plugin": PLUGIN})["data"]["id"]
            answer = self._post(f"/{session}/{handle}", {"janus": "message", "body": body})
        finally:
            with contextlib.suppress(JanusError):  # else Janus drops the idle session after its session_timeout
                self._post(f"/{session}", {"janus": "destroy"})
        data: dict[str, Any] = answer.get("plugindata", {}).get("data", {})
        if "error" in data:
            raise JanusError(f"VideoRoom refused: {data.get('error_code')} {data['error']}")
        return data

    def room_create(self, *, room: int, description: str) -> None:
        """Create a private VideoRoom for up to ten publishers, with its pin and secret."""
        self.videoroom(
            {
                "request": "create",
                "room": room,
                "admin_key": settings.TELEHEALTH_JANUS_ADMIN_KEY,
                "description": description,
                "secret": room_secret(room),
                "pin": room_pin(room),
                "is_private": True,
                "publishers": MAX_PUBLISHERS,
                "permanent": False,
                "record": False,
                "allowed": [],  # only tokens added per admitted person may join (room_token)
            }
        )

    def room_allow(self, *, room: int, tokens: list[str], allow: bool = True) -> None:
        """Add tokens to the room's allowed list, or take them off it."""
        self.videoroom(
            {
                "request": "allowed",
                "room": room,
                "secret": room_secret(room),
                "action": "add" if allow else "remove",
                "allowed": tokens,
            }
        )

    def room_kick(self, *, room: int, feed: int) -> None:
        """Send one participant out of the room; someone not (or no longer) in it is fine."""
        try:
            self.videoroom({"request": "kick", "room": room, "secret": room_secret(room), "id": feed})
        except JanusError as error:
            if "428" not in str(error):  # 428: no such participant
                raise

    def room_destroy(self, *, room: int) -> None:
        """Destroy the room (everyone still in it is sent away); a room Janus no longer has is fine."""
        try:
            self.videoroom({"request": "destroy", "room": room, "secret": room_secret(room), "permanent": False})
        except JanusError as error:
            if "426" not in str(error):  # 426: no such room (Janus restarted, or destroyed already)
                raise
