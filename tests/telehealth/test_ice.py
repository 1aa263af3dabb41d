"""ICE configuration: STUN and TURN from settings, TURN passwords per join in coturn's shared-secret scheme."""

from __future__ import annotations

import base64
import hashlib
import hmac

from alongside.telehealth.ice import ice_config, turn_credentials


def test_turn_credentials_follow_the_turn_rest_scheme():
    """The username is "<expiry>:<user id>" and the password base64(HMAC-SHA1(secret, username))."""
    username, password = turn_credentials(secret="s3cret", user_id="42", ttl=600, now=1_000_000)
    assert username == "1000600:42"
    assert password == base64.b64encode(hmac.new(b"s3cret", b"1000600:42", hashlib.sha1).digest()).decode()
    # RFC 2104 shape of the result: 20 bytes of SHA-1, 28 characters of base64.
    assert len(base64.b64decode(password)) == 20


def test_a_credential_lives_at_least_a_minute_even_if_the_setting_says_less():
    username, _ = turn_credentials(secret="s", user_id="7", ttl=0, now=100)
    assert username == "160:7"


def test_ice_config_reads_settings_and_mints_a_password_per_join(settings):
    settings.TELEHEALTH_STUN_URLS = ["stun:turn.example.org:3478"]
    settings.TELEHEALTH_TURN_URLS = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
    settings.TELEHEALTH_TURN_SECRET = "shared"
    settings.TELEHEALTH_TURN_TTL = 300
    settings.TELEHEALTH_ICE_POLICY = "relay"
    first = ice_config(user_id="a", now=1000)
    later = ice_config(user_id="a", now=2000)
    assert first["iceTransportPolicy"] == "relay"
    assert first["iceServers"][0] == {"urls": ["stun:turn.example.org:3478"]}
    turn = first["iceServers"][1]
    assert turn["urls"] == settings.TELEHEALTH_TURN_URLS
    assert turn["username"] == "1300:a"
    assert later["iceServers"][1]["credential"] != turn["credential"]


def test_without_a_secret_no_turn_server_is_offered(settings):
    """TURN URLs without the shared secret would only fail in the browser: leave them out."""
    settings.TELEHEALTH_STUN_URLS = []
    settings.TELEHEALTH_TURN_URLS = ["turn:turn.example.org:3478"]
    settings.TELEHEALTH_TURN_SECRET = ""
    settings.TELEHEALTH_ICE_POLICY = "anything else"
    assert ice_config(user_id="a") == {"iceServers": [], "iceTransportPolicy": "all"}
