"""The detector never raises, whatever it is given; when it fails inside, it asks for review."""

from __future__ import annotations

import pytest

from alongside import safety
from alongside.safety import Category, Level, detector


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "x" * 20_000,
        ("I want to kill myself. " * 1000)[:20_000],
        "hello\x00world\x00kill\x00myself",
        "\x00" * 500,
        "Привет мир, I want to die, 你好, مرحبا",
        "\u202eflesym llik ot tnaw i\u202c",
        "أريد أن أموت",
        "😀😀😀🙂",
        "💊🔪🪢🔫",
        "\ud800 lone surrogate",
        None,
        b"bytes: I want to die",
        12345,
    ],
)
def test_never_raises(text):
    """Empty, huge, NUL bytes, mixed scripts, right-to-left, emoji-only and non-text input all return."""
    result = safety.detect(text)
    assert isinstance(result.level, Level)


def test_a_failure_inside_asks_for_review(monkeypatch):
    """If a layer breaks, the result is review with check_failed, so a person reads the message."""

    def broken(_text):
        raise RuntimeError("boom")

    monkeypatch.setattr(detector.patterns, "find", broken)
    result = safety.detect("anything at all")
    assert result.level is Level.REVIEW
    assert result.check_failed
    assert Category.CHECK_FAILED in result.categories


def test_a_long_message_still_finds_a_late_phrase():
    """A phrase at the end of a 5,000-character message is found."""
    text = "I had a long and ordinary week. " * 150 + "I have been saving my pills."
    assert safety.detect(text).level is Level.URGENT
