"""English pattern families from the sixteenth and seventeenth fresh probes (issue #13, 2026-12-07).

Same conventions as :mod:`alongside.safety.patterns_en`, whose ``PIECES`` these use; each
family names a general phenomenon seen in a probe's misses or under-called levels, never one
sentence. :mod:`alongside.safety.patterns_en_more` appends ``ROUND16`` to its ``MORE``.
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

ROUND16: tuple[tuple[str, C, L, str], ...] = (
    (
        # Internet euphemisms for suicide, written to pass content filters.
        "en.slang_sixteenth",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\bsewer ?slid(?:e|ing)\b|\bself ?delet(?:e|ing|ion)\b|\bcommit (?:toaster bath|sewer ?slide)\b",
    ),
    (
        # Searching for the way to go, "go" standing for "die".
        "en.research_go",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:researching|researched|looking up|looked up|googling|googled|searching|searched)"
        r" (?:the )?(?:quickest|easiest|fastest|best|least painful|most painless|surest) (?:way|ways|method|methods) to (?:go|do it)\b",
    ),
    (
        # Opioids and other named drugs hoarded, which the general "pills" piece does not name.
        "en.means_named_drugs",
        C.MEANS,
        L.URGENT,
        r"\b(?:stockpil\w*|hoard\w*|stash\w*|sav(?:e|ed|ing)(?: up)?|hid(?:e|den|ing)|collect\w*)"
        r" (?:up )?(?:all )?(?:my |some |his |her |the )?(?:oxy|oxys|oxycodone|oxycontin|percocets?|vicodin|fentanyl|morphine"
        r"|tramadol|codeine|xanax|xannies|valium|benzos|klonopin|ambien|lithium|seroquel|heart meds|insulin pens?)\b",
    ),
    (
        # Violent intent against a person described by the body part to be struck.
        "en.harm_head_in",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:bash|smash|cave|kick|beat) (?:his|her|their|your|that guy'?s|that woman'?s) (?:stupid )?(?:head|skull|face) in\b",
    ),
    (
        # A goodbye passed on through someone else.
        "en.goodbye_relayed",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\btell (?:them|everyone|everybody|the group|the others|my [a-z]+|the [a-z]+) (?:that )?i said (?:bye|goodbye)\b",
    ),
)
