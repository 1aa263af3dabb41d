"""A software passkey for tests: a P-256 key that answers WebAuthn sign-in challenges as an authenticator does.

The browser and the authenticator are on this machine in real use too (Chromium's virtual authenticator
covers them in the browser tests); this lets the server side be checked without a browser, including
answers a real authenticator would never give (no user verification, a foreign user handle).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

from alongside.accounts.models import Passkey, User

FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04


class SoftPasskey:
    """One discoverable credential of ``user`` for ``rp_id`` (the Django test client's host by default)."""

    def __init__(self, user: User, *, rp_id: str = "testserver", origin: str = "http://testserver") -> None:
        self.user = user
        self.rp_id = rp_id
        self.origin = origin
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def private_key_pkcs8(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def register(self, name: str = "Test passkey") -> Passkey:
        """Keep the public half on the server, as a finished registration does."""
        return Passkey.objects.create(
            user=self.user, name=name, credential_id=self.id, public_key=self.cose_public_key(), transports=["internal"]
        )

    def answer(self, challenge: str, *, verified: bool = True, user_handle: bytes | None = None) -> dict[str, Any]:
        """Return the browser's JSON for a signed answer to ``challenge`` (base64url)."""
        self.sign_count += 1
        flags = FLAG_USER_PRESENT | (FLAG_USER_VERIFIED if verified else 0)
        authenticator_data = (
            hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count)
        )
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()
        signature = self.private_key.sign(
            authenticator_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        handle = self.user.pk.bytes if user_handle is None else user_handle
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(authenticator_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(handle),
            },
        }
