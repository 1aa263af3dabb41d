"""VAPID keys for Web Push (RFC 8292): P-256, written as unpadded base64url.

Django-free, so that ``settings.py`` can make the demo's key pair before the apps are loaded.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def private_key_new() -> str:
    """Return a new private key: the 32-byte P-256 scalar, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _encode(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key_of(private: str) -> str:
    """Return the public key browsers subscribe with (the uncompressed point, base64url) for ``private``."""
    raw = base64.urlsafe_b64decode(private + "=" * (-len(private) % 4))
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _encode(point)
