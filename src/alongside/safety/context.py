"""The context layer, after NegEx and ConText: negation, history, hypotheticals, other people.

A trigger modifies a match when it lies in the same clause, within a few words before it
(or, for history, just after it). A modified match is lowered from urgent to review; it is
never removed, because a denial or a memory of self-harm is still worth a clinician's look.
"""

from __future__ import annotations

import re

from alongside.safety.result import Category, Context

# Clause ends: sentence punctuation, commas, and contrastive conjunctions ("but", "pero").
_CLAUSE_END = re.compile(r"[.!?;,:\n]|\b(?:but|though|although|however|except|pero|aunque|sin embargo|excepto)\b")
_WINDOW = 48  # characters before a match that a trigger may sit in (about six words)

_PRE: tuple[tuple[Context, re.Pattern[str]], ...] = (
    (
        Context.NEGATED,
        re.compile(
            r"\b(?:not|never|no|don'?t|dont|didn'?t|won'?t|wouldn'?t|would never|i'?d never|haven'?t|havent|hasn'?t|"
            r"without|no longer|stopped|denies|deny|nor|free (?:of|from)|zero|nunca|jamas|no|ni|sin|tampoco|"
            r"ningun[oa]?|deje de|dejado de|ya no)\b"
        ),
    ),
    (
        Context.HISTORICAL,
        re.compile(
            r"\b(?:used to|use to|in the past|years ago|months ago|when i was|as a (?:kid|teen|teenager|child)|"
            r"in high school|in college|back (?:in|then|when)|history of|a long time ago|last year|clean (?:for|from|since)|"
            r"(?:days|weeks|months|years) (?:clean|free|without|since)|anniversary|recovered|recovery from|(?:in|en|since|desde) (?:19|20)\d\d|"
            r"solia|hace (?:\w+ )?(?:anos|meses|tiempo|mucho)|de (?:adolescente|joven|nino|nina|chic[oa])|cuando era|"
            r"en el pasado|en la prepa|en la secundaria|antes|historial de|el ano pasado|llevo \w+ (?:dias|semanas|meses|anos)|"
            # An age or a school year named: "in 8th grade", "at age 15", "a los 15", "estuve internada".
            r"in (?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth) grade|"
            r"in (?:middle|primary|elementary|secondary|grade) school|at (?:the )?age (?:of )?\d{1,2}|when i was \d{1,2}|"
            r"a los \d{1,2}(?: anos)?|cuando tenia \d{1,2}|en (?:la )?primaria|"
            r"cuando (?:iba|estaba|estudiaba) (?:en|a) (?:la |el )?(?:secu|prepa|primaria|secundaria|escuela|colegio|uni|universidad|facu|liceo)|estuve internad[oa]|me internaron)\b"
        ),
    ),
    (
        Context.HYPOTHETICAL,
        re.compile(
            r"\b(?:if i ever|what if|if i were|if i was|hypothetically|what happens if|would it be bad if|suppose|"
            r"si alguna vez|que pasaria si|y si|hipoteticamente|si yo)\b"
        ),
    ),
    (
        Context.OTHER_PERSON,
        re.compile(
            r"\b(?:he|she|they|his|her|their|friend|friends|sister|brother|cousin|classmate|coworker|neighbou?r|"
            r"character|movie|film|show|song|book|novel|series|documentary|episode|game|news|article|podcast|"
            r"ella|ellos|ellas|amig[oa]s?|herman[oa]|prim[oa]|companer[oa]|vecin[oa]|personaje|pelicula|serie|"
            r"libro|cancion|novela|documental|capitulo|noticias?|articulo|videojuego)\b"
        ),
    ),
)
_POST_HISTORY = re.compile(
    r"^\W*(?:\w+ ){0,3}(?:years ago|months ago|in the past|(?:in|en|since|desde) (?:19|20)\d\d|as a (?:teen|teenager|kid)|when i was (?:younger|a teen|in school)|"
    r"back then|a long time ago|anymore|any more|ya paso|eso paso|that passed|hace (?:\w+ )?(?:anos|meses|tiempo|mucho)|de adolescente|de joven|en el pasado)\b"
)
_JOKING = re.compile(
    r"\b(?:lol|lmao|lmfao|haha+|hehe|jk|just kidding|jaja+|jeje|xd|es broma|broma)\b"
    # A lone "ha" closing the message ("I'll kill her, ha"); only at the very end, as Spanish "ha" is a verb.
    r"|,? \bha\W*$"
)
# Negation said after the match (probe 23, 2026-12-07): "thoughts of suicide haven't come up",
# "las ganas de cortarme no han vuelto". Not when what is denied is the stopping ("haven't stopped").
_POST_NEGATION = re.compile(
    r"^\W*(?:\w+ ){0,2}(?:haven'?t|havent|have not|hasn'?t|hasnt|has not|didn'?t|did not|aren'?t|isn'?t)"
    r"(?! (?:stopped|stop|gone away|gone|left|eased|let up|gotten better|improved|changed|ended|faded|calmed))"
    r" (?:\w+ )?(?:come up|came up|been (?:there|back|an issue|a problem)|come back|returned|happened|crossed my mind)\b"
    r"|^\W*(?:\w+ ){0,2}no (?:han|ha) (?:vuelto|aparecido|regresado|vuelto a aparecer)\b"
)
# An everyday reason stated in the message for an absence (probe 23): "I won't be around next week,
# I'm on holiday". It lowers a goodbye or a preparation to review, never removes it. A solicitor or a
# notary is not such a reason: "affairs in order with my solicitor, I am ready now" stays urgent.
_EVERYDAY_REASON = re.compile(
    r"\b(?:on holiday|on vacation|on a (?:work |business )?trip|at a conference|away for work|"
    r"de vacaciones|de viaje|viaje de trabajo|un congreso)\b"
)
_REASON_CATEGORIES = {Category.GOODBYE_OR_FINALITY, Category.PLAN_OR_PREPARATION}

# A third person is the subject of these categories by design ("he hit me", "kill him").
_NO_OTHER_PERSON = {Category.DANGER_ABUSE, Category.HARM_TO_OTHERS}


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - _WINDOW) : start]
    parts = _CLAUSE_END.split(window)
    return parts[-1] if parts else window


def _clause_after(text: str, end: int) -> str:
    window = text[end : end + _WINDOW]
    return _CLAUSE_END.split(window)[0]


def modifiers(text: str, start: int, end: int, category: Category) -> tuple[Context, ...]:
    """The context triggers that govern the match ``text[start:end]``."""
    before = _clause_before(text, start)
    found: list[Context] = []
    for context, trigger in _PRE:
        if context is Context.OTHER_PERSON and category in _NO_OTHER_PERSON:
            continue
        if trigger.search(before):
            found.append(context)
    if Context.HISTORICAL not in found and _POST_HISTORY.search(_clause_after(text, end)):
        found.append(Context.HISTORICAL)
    if category is Category.HARM_TO_OTHERS and _JOKING.search(text[max(0, start - 80) : end + 80]):
        found.append(Context.HYPOTHETICAL)
    if Context.NEGATED not in found and _POST_NEGATION.search(_clause_after(text, end)):
        found.append(Context.NEGATED)
    if category in _REASON_CATEGORIES and _EVERYDAY_REASON.search(text):
        found.append(Context.EVERYDAY_REASON)
    return tuple(found)


# Ending a relationship, not a life: "end it with him", "terminar con ella". The statistical
# level model never raises such a message to urgent on its own (patterns still can).
_BREAK_UP = re.compile(
    r"\b(?:end(?:s|ed|ing)?|finish(?:ed|ing)?|break(?:ing)? it off|call(?:ing)? it off) (?:it |things )?"
    r"with (?:him|her|them|my (?:boyfriend|girlfriend|husband|wife|partner|ex|bf|gf))\b|"
    r"\b(?:terminar|termine|termino|cortar|corte|corto|acabar) con (?:el|ella|mi (?:novi[oa]|pareja|espos[oa]|marido))\b"
)


def break_up(text: str) -> bool:
    """Whether the normalised text speaks of ending a relationship."""
    return _BREAK_UP.search(text) is not None


# Other people named by a noun, and media (not pronouns: "if he leaves me I'm ending it" is about me).
_OTHERS_OR_MEDIA = re.compile(
    r"\b(?:friend|friends|cousin|classmate|colleague|colleague's|coworker|neighbou?r|character|movie|film|show|song|book|"
    r"novel|series|documentary|episode|article|podcast|news|amig[oa]s?|prim[oa]|companer[oa]|vecin[oa]|personaje|"
    r"pelicula|serie|libro|cancion|novela|documental|capitulo|noticias?|articulo)\b"
)
_ELSEWHERE = (*(trigger for context, trigger in _PRE if context is Context.HISTORICAL), _OTHERS_OR_MEDIA)


def about_others_or_the_past(text: str) -> bool:
    """Whether a history trigger or another person or medium (a friend, a film, "years ago") is anywhere in the text.

    The level model does not raise a classifier-only alert to urgent when one is: with no
    phrase to anchor the context to, the whole message is read as possibly not about now.
    """
    return any(trigger.search(text) for trigger in _ELSEWHERE)


# Idioms that use a risk word for something everyday ("I'd die for this album", "shoot me now",
# "me muero de risa", "cut my bangs myself"). They never lower a phrase pattern's alert; with no
# pattern, a short message holding one is not raised by the classifier alone and never made urgent
# by the level model (probes 16 and 17, 2026-12-07: the n-grams of "die", "shoot", "cut myself").
_FIGURATIVE = re.compile(
    r"\b(?:i'?d|id|i would|would) (?:literally |honestly )?die for (?:it|this|that|them|one|a|an|some)\b"
    r"|\bshoot me now\b|\b(?:gonna|going to|about to) lose it\b|\b(?:killed|smashed|crushed|nailed) it\b"
    r"|\b(?:cut|trimmed|dyed|shaved|chopped) (?:my own |my )?(?:hair|bangs|fringe|nails|beard)\b"
    r"|\b(?:i'?m|im|i am) (?:literally |actually |so )?(?:dead|deceased|dying|ded)\b"
    r"(?=.{0,30}(?::skull:|:joy:|:rofl:|\blol\b|\blmao|\blmfao|\bhaha|\bfunny\b|\bhilarious\b))"
    r"|\bdying (?:of|from) (?:laughter|laughing|embarrassment|boredom)\b|\b(?:could|i'?d|id|would) (?:kill|die) for (?:a|an|some)\b"
    r"|\bme muero de (?:risa|hambre|sueno|calor|frio|verguenza|ganas|aburrimiento|(?:la )?(?:risa|pena))\b"
    r"|\bme quiero morir de (?:la )?(?:pena|verguenza|risa)\b|\bjaja\w* me muero\b|\bme muero,? (?:q|que) risa\b"
    r"|\bme cort[eo] (?:el|la|los|las) (?:pelo|cabello|fleco|flequillo|unas|puntas)\b"
)
FIGURATIVE_WORDS = 25  # longer messages are read by the classifier whatever idiom they hold


def figurative(text: str) -> bool:
    """Whether a short normalised text holds an everyday idiom built on a risk word."""
    return len(text.split()) <= FIGURATIVE_WORDS and _FIGURATIVE.search(text) is not None
