"""Item wording and answer labels, pinned to the published forms (the source is in each scoring file)."""

from __future__ import annotations

import pytest

from alongside.measures.library import get, scoring_spec

# ---- K10: Kessler et al. (2002), self-administered form; items read "During the last 30 days, about how often
# did you feel ...?", answers None / A little / Some / Most / All of the time, scored 1-5.
K10_FEELINGS = [
    "tired out for no good reason",
    "nervous",
    "so nervous that nothing could calm you down",
    "hopeless",
    "restless or fidgety",
    "so restless you could not sit still",
    "depressed",
    "that everything was an effort",
    "so sad that nothing could cheer you up",
    "worthless",
]
K10_ANSWERS = [
    (1, "None of the time"),
    (2, "A little of the time"),
    (3, "Some of the time"),
    (4, "Most of the time"),
    (5, "All of the time"),
]


def test_k10_items_and_answers_follow_the_published_form():
    """Ten items in the published order, each with the 30-day stem and the five frequency answers scored 1-5."""
    k10 = get("k10")
    assert k10.preamble == "These questions concern how you have been feeling over the past 30 days."
    assert [item.text for item in k10.items] == [
        f"During the last 30 days, about how often did you feel {feeling}?" for feeling in K10_FEELINGS
    ]
    for item in k10.items:
        assert [(o.value, o.label) for o in item.options] == K10_ANSWERS
    assert "Kessler RC" in scoring_spec("k10").wording_source


# ---- WSAS: Mundt et al. (2002), appendix; 0-8 with labels at 0, 2, 4, 6 and 8.
WSAS_LABELS = {0: "Not at all", 2: "Slightly", 4: "Definitely", 6: "Markedly", 8: "Very severely"}


@pytest.mark.parametrize("link_id", [f"wsas-{n}" for n in range(1, 6)])
def test_wsas_answer_labels_follow_the_published_scale(link_id):
    """Every WSAS item runs 0-8; the even points carry the published words and the odd points only their number."""
    item = get("wsas").item(link_id)
    assert [o.value for o in item.options] == list(range(9))
    for option in item.options:
        expected = f"{option.value} — {WSAS_LABELS[option.value]}" if option.value in WSAS_LABELS else str(option.value)
        assert option.label == expected


def test_wsas_items_and_the_retired_instruction():
    """The five domains in order; the paper form's tick box becomes 'leave the work question unanswered'."""
    wsas = get("wsas")
    texts = [item.text for item in wsas.items]
    assert all(text.startswith("Because of my [problem]") for text in texts)
    for text, domain in zip(
        texts,
        [
            "ability to work",
            "home management",
            "social leisure activities",
            "private leisure activities",
            "close relationships",
        ],
        strict=True,
    ):
        assert domain in text
    assert "tick here" not in wsas.preamble
    assert wsas.preamble.endswith("leave the first question (work) unanswered.")
    assert not wsas.item("wsas-1").required  # so the work question can be left unanswered
    assert all(wsas.item(f"wsas-{n}").required for n in range(2, 6))
    assert "Mundt JC" in scoring_spec("wsas").wording_source
