"""`alongside safety evaluate FILE.tsv`: the figures, the misses and the exit status."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def run(path):
    out = io.StringIO()
    try:
        call_command("safety", "evaluate", str(path), stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_a_file_with_a_header_and_levels_passes_and_prints_every_breakdown(tmp_path):
    """Recall, precision and F1 overall, per language and category, and the level table."""
    path = tmp_path / "set.tsv"
    path.write_text(
        "label\tlanguage\tcategory\ttext\tlevel\n"
        "1\ten\tmeans\tI've been saving my pills\turgent\n"
        "1\tes\tdanger_abuse\tme amenazó con un cuchillo\turgent\n"
        "0\ten\teveryday\tcan we move our session to Thursday?\tnone\n",
        encoding="utf-8",
    )
    code, output = run(path)
    assert code == 0
    assert "overall" in output
    assert "recall=1.000 precision=1.000" in output
    assert "  es " in output
    assert "  means " in output
    assert "urgent -> urgent" in output
    assert "PASS" in output


def test_a_file_without_a_header_that_misses_exits_non_zero_and_lists_the_miss(tmp_path):
    """Columns label, language, category, text in that order; recall under 0.95 exits 1."""
    path = tmp_path / "set.tsv"
    path.write_text(
        "1\ten\tsuicide_ideation\tI want to kill myself\n1\ten\tother\tthe weather is lovely today\n",
        encoding="utf-8",
    )
    code, output = run(path)
    assert code == 1
    assert "fn [en/other] the weather is lovely today" in output


@pytest.mark.parametrize("content", ["", "label\tlanguage\tcategory\ttext\n"])
def test_an_empty_file_is_refused_clearly(tmp_path, content):
    """No rows: a clear error, not a crash."""
    from django.core.management.base import CommandError

    path = tmp_path / "empty.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("safety", "evaluate", str(path))
