"""Take the records the import drops out of the bytes before expat sees them, without changing what is refused.

Why: with a Python start-element callback, expat builds a dict of every element's attributes and calls into
Python for it; about 70% of a Watch user's records (energy, distance, stand time...) are of types the import
drops, and that work was most of the parse (``bench/README.md``). Here one C-level ``re.subn`` per chunk
replaces each such record with an empty comment ``<!---->``, which expat skips without calling Python, and
counts it for the ``records`` figure.

A record is replaced only when all of this holds (anything else goes to expat unchanged, so every malformed
or hostile case is still refused by expat, with the same message and line as before):

- It matches :func:`dropped_pattern` exactly: ``<Record type="T"`` with ``T`` plain letters and digits and not a type
  the import keeps, then only the attributes Apple writes, in Apple's order, each at most once, separated by
  spaces or tabs, then ``/>``. Each value holds no ``"``, ``<``, ``>``, ``&`` or control character except
  ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;``, ``&apos;`` and decimal references from 32 to 49,999 (all legal
  characters), and any other byte only as part of well-formed UTF-8 for a character XML allows (no
  surrogate, U+FFFE or U+FFFF). So the match is, by itself, a well-formed empty element, tokenised exactly as
  expat would (its quotes pair up the same way), with no line break inside: line numbers do not move.
  Columns can: an error after a replaced record on the same line reports a different column.
- The document is UTF-8 (an XML declaration naming UTF-8, or none) and the root ``<HealthData>`` has been
  seen and is not empty (``<HealthData .../>``), so the match is not before or outside the root.
- No byte fed so far, this chunk included, after the stripped document type declaration holds ``<!`` or
  ``<?`` (beyond the XML declaration) or ``</HealthData``: so the match is not inside a comment, a CDATA
  section or a processing instruction (Apple writes none of them after the DTD), nor after the root's end.
  The DTD itself is cut out before, and one that declares an entity is refused before anything is parsed.
  Chunks are cut after their last ``>`` (the rest goes with the next), so ``<!`` or ``</HealthData`` is
  never split between two chunks.
- What remains is a match inside a start tag or an attribute value, where it is not an element: there the
  ``<`` it begins with is illegal, and the comment put in its place begins with ``<`` too, so expat refuses
  the file at the same place ("invalid token"). Removing the match outright would not be safe: it would
  turn ``<Workout name="a<Record type="X"/>"/>`` into a well-formed tag.

Inside the root's content, a well-formed empty element and an empty comment are both allowed in the same
places and neither changes the text around them, so the rest of the document is well-formed after the
replacement exactly when it was before; and the handler does nothing with a record of a dropped type but
count it and count its start and end in the nesting depth it keeps for the children of kept records, which
cancel out (``children.py``). ``tests/wearables/test_apple_prefilter.py`` checks both on every fixture and on
synthetic exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_REFERENCE = rb"&(?:lt|gt|amp|quot|apos|#(?:3[2-9]|[4-9][0-9]|[1-9][0-9]{2,3}|[1-4][0-9]{4}));"
_UTF8 = (  # one well-formed UTF-8 character from U+0080, without surrogates, U+FFFE and U+FFFF
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xef(?:[\x80-\xbe][\x80-\xbf]|\xbf[\x80-\xbd])|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Possessive quantifiers (``*+``, ``?+``): a value has one way to match, so nothing is kept for backtracking.
_PLAIN = rb'[^"<>&\x00-\x1f\x80-\xff]*+'
_VALUE = rb'"' + _PLAIN + rb"(?:(?:" + _REFERENCE + rb"|" + _UTF8 + rb")" + _PLAIN + rb')*+"'
_ORDER = ("sourceName", "sourceVersion", "device", "unit", "creationDate", "startDate", "endDate", "value")


def _alternatives(kept: Iterable[str]) -> bytes:
    """``kept`` as one alternation, grouped by the part up to ``Identifier`` (fewer tries per record)."""
    groups: dict[str, list[str]] = {}
    for kind in sorted(kept):
        head, mark, rest = kind.partition("Identifier")
        groups.setdefault(head + mark if mark else "", []).append(rest if mark else kind)
    return b"|".join(
        re.escape(head.encode()) + b"(?:" + b"|".join(re.escape(rest.encode()) for rest in rests) + b")"
        for head, rests in groups.items()
    )


def dropped_pattern(kept: Iterable[str]) -> re.Pattern[bytes]:
    """The strict pattern of a self-closing ``<Record>`` whose type is none of ``kept`` (see the module's text)."""
    return re.compile(
        rb'<Record type="(?!(?:'
        + _alternatives(kept)
        + rb')")[A-Za-z0-9]++"'
        + b"".join(rb"(?:[ \t]++" + name.encode() + rb"=" + _VALUE + rb")?+" for name in _ORDER)
        + rb"[ \t]*+/>"
    )


EMPTY_COMMENT = b"<!---->"
_TAIL_LIMIT = 1 << 20
_DECLARATION = re.compile(rb'(?:\xef\xbb\xbf)?<\?xml[^?<>]*?(?:encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\'][^?<>]*)?\?>')
_ROOT_TAG = re.compile(rb"""<HealthData(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")


def utf8_declared(head: bytes) -> bool:
    """Whether ``head`` (from the file's first byte) is UTF-8: declared so, or no declaration and no other BOM."""
    if head.startswith((b"\xfe\xff", b"\xff\xfe")) or b"\x00" in head[:4]:
        return False
    declaration = _DECLARATION.match(head)
    if declaration is None:
        return not head.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
    encoding = declaration.group(1)
    if encoding is None:  # none declared, or written in a way not read here: then only if none at all
        return b"encoding" not in declaration.group(0)
    return encoding.lower() in (b"utf-8", b"utf8")


def root_is_empty(context: bytes) -> bool:
    """Whether the root start tag at the start of ``context`` (as expat reported it) closes itself."""
    tag = _ROOT_TAG.match(context)
    return tag is None or tag.group(1) == b"/"  # unreadable here: treat as closed, which turns the filter off


def _holds(piece: bytes, pair: bytes, start: int) -> bool:
    """Whether ``pair`` (``<`` and one more byte) is in ``piece`` from ``start``.

    The second byte is looked for first (one ``memchr``, and rare in an export): a two-byte ``find`` stops
    at every ``<`` and took longer than the whole pre-filter.
    """
    return piece.find(pair[1:], start) >= 0 and piece.find(pair, start) >= 0


class Prefilter:
    """Cut the byte stream into pieces after their last ``>`` and replace dropped records in each, while safe.

    ``open`` says whether filtering may start (set by the parser once the root is seen and not empty);
    ``stopped`` turns it off for good (comment, CDATA, processing instruction, the root's end, or 1 MB
    without any ``>``).
    """

    def __init__(self, head: bytes, dropped: re.Pattern[bytes]) -> None:
        self.dropped, self.removed = dropped, 0
        self.tail = b""
        self.stopped = not utf8_declared(head)
        declaration = _DECLARATION.match(head)
        self.skip = declaration.end() if declaration else 0  # the XML declaration is the one allowed ``<?``

    def pieces(self, chunk: bytes, root_open: bool) -> bytes:
        """Return what to feed expat now from ``chunk`` (the tail after the last ``>`` waits for the next)."""
        data = self.tail + chunk if self.tail else chunk
        cut = data.rfind(b">") + 1
        if cut == 0:
            if len(data) < _TAIL_LIMIT:  # wait for a ``>`` (a chunk smaller than a record, in the tests)
                self.tail = data
                return b""
            self.tail, self.stopped = b"", True  # 1 MB without ``>``: feed it as it is and stop filtering
            return data
        piece, self.tail = data[:cut], data[cut:]
        if self.skip:
            start, self.skip = self.skip, 0
        else:
            start = 0
        if self.stopped:
            return piece
        if _holds(piece, b"<!", start) or _holds(piece, b"<?", start) or piece.find(b"</HealthData") >= 0:
            self.stopped = True
            return piece
        if not root_open:
            return piece
        piece, count = self.dropped.subn(EMPTY_COMMENT, piece)
        self.removed += count
        return piece

    def rest(self) -> bytes:
        """Return the bytes still held back (fed unfiltered at the end of the file)."""
        rest, self.tail = self.tail, b""
        return rest
