"""The keys Alongside keeps in a signed-in person's session, shared by the HTTP and WebSocket layers."""

from __future__ import annotations

SESSION_AUTH_AT = "alongside_auth_at"
SESSION_SEEN_AT = "alongside_seen_at"
SESSION_MFA_OK = "alongside_mfa_ok"
SESSION_TIME_ZONE = "alongside_time_zone"
