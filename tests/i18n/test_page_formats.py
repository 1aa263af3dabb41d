"""Every page each role can open, in English and in Spanish, reads one clock and one format.

The pages come from the route walk (``tests/access``): every URL pattern, its parameters filled with real records
of Sam's. Sam (a client), Alice (Sam's clinician) and an admin of the practice open each page with a GET in both
languages; the visible text of each HTML page must not mix formats (see ``format_problems``), and a Spanish page
must not carry English sentences (see ``english_problems``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone

from alongside.selfcare.services.checkins import checkin_create
from tests.access import walk_objects
from tests.access.test_route_walk import _build, _fill, _signed_in, all_routes

MONTHS_EN = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
MONTHS_ES = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
# Each rule: a name and a pattern that must not appear in a page's visible text.
COMMON_RULES = {
    "a numeric date (12/05/2026: which order?)": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "a US-order date (Dec. 5, 2026)": re.compile(rf"\b(?:{MONTHS_EN})\.? \d{{1,2}}, \d{{4}}\b"),
    # Not followed by a letter (a trailing \b never matched after "p.m.", so "4 p.m." went unseen).
    # Hours 1-12 only: the authenticator key shown at enrolment is base32 in groups of four ("IWTF 24AM ..."), and
    # "24AM" read as a time made the sweep fail by chance (CI, PostgreSQL pass).
    "a 12-hour clock (a.m./p.m.)": re.compile(
        r"\b(?:1[0-2]|0?[1-9])(?::\d\d)? ?(?:[ap]\.\s?m\.|[AP]M)(?!\w)|\b(?:noon|midnight)\b"
    ),
}
SPANISH_RULES = {
    # "6.7" in Spanish: the decimal sign is a comma ("5.000", a point before three digits, groups thousands).
    "a decimal point in a Spanish number": re.compile(r"(?<![\w.,/v-])\d+\.(?:\d{1,2}|\d{4,})(?![\w.])"),
    "a Spanish date without 'de' (10 diciembre 2026)": re.compile(rf"\b\d{{1,2}} (?:{MONTHS_ES}) \d{{4}}\b"),
    "an English month name": re.compile(
        r"\b(?:January|February|March|April|June|July|August|September|October|"
        r"November|December)\b"
    ),
}

# Plainly English words that are not Spanish words (nor names used here): a Spanish page with them shows English.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "your",
        "you",
        "with",
        "this",
        "that",
        "have",
        "has",
        "from",
        "what",
        "which",
        "please",
        "week",
        "today",
        "yesterday",
        "never",
        "will",
        "would",
        "should",
        "about",
        "there",
        "their",
        "been",
        "were",
        "when",
        "where",
        "while",
        "only",
        "more",
        "than",
        "into",
        "could",
        "other",
        "after",
        "before",
    ]
)
# English that may stand in a Spanish page: names of instruments and scales, product and app names, and the
# English original of a questionnaire shown with its notice (see measures/instruments).
ENGLISH_ALLOWED = re.compile(r"Alongside|Riverside Therapy|Hillside Counselling")

SCRIPT_OR_STYLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    """Return the text a reader sees: no scripts, styles, tags or attribute values."""
    text = TAG.sub(" ", SCRIPT_OR_STYLE.sub(" ", html))
    text = re.sub(r"\b(?:doi:|https?://|www\.)\S+", " ", text)  # references: a DOI or an address is no number
    for entity, char in (
        ("&nbsp;", " "),
        ("&amp;", "&"),
        ("&#x27;", "'"),
        ("&quot;", '"'),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ):
        text = text.replace(entity, char)
    return re.sub(r"\s+", " ", text)


class _WithoutEnglishParts(HTMLParser):
    """Keep the HTML outside elements marked ``lang="en…"`` (and everything inside them that is not text)."""

    VOID = frozenset(
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.kept: list[str] = []
        self.depth = 0  # how many open elements deep inside an English part (0: outside)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif any(name == "lang" and (value or "").lower().startswith("en") for name, value in attrs):
            self.depth = 1
        else:
            self.kept.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth -= 1
        else:
            self.kept.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.kept.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def without_english_parts(html: str) -> str:
    """Return ``html`` without the elements it marks as English (``lang="en"``: an original-language questionnaire,
    a published citation or licence), which a Spanish page may rightly carry and a screen reader reads as English."""
    parser = _WithoutEnglishParts()
    parser.feed(SCRIPT_OR_STYLE.sub(" ", html))
    parser.close()
    return "".join(parser.kept)


def format_problems(text: str, language: str) -> list[str]:
    """Name each mixed or foreign format found in a page's visible text, with the text around it."""
    rules = dict(COMMON_RULES) | (SPANISH_RULES if language == "es" else {})
    found = []
    for name, pattern in rules.items():
        for match in pattern.finditer(text):
            found.append(f"{name}: …{text[max(0, match.start() - 40) : match.end() + 40]}…")
    return found


def english_problems(text: str) -> list[str]:
    """Name the English sentences in a Spanish page's visible text (two or more English words in a row)."""
    text = ENGLISH_ALLOWED.sub(" ", text)
    found = []
    for match in re.finditer(r"[A-Za-z']+(?:[ ,]+[A-Za-z']+)+", text):
        words = [w.lower().strip("'") for w in re.split(r"[ ,]+", match.group())]
        if sum(w in ENGLISH_WORDS for w in words) >= 2:
            found.append(match.group()[:120])
    return found


def page_routes() -> list:
    """The pages (not the API, the admin, sign-out or one-time-token routes) a signed-in person may open."""
    skip = ("api:", "admin:", "accounts:logout", "set_language")
    return [
        r
        for r in all_routes()
        if not r.name.startswith(skip)
        and not r.takes_token
        and "<unnamed" not in r.name
        and all(p in walk_objects.FACTORIES for p in r.params)  # the route walk's own test names the missing ones
    ]


_SWEEP: dict[str, list[str]] = {}


def _sweep() -> dict[str, list[str]]:
    """Open every page as Sam, Alice and the admin in both languages; return the findings by kind (once a run)."""
    if _SWEEP:
        return _SWEEP
    people = walk_objects.cast()
    people.practice.time_zone = "America/Chicago"
    people.practice.save(update_fields=["time_zone"])
    people.sam.time_zone = "Europe/Madrid"
    people.sam.save(update_fields=["time_zone"])
    # A check-in at 14:37 UTC: 15:37 or 16:37 for Sam in Madrid, 08:37 or 09:37 for Alice in Chicago, never 14:37.
    at = timezone.now().replace(hour=14, minute=37, second=0, microsecond=0)
    if at > timezone.now():
        at -= dt.timedelta(days=1)
    checkin_create(actor=people.sam.user, client=people.sam, idempotency_key="format-sweep-1", at=at, mood=6)
    findings: dict[str, list[str]] = defaultdict(list)
    pages = 0
    users = {"sam": people.sam.user, "alice": people.alice, "admin": people.admin}
    browsers = {}
    for label, user in users.items():
        for language in ("en", "es"):
            browsers[label, language] = browser = _signed_in(user)
            browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for route in page_routes():
        values, _made = _build(route, people)
        path = _fill(route.template, values)
        for label, user in users.items():
            for language in ("en", "es"):
                browser = browsers[label, language]
                if "_auth_user_id" not in browser.session:  # a page that ends the session (none expected)
                    browsers[label, language] = browser = _signed_in(user)
                    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                try:
                    response = browser.get(path)
                except Exception as error:  # a broken page is the route walk's to report, not this sweep's
                    findings["broken"].append(f"{label} {language} {path}: {error!r}"[:300])
                    continue
                if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
                    continue
                pages += 1
                text = visible_text(response.content.decode())
                where = f"{label} {language} {path}"
                findings["format"] += [f"{where}: {p}" for p in format_problems(text, language)]
                if language == "es":
                    spanish_text = visible_text(without_english_parts(response.content.decode()))
                    findings["english"] += [f"{where}: {p}" for p in english_problems(spanish_text)]
                if "14:37" in text:
                    findings["clock"].append(f"{where}: a check-in shown on the UTC clock")
    findings["pages"] = [str(pages)]
    _SWEEP.update(findings)
    return _SWEEP


def test_rules_catch_mixed_formats() -> None:
    """The format rules flag US-order and numeric dates, a.m./p.m., Spanish decimal points and dates without 'de'."""
    assert format_problems("Raised Dec. 5, 2026 at 4 p.m.", "en")
    assert format_problems("on 12/05/2026", "en")
    assert format_problems("at 10:30 AM", "en")
    assert format_problems("Session at 4 p.m. today", "en")
    assert not format_problems("Key to type instead: IWTF 24AM 7ATM MZRK", "en")
    assert format_problems("tu media: 6.7", "es")
    assert not format_problems("Hasta 5.000 caracteres.", "es")
    assert format_problems("Jueves 10 diciembre 2026", "es")
    assert not format_problems("jueves, 10 de diciembre de 2026, 16:05 · tu media: 6,7", "es")
    assert not format_problems("Thursday, 10 December 2026, 16:05 · average 6.7", "en")
    assert english_problems("Las preguntas tratan sobre the last week")
    assert not english_problems("Las preguntas tratan sobre la última semana · Alongside")
    marked = (
        '<p>Hola</p><p lang="en">Over the last <b>two</b> weeks, how often have you<br> been bothered</p><p>Fin</p>'
    )
    assert english_problems(visible_text(marked))
    assert visible_text(without_english_parts(marked)).split() == ["Hola", "Fin"]


@pytest.mark.django_db
def test_every_page_reads_one_format_in_both_languages() -> None:
    """No page of Sam, Alice or the admin mixes date, clock or number formats, in English or Spanish."""
    sweep = _sweep()
    print(f"\nformat sweep: {sweep['pages'][0]} pages (3 roles x 2 languages); pages that failed to render:")
    print("\n".join(sweep.get("broken", [])))
    assert int(sweep["pages"][0]) > 100
    assert not sweep.get("format", []), "\n".join(sweep.get("format", []))


@pytest.mark.django_db
def test_every_page_shows_times_on_the_reader_clock() -> None:
    """A check-in at 14:37 UTC is never shown as 14:37: Sam reads Madrid time, Alice and the admin Chicago time."""
    sweep = _sweep()
    assert not sweep.get("clock", []), "\n".join(sweep.get("clock", []))


@pytest.mark.django_db
def test_spanish_pages_carry_no_english_sentences() -> None:
    """A Spanish page has no run of English words (heuristic word list; names and brands allowed).

    Text a page marks as English (``lang="en"``) is left out: a questionnaire's original wording shown with its
    notice, a published citation, licence or source note.
    """
    sweep = _sweep()
    assert not sweep.get("english", []), "\n".join(sorted(set(sweep.get("english", []))))
