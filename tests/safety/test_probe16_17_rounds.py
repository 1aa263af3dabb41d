"""The phenomena behind probes 16 and 17's misses, in wordings the probes do not use (issue #13).

Each probe was written before the detector ran on it; its misses became general pattern
families and guards. These cases are new wordings of the same phenomena, so a family keyed to
one probe sentence would not pass them.
"""

from __future__ import annotations

import pytest

from alongside import safety
from alongside.safety.result import Context, Level

URGENT = [
    # internet euphemisms for suicide
    "thinking about sewerslide this weekend",
    "i might self delete tonight honestly",
    # searching for the way to go
    "spent all night googling the least painful way to go",
    # named opioids or sedatives hoarded; a counted handful already swallowed
    "ive been hoarding my xanax since the summer",
    "i just swallowed like 15 of my nans pills",
    # Spanish: the time before the verb; a window; a weapon turned on oneself
    "mañana me mato, ya no aguanto",
    "me voy a tirar por la ventana del baño",
    "el revolver de mi abuelo esta en el ropero y pienso en usarlo conmigo",
    # a firearm taken out; a rope already tied
    "dads rifle is in the basement, i got it out last night",
    "the noose is already tied",
    # life-sustaining medicine stopped on purpose, both languages
    "ive been skipping my insulin deliberately",
    "deje de tomar la insulina a proposito",
    # absence announced with absolution
    "if im not around tomorrow it isnt anyones fault",
    "si mañana no despierto, los quiero",
    # weapons at people
    "i will take a hammer to him if he comes back",
    "le meto un plomazo al wey ese",
    "le voy a dar unos machetazos",
    # short lines left over from probes 10-14: a place now, a threat, emptied medicine, a push, a hose
    "heading down to the railway line right now",
    "my ex threatened to strangle me",
    "emptied mum's medicine cupboard, its all in my bag",
    "me empujo contra la pared",
    "consegui una manguera para el escape del carro",
    # probe 18's phenomena: who will find me, a one-way ticket to a height, a threat if she leaves
    "i dont want my son to find me",
    "bought a one-way ticket, the bridge is near the station",
    "si la dejo me mata, eso dijo",
    # probe 19's phenomena: a letter for later, arranging not to be looked for, blister packs hidden
    "left my son a letter for when he's grown",
    "booked a hotel so no one will come looking",
    "ive been hiding blister packs under my mattress",
    "me fui a un hotel para que nadie me encuentre",
]

REVIEW_AT_LEAST = [
    "i finally understand why people take their own lives",
    "my father yells that he wishes i was never born",
    "deactivated my insta and gave my cousin all my clothes",
    "Thank you for your patience these past weeks. I shan't be needing the session on Monday. My regards to the team.",
    "tell my sister i said goodbye",
    "me di de cabezazos contra el espejo",
    "llevo dos dias sin comer a proposito",
    "me quemé con la plancha otra vez",
    "pensamientos de lastimar a mi hermana",
    "he dejado todo en orden",
    "estoy en paz con mi decision",
    "death is the only way out",
    "said all my goodbyes",
    "vivirian mas felices sin mi",
    "gracias por todo y adios",
    "I self-harmed on sunday",
    "honestly i envy the dead",
    "got painkillers from three different pharmacies today",
    "she was kinder than i deserved",
    "my wife deserves a better husband than me",
    "le dejo mis cosas a mi prima",
    "I keep picturing steering into oncoming traffic",
    "seria mejor no haber nacido",
    "cuiden a mi perra, la comida esta en el garage",
]

NOT_RAISED = [
    # idioms built on risk words: not raised by the classifier alone
    "this band, i would die for them",
    "math test tomorrow, just shoot me now",
    "cut my hair myself lol it looks bad",
    "my sister took my headphones again, im gonna lose it",
    "me corte el fleco y quedo fatal",
    "me quiero morir de la pena jaja, me equivoque de grupo",
    # a shed is not self-harm slang; a late husband's things are not one's own
    "my husband is building a shed in the garden",
    "giving away my late wife's books to the library",
]


@pytest.mark.parametrize("text", URGENT)
def test_urgent_phenomena_are_urgent(text: str) -> None:
    """Plan, means, timing and threats in new wordings reach the critical path."""
    assert safety.detect(text).level is Level.URGENT


@pytest.mark.parametrize("text", REVIEW_AT_LEAST)
def test_indirect_risk_alerts(text: str) -> None:
    """Indirect ideation, emotional abuse, goodbyes, self-harm and intrusive harm thoughts alert."""
    assert safety.detect(text).level >= Level.REVIEW


@pytest.mark.parametrize("text", NOT_RAISED)
def test_idioms_and_everyday_things_raise_nothing(text: str) -> None:
    """Everyday idioms, haircuts, sheds and a widow's giving away are not crisis language."""
    assert safety.detect(text).level is Level.NONE


@pytest.mark.parametrize(
    "text",
    [
        "i was in the hospital in 9th grade after i tried to kill myself",
        "at age 14 i tried to kill myself",
        "a los 16 intente matarme, hoy estoy bien",
    ],
)
def test_an_age_or_school_year_marks_history(text: str) -> None:
    """A past attempt dated by a school year or an age is history: review, not urgent."""
    result = safety.detect(text)
    assert result.level is Level.REVIEW
    assert any(Context.HISTORICAL in hit.contexts for hit in result.hits)


def test_an_idiom_never_lowers_a_pattern() -> None:
    """An idiom beside a real statement leaves the pattern's alert as it was (a guard, not a regression)."""
    assert safety.detect("lol i'd die for this song. anyway i'm going to kill myself tonight").level is Level.URGENT


def test_a_washing_line_cord_is_not_urgent() -> None:
    """Buying a cord to hang the washing is not the means of suicide (it was urgent on "compré una cuerda")."""
    assert safety.detect("compre una cuerda para tender la ropa").level < Level.URGENT
