"""Psychoeducation modules: present in every language, rendered safely, readable."""

from __future__ import annotations

import re

import pytest
from django.utils.safestring import SafeString

from alongside.selfcare import library, markup


def test_every_module_exists_in_english_and_spanish() -> None:
    """Every module loads in en and es with a title, a summary and minutes."""
    assert library.validate() == []
    for slug in library.SLUGS:
        assert library.load(slug, "en").title != library.load(slug, "es").title


@pytest.mark.parametrize("slug", library.SLUGS)
@pytest.mark.parametrize("language", library.LANGUAGES)
def test_module_renders_within_length(slug: str, language: str) -> None:
    """Each module renders to headings, paragraphs and lists, and is 250-450 words long."""
    module = library.load(slug, language)
    html = module.html()
    assert isinstance(html, SafeString)
    assert "<h2>" in html
    assert "<p>" in html
    assert "<ul>" in html or "<ol>" in html
    words = len(module.body.split())
    assert 250 <= words <= 450, (language, slug, words)


def test_crisis_module_links_to_help_page() -> None:
    """The crisis module links to the crisis lines page in both languages."""
    for language in library.LANGUAGES:
        assert 'href="/measures/help/"' in library.load("what-to-do-in-a-crisis", language).html()


def test_renderer_escapes_html_and_unsafe_links() -> None:
    """HTML in content is escaped and javascript: links stay text."""
    html = markup.render(
        "# Title <script>\n\nHello <b>x</b> & **bold <i>**\n\n- [click](javascript:alert(1))\n- [ok](/x/?a=1&b=2)"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; <strong>bold &lt;i&gt;</strong>" in html
    assert "javascript:" not in html.replace("click", "")
    assert '<a href="/x/?a=1&amp;b=2">ok</a>' in html
    assert html.startswith("<h2>Title &lt;script&gt;</h2>")


def test_front_matter_is_required() -> None:
    """A module without its front matter is refused."""
    with pytest.raises(library.ModuleError):
        library.parse("x", "en", "# no front matter")
    with pytest.raises(library.ModuleError):
        library.parse("x", "en", "---\ntitle: T\n---\nbody")


def _syllables(word: str) -> int:
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    if word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(1, count)


def flesch_kincaid_grade(text: str) -> float:
    """Flesch-Kincaid grade level with a vowel-group syllable heuristic."""
    plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    plain = re.sub(r"^#+\s*", "", plain, flags=re.M)
    # A heading or list item is a sentence of its own even without a full stop.
    plain = re.sub(r"^\s*(?:[-*]|\d+[.)])\s+", "", plain, flags=re.M)
    sentences = [s for s in re.split(r"[.!?:]+\s|\n+", plain) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", plain)
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def test_syllable_heuristic() -> None:
    """The heuristic counts common words right."""
    assert [_syllables(w) for w in ["cat", "make", "table", "breathing", "relaxing", "the"]] == [1, 1, 2, 2, 3, 1]


@pytest.mark.parametrize("slug", library.SLUGS)
def test_english_modules_read_at_grade_eight_or_below(slug: str) -> None:
    """English modules score 8 or below on the Flesch-Kincaid grade (about a 12-year-old's reading)."""
    grade = flesch_kincaid_grade(library.load(slug, "en").body)
    assert grade <= 8, (slug, round(grade, 1))
