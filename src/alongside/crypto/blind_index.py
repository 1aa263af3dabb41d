"""Keyed blind index for searching encrypted names (the caseload's search box).

Names are sealed under each client's data key, so the database cannot search them. Instead each
client row carries HMAC-SHA256 tokens of the normalised words of their names and of each word's
prefixes of three letters or more, under a key derived from the master key (HKDF, its own label).
A search computes the same tokens for the words typed and matches whole tokens. The tokens reveal
which clients share a name word or prefix (equality), nothing else; without the master key they
cannot be linked to any name. Rows are tagged with the id of the master key that made their tokens;
a search computes tokens under every known master key, and ``alongside names reindex`` rebuilds
the index after a rotation, before the old key is retired. We wrote this rather than use a library:
no maintained Python package offers a blind index over Django fields for our key hierarchy.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from alongside.crypto.keys import _derive, current_master_key, known_master_keys

_LABEL = b"alongside/blind-index/names/v1"
_MIN_PREFIX = 3
_MAX_WORD = 24
_TOKEN_CHARS = 16  # 64 bits of the HMAC: collisions are harmless (a false hit is filtered by decryption)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text or "").casefold()
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [w[:_MAX_WORD] for w in re.split(r"[^\w]+", plain) if len(w) >= 2 and not w.isdigit()]


def _token(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:_TOKEN_CHARS]


def name_index(*names: str) -> str:
    """The index text for a client's names: ``"<key id>: tok tok … "`` (space-delimited tokens)."""
    master = current_master_key()
    key = _derive(master, _LABEL)
    tokens: set[str] = set()
    for word in _words(" ".join(names)):
        tokens.add(_token(key, word))
        tokens.update(_token(key, word[:n]) for n in range(_MIN_PREFIX, len(word)))
    return f"{master.key_id}: " + "".join(f"{t} " for t in sorted(tokens))


def query_tokens(query: str) -> dict[str, list[str]]:
    """Per known master key id, the tokens of the typed words (each must match a whole token)."""
    words = _words(query)
    if not words:
        return {}
    return {
        key_id: [_token(_derive(master, _LABEL), word) for word in words]
        for key_id, master in known_master_keys().items()
    }
