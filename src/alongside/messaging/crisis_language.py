"""Detect crisis language in client text, in English and Spanish (first version).

This is a transparent list of phrases and patterns written and tested by us, kept in one
module so that a clinician can review it and a later issue can improve it. It is not a
model and it does not score anything: a message either contains one of the phrases below
or it does not. A match shows the client crisis resources at once and raises the same kind
of alert as a critical questionnaire answer, routed to the client's own clinicians.

Safety rules this module keeps:

* Pure Python and the standard library only: no database, settings, network or heavy
  imports, so it works when the rest of the product does not.
* :func:`detect` and :func:`is_crisis` never raise, whatever string they are given.
* Both languages are always checked, because clients mix languages in one message.
* **When in doubt, alert.** A false alarm costs a clinician a minute; a miss can cost a
  life. Figurative phrases that use the same words ("I want to die, that was so
  embarrassing", "the show can't go on", "Suicide Squad") alert on purpose, and so do
  ambivalent or fearful statements ("I don't want to die", "no quiero morir", "I'd never
  kill myself, but…", "I'm not going to kill myself").

Negation guard. Only a few explicit denials of *being suicidal* are treated as safe, and
only for that one phrase: "I'm not suicidal", "never been suicidal", "no longer suicidal",
"no suicidal thoughts", "no soy suicida", "no tengo ideas suicidas" (see ``SAFE_DENIALS``).
A denial suppresses only the match it contains; every other phrase in the same message
still alerts ("I'm not suicidal but I want to die" alerts on "want to die"). Hedged forms
("not really suicidal", "not actively suicidal") are not denials and alert.

Normalisation before matching (see :func:`normalize`): Unicode compatibility decomposition
(NFKD) with accents and other combining marks removed, case folding, curly and other
apostrophes made ``'``, dashes and underscores made spaces, invisible format characters
(zero-width spaces, soft hyphens) removed, control characters made spaces, and every run
of whitespace collapsed to one space. So "Quiero MORÍRME", fullwidth "kill" and "i dont
want to live" all match. Patterns are written against the normalised text: lower case,
no accents (``dano`` for "daño", ``mas`` for "más"), one space between words.

Offsets. :class:`CrisisMatch` ``start`` and ``end`` are offsets in the ORIGINAL text
(``text[m.start:m.end]`` is the matched phrase as the client wrote it), mapped back from
the normalised text character by character. A match carries no text of its own, so it can
be logged and put in an alert without copying what the client wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PATTERNS",
    "SAFE_DENIALS",
    "CrisisCategory",
    "CrisisMatch",
    "CrisisPattern",
    "detect",
    "is_crisis",
    "normalize",
]


class CrisisCategory(StrEnum):
    SUICIDAL_IDEATION = "suicidal_ideation"
    SUICIDE_PLAN_OR_INTENT = "suicide_plan_or_intent"
    SELF_HARM = "self_harm"
    HOPELESSNESS = "hopelessness"
    GOODBYE_OR_FINALITY = "goodbye_or_finality"
    HARM_TO_OTHERS = "harm_to_others"


@dataclass(frozen=True)
class CrisisPattern:
    """One reviewable phrase family: an id, its language, its category and its regex."""

    id: str
    language: str  # "en" or "es"
    category: CrisisCategory
    regex: re.Pattern[str]


@dataclass(frozen=True)
class CrisisMatch:
    """A pattern found in a text; ``start``/``end`` are offsets in the original text."""

    pattern_id: str
    category: CrisisCategory
    language: str
    start: int
    end: int


_SI = CrisisCategory.SUICIDAL_IDEATION
_PLAN = CrisisCategory.SUICIDE_PLAN_OR_INTENT
_SH = CrisisCategory.SELF_HARM
_HOPE = CrisisCategory.HOPELESSNESS
_BYE = CrisisCategory.GOODBYE_OR_FINALITY
_HTO = CrisisCategory.HARM_TO_OTHERS


def _p(pattern_id: str, language: str, category: CrisisCategory, *alternatives: str) -> CrisisPattern:
    """Compile one pattern from alternatives written against normalised text."""
    source = "|".join(f"(?:{alternative})" for alternative in alternatives)
    return CrisisPattern(id=pattern_id, language=language, category=category, regex=re.compile(source))


# Reusable pieces, to keep the table below readable. Text is normalised first (lower case,
# no accents, "'" for every apostrophe, one space between words).
_MYSELF = r"(?:my ?self|myslef|mysefl|meself)"
_CANT = r"(?:can'?t|cannot|can not|cant)"
_DONT = r"(?:don'?t|do not|didn'?t|did not|no longer|never)"
_PILLS = r"(?:pills|tablets|meds|medication|medications|medicine|painkillers|sleeping pills|paracetamol|tylenol)"
_OTHERS_EN = (
    r"(?:someone|somebody|anyone|anybody|people|everyone|everybody|him|her|them|"
    r"my (?:husband|wife|partner|boyfriend|girlfriend|ex|mom|mum|mother|dad|father|boss|"
    r"kids?|children|baby|son|daughter|brother|sister|roommate|neighbou?r))"
)
_OTHERS_ES = (
    r"(?:alguien|todos|todo el mundo|la gente|"
    r"mi (?:esposo|esposa|marido|mujer|pareja|novio|novia|ex|madre|padre|mama|papa|jefe|jefa|"
    r"hijo|hija|bebe|hermano|hermana|vecino|vecina))"
)
_END = r"(?=$|[.,!?;:)\"'])"  # the phrase ends the sentence or clause

# The table. Each entry is one phrase family; tests/messaging/test_crisis_language.py holds
# at least one example that each pattern must match. To add a phrase, see
# docs/clinical/crisis-language.md.
PATTERNS: tuple[CrisisPattern, ...] = (
    # --- English: suicidal ideation -------------------------------------------------------
    _p(
        "en.kill_myself",
        "en",
        _SI,
        rf"\b(?:kill|kil|kll)(?:s|ing|ed)? ?{_MYSELF}\b(?! laughing| with laughter)",
        r"(?<!\d )\bkms\b",
        r"\bun ?aliv(?:e|ing)(?: ?(?:my ?self|me))?\b",
    ),
    _p(
        "en.end_my_life",
        "en",
        _SI,
        r"\b(?:end|ending|ended|take|taking|took) (?:my|my own) life\b(?! back)",
        r"\bend(?:ing)? it all\b",
    ),
    _p(
        "en.want_to_die",
        "en",
        _SI,
        r"\b(?:want(?:ed|s|ing)? to|wanna|wana|wnt to|ready to|longing to|wish(?:ed)? (?:i could|to)) die+\b",
    ),
    _p(
        "en.wish_i_was_dead",
        "en",
        _SI,
        r"\b(?:wish(?:ed)?|want(?:ed)? to be|wanna be) (?:i (?:was|were|could be|'d be|would be) )?dead\b",
        r"\bwish i(?: had|'d|d)? (?:never been|was never|were never|wasn'?t|hadn'?t been) born\b",
    ),
    _p(
        "en.dont_want_to_live",
        "en",
        _SI,
        rf"\b{_DONT} (?:really )?(?:want|wanna|wish) (?:to )?(?:live|be alive|exist|be here any ?more"
        r"|wake up(?! (?:early|for|at|so|before|in the)))\b",
        r"\b(?:wish|hope|pray)(?: that)? i (?:wouldn'?t|would not|won'?t|will not|don'?t|do not|didn'?t|did not|never)"
        r" wake up\b",
    ),
    _p("en.better_off_dead", "en", _SI, r"\bbetter off dead\b", r"\bbetter off if i (?:was|were|am) dead\b"),
    _p("en.suicide", "en", _SI, r"\bsu[iy]?[cs]ide?(?:s|al|ally|ality|le)?\b"),
    # --- English: plan or intent ----------------------------------------------------------
    _p(
        "en.going_to_kill_myself",
        "en",
        _PLAN,
        r"\b(?:going to|gonna|gona|i'?ll|i will|plan(?:ning)? to|about to|decided to|tonight i'?m)"
        rf" (?:kill {_MYSELF}|end (?:my life|it all|things|it (?:tonight|today|now|soon))|take my (?:own )?life)\b",
        r"\b(?:have|got|made) a plan to (?:die|kill|end)\b",
    ),
    _p(
        "en.method",
        "en",
        _PLAN,
        rf"\b(?:hang|shoot|drown|poison|suffocate|strangle|gas)(?:ing|ed)? ?{_MYSELF}\b",
        r"\bjump(?:ing)? (?:off|from) (?:a|the|that|this) (?:bridge|building|roof|cliff|balcony|window|tower|overpass)\b",
        r"\b(?:jump|step|throw myself)(?:ing)? in front of (?:a|the) (?:train|bus|car|truck|lorry|subway)\b",
    ),
    _p(
        "en.take_all_pills",
        "en",
        _PLAN,
        r"\b(?:take|taking|took|swallow(?:ed|ing)?|down(?:ed)?) (?:all|a bunch|a handful|a whole bottle|the whole bottle"
        rf"|too many|loads|lots) (?:of )?(?:my |the |those |these |them )?{_PILLS}\b",
        rf"\b(?:stockpil(?:e|ed|ing)|hoard(?:ed|ing)?|sav(?:e|ed|ing) up) (?:my |some )?{_PILLS}\b",
    ),
    _p("en.overdose", "en", _PLAN, r"\bover ?dos(?:e|es|ed|ing)\b"),
    # --- English: self-harm ---------------------------------------------------------------
    _p(
        "en.hurt_myself",
        "en",
        _SH,
        rf"\b(?:hurt|hurting|harm|harming|harmed|cut|cutting|burn|burning|burned|burnt|punish|punishing|punished) ?{_MYSELF}\b"
        r"(?! (?:shaving|cooking|chopping|running|playing|lifting|exercising|working out|at the gym"
        r"|on (?:a|the) (?:knife|glass|paper|stairs|door|corner|table)))",
    ),
    _p(
        "en.self_harm",
        "en",
        _SH,
        r"\bself ?harm(?:s|ing|ed)?\b",
        r"\bself ?injur(?:y|ies|e|ing|ed)\b",
        r"\b(?:slit|slice|slash|cut|cutting)(?:ing)? (?:open )?my wrists?\b",
        r"\b(?:relapsed(?: and)?|started|start|been|went back to|back to|urges? to|thinking about|want to|wanna|going to)"
        rf" (?:cut|cutting)(?: again)?{_END}",
    ),
    # --- English: hopelessness ------------------------------------------------------------
    _p(
        "en.no_reason_to_live",
        "en",
        _HOPE,
        r"\b(?:no|nothing|not any|no more) (?:reason|reasons|point|purpose) (?:to|in|for) (?:live|living|be alive"
        r"|being alive|keep living|go on|going on)\b",
        r"\bnothing (?:left )?to live for\b",
    ),
    _p(
        "en.cant_go_on",
        "en",
        _HOPE,
        rf"\b{_CANT} go on(?=$|[.,!?;:]| like this| any ?more| living| with (?:life|this))",
        rf"\b{_CANT} (?:take it|keep going|carry on|do this|cope|live like this) any ?more\b",
    ),
    _p(
        "en.better_off_without_me",
        "en",
        _HOPE,
        r"\b(?:better off|happier|easier) without me\b",
        r"\b(?:better|easier|happier) (?:off )?if i (?:wasn'?t|weren'?t|was not|were not|wasnt|werent)"
        r" (?:here|around|alive)\b",
    ),
    # --- English: goodbye or finality -----------------------------------------------------
    _p(
        "en.goodbye",
        "en",
        _BYE,
        r"\b(?:say|said|saying)(?: my)? (?:final |last )?good ?byes? to (?:everyone|everybody|you all|all of you"
        r"|the world|everything)\b",
        r"\b(?:my|a|this is (?:my|a)) (?:final|last) good ?bye\b",
        r"\bthis is good ?bye\b",
        r"\bgood ?bye (?:forever|for good|cruel world)\b",
    ),
    _p(
        "en.final_message",
        "en",
        _BYE,
        r"\bby the time (?:you|anyone|someone|somebody) (?:read|reads|see|sees|find|finds) this\b",
        r"\bthis (?:is|will be) my (?:last|final) (?:message|text|note|words)\b",
        r"\bi (?:won'?t|will not|wont) be (?:here|around|alive) (?:tomorrow|much longer|for (?:much )?long|any ?more"
        r"|by (?:tomorrow|morning|tonight|the weekend))\b",
        r"\bgiv(?:e|ing|en) away (?:all )?(?:of )?my (?:things|stuff|belongings|possessions)\b",
    ),
    # --- English: harm to others ----------------------------------------------------------
    _p(
        "en.harm_others",
        "en",
        _HTO,
        r"\b(?:want(?:ed)? to|wanna|going to|gonna|i'?ll|i will|i could|think(?:ing)? (?:about|of)|urges? to|plan(?:ning)? to)"
        rf" (?:kill|murder|stab|shoot|strangle|hurt|harm|beat up|attack)(?:ing)? {_OTHERS_EN}\b(?! ?'?s? feelings)",
        r"\bshoot(?:ing)? up (?:the|my|a) (?:school|class|office|work|mall|church|mosque|synagogue)\b",
    ),
    # --- Spanish: suicidal ideation -------------------------------------------------------
    _p(
        "es.quiero_morir",
        "es",
        _SI,
        r"\b(?:me )?(?:quiero|quisiera|queria|kiero|qiero|deseo|deseaba|tengo ganas de|ganas de) morir(?:me|se)?\b",
        r"\b(?:quiero|quisiera|deseo|ojala pudiera|prefiero|preferiria) estar muert[oa]s?\b",
        r"\bojala (?:me muriera|me muera|estuviera muert[oa]|no despertara|no despierte|no hubiera nacido)\b",
    ),
    _p(
        "es.matarme",
        "es",
        _SI,
        r"\bmatarme\b",
        r"\bme (?:voy a|quiero|kiero|puedo|pienso|podria|gustaria) matar\b",
        r"\bme (?:mataria|matare)\b",
    ),
    _p(
        "es.suicidio",
        "es",
        _SI,
        r"\bsuicid(?:io|ios|a|as|arme|arse|arte|ar|arnos|o|e|ado|ada|aria|are|andome)\b",
    ),
    _p(
        "es.quitarme_la_vida",
        "es",
        _SI,
        r"\b(?:quitarme|quitarse|me (?:voy a |quiero |pienso |podria )?quitar) la vida\b",
    ),
    _p(
        "es.acabar_con_todo",
        "es",
        _SI,
        r"\b(?:acabar|terminar|acabo|termino|acabare|terminare) con (?:mi vida|mi propia vida"
        r"|todo(?! (?:el|la|los|las|este|esta|estos|estas|eso|esto|lo|mi|mis|tu|su|sus) ))\b",
        r"\bponer(?:le)? fin a (?:mi vida|todo)\b",
    ),
    _p(
        "es.no_quiero_vivir",
        "es",
        _SI,
        r"\b(?:ya )?no (?:quiero|kiero|deseo|tengo ganas de) (?:seguir )?(?:vivir|viviendo|existir|estar viv[oa]"
        r"|seguir aqui|despertar(?:me)?(?! (?:temprano|pronto|tan temprano)))\b",
    ),
    _p(
        "es.mejor_muerto",
        "es",
        _SI,
        r"\b(?:mejor (?:estar |estaria )?|preferiria estar )muert[oa]s?\b",
    ),
    # --- Spanish: plan or intent ----------------------------------------------------------
    _p(
        "es.plan",
        "es",
        _PLAN,
        r"\b(?:voy a|pienso|planeo|estoy por|he decidido|decidi|esta noche voy a) (?:matarme|suicidarme"
        r"|quitarme la vida|acabar con (?:mi vida|todo))\b",
        r"\btengo un plan para (?:matarme|suicidarme|morir|quitarme la vida)\b",
    ),
    _p(
        "es.metodo",
        "es",
        _PLAN,
        r"\bahorcarme\b",
        r"\b(?:pegarme|darme) un tiro\b",
        r"\b(?:tirarme|lanzarme|aventarme) (?:de|desde|por) (?:un|una|el|la|este|esta) (?:puente|edificio|balcon"
        r"|ventana|azotea|techo|acantilado)\b",
        r"\b(?:tirarme|lanzarme|aventarme) (?:al|a las vias del|delante del|frente al) (?:tren|metro|vias)\b",
        r"\bcortarme las venas\b",
    ),
    _p(
        "es.pastillas",
        "es",
        _PLAN,
        r"\b(?:tomarme|tomar|me tome|me tomare|tragarme|me trague) (?:todas|un monton de|muchas|demasiadas"
        r"|toda la caja de|un frasco de|el frasco de|la caja de|un bote de) (?:las |mis |de )?"
        r"(?:pastillas|pildoras|medicinas|medicamentos|tabletas|calmantes)\b",
        r"\bsobre ?dosis\b",
    ),
    # --- Spanish: self-harm ---------------------------------------------------------------
    _p(
        "es.hacerme_dano",
        "es",
        _SH,
        r"\b(?:hacerme|me (?:hago|hice|voy a hacer|quiero hacer)) dano\b"
        r"(?! (?:jugando|corriendo|entrenando|en el gimnasio|en la rodilla|en el tobillo|en la espalda|en el pie))",
        r"\b(?:lastimarme|herirme|autolesionarme|me (?:lastimo|voy a lastimar|quiero lastimar|autolesiono))\b",
        r"\bautolesi(?:on|ones|onandome)\b",
    ),
    _p(
        "es.cortarme",
        "es",
        _SH,
        r"\b(?:cortarme|me corto|me corte|me voy a cortar|me quiero cortar)\b"
        r"(?! (?:el|la|los|las|un|una) (?:pelo|cabello|unas|flequillo|fleco|barba|puntas|dedo|llamada|luz|conexion"
        r"|senal|linea|respiracion))",
    ),
    # --- Spanish: hopelessness ------------------------------------------------------------
    _p(
        "es.razon_para_vivir",
        "es",
        _HOPE,
        r"\b(?:no tengo|no hay|sin|no encuentro|no veo) (?:ninguna |una |ningun )?(?:razon|razones|motivo|motivos"
        r"|sentido) (?:para|de|por la que|por el que) (?:vivir|seguir viviendo|seguir)\b",
        r"\bnada por (?:lo )?(?:que|cual) vivir\b",
        r"\bno vale la pena (?:vivir|seguir viviendo)\b",
        r"\bmi vida no tiene sentido\b",
    ),
    _p(
        "es.no_puedo_mas",
        "es",
        _HOPE,
        r"\bya no (?:puedo|aguanto|soporto) mas\b",
        r"\bno puedo seguir (?:asi|viviendo|adelante)\b",
    ),
    _p(
        "es.mejor_sin_mi",
        "es",
        _HOPE,
        r"\b(?:estarian|estaran|estarias|estaria|vivirian|serian|seria) mejor sin mi\b",
        r"\bmejor si (?:yo )?no (?:estuviera|existiera|hubiera nacido)\b",
    ),
    # --- Spanish: goodbye or finality -----------------------------------------------------
    _p(
        "es.despedida",
        "es",
        _BYE,
        r"\b(?:despedirme|despedirse) de (?:todos|todas|todo el mundo|mi familia|ustedes)\b",
        r"\bme despido (?:de todos |de ti |de ustedes )?para siempre\b",
        r"\b(?:esto es un adios|adios para siempre|adios mundo cruel)\b",
        r"\beste (?:es|sera) mi (?:ultimo mensaje|ultima carta|ultimo adios)\b",
    ),
    _p(
        "es.final",
        "es",
        _BYE,
        r"\bcuando (?:leas|lean|leais|alguien lea) esto\b",
        r"\bya no (?:estare|voy a estar) (?:aqui|aca|viv[oa]|en este mundo)\b",
        r"\b(?:regalando|regalar|regale) (?:todas )?mis cosas\b",
    ),
    # --- Spanish: harm to others ----------------------------------------------------------
    _p(
        "es.dano_a_otros",
        "es",
        _HTO,
        r"\b(?:quiero|voy a|tengo ganas de|pienso|podria|ganas de) (?:matar|lastimar|hacerle dano|apunalar|disparar(?:le)?)"
        rf"(?: a)? {_OTHERS_ES}\b",
        r"\b(?:quiero|voy a|tengo ganas de|pienso|podria) (?:matarl[oa]s?|lastimarl[oa]s?|hacerles? dano)\b",
        r"\b(?:lo|la|los|las) (?:voy a|quiero) (?:matar|lastimar)\b",
    ),
)

# Explicit denials of being suicidal. A match lying entirely inside one of these is
# suppressed; nothing else is. Kept deliberately short: see the module docstring.
SAFE_DENIALS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:not|never|never been|never felt|no longer|isn'?t|wasn'?t) (?:feeling |at all )?suicidal\b"),
    re.compile(
        r"\b(?:no|never had|never had any|don'?t have|do not have|haven'?t had any|have no) suicidal"
        r" (?:thoughts|ideas|feelings|ideation)\b"
    ),
    re.compile(r"\bno (?:soy|estoy|me siento) suicida\b"),
    re.compile(r"\bnunca (?:he sido|fui|me he sentido|he estado) suicida\b"),
    re.compile(r"\bno (?:tengo|he tenido) (?:ningun[oa]s? )?(?:pensamientos|ideas|ideacion) suicidas?\b"),
)

_APOSTROPHES = frozenset("\u2019\u2018\u02bc\u2032\u201b`\u00b4\uff07")
_DASHES = frozenset("-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_piece_cache: dict[str, str] = {}


def _piece(char: str) -> str:
    """Return the normalised form of one character ('' to drop it, ' ' for a separator)."""
    cached = _piece_cache.get(char)
    if cached is not None:
        return cached
    if char in _APOSTROPHES:
        out = "'"
    elif char in _DASHES or char.isspace():
        out = " "
    else:
        category = unicodedata.category(char)
        if category == "Cf":  # zero-width spaces, joiners, soft hyphens, BOM
            out = ""
        elif category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"):
            out = " "
        else:
            decomposed = unicodedata.normalize("NFKD", char.casefold())
            out = "".join(c for c in decomposed if not unicodedata.combining(c))
            if any(c.isspace() for c in out):  # e.g. a spacing accent decomposes to space + mark
                out = " ".join(out.split())
    if len(_piece_cache) < 65536:
        _piece_cache[char] = out
    return out


def _normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Return the normalised text and, per normalised character, its original start and end."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last_space = True  # also strips leading whitespace
    for index, char in enumerate(text):
        piece = _piece(char)
        if not piece:
            if ends and unicodedata.combining(char):
                ends[-1] = index + 1  # keep a trailing accent inside the match
            continue
        for c in piece:
            if c == " ":
                if last_space:
                    continue
                last_space = True
            else:
                last_space = False
            out.append(c)
            starts.append(index)
            ends.append(index + 1)
    if out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return "".join(out), starts, ends


def normalize(text: str) -> str:
    """Return ``text`` as the patterns see it (lower case, no accents, single spaces)."""
    return _normalize_with_offsets(text)[0]


def _detect(text: str) -> list[CrisisMatch]:
    normalized, starts, ends = _normalize_with_offsets(text)
    if not normalized:
        return []
    denials = [m.span() for guard in SAFE_DENIALS for m in guard.finditer(normalized)]
    found: list[CrisisMatch] = []
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(normalized):
            start, end = m.span()
            if end <= start:
                continue
            if any(d_start <= start and end <= d_end for d_start, d_end in denials):
                continue
            found.append(
                CrisisMatch(
                    pattern_id=pattern.id,
                    category=pattern.category,
                    language=pattern.language,
                    start=starts[start],
                    end=ends[end - 1],
                )
            )
    found.sort(key=lambda m: (m.start, m.end, m.pattern_id))
    return found


def _detect_plain(text: str) -> list[CrisisMatch]:
    """Fallback with no offset mapping: lower-cased text, offsets in that text."""
    lowered = text.lower()
    return [
        CrisisMatch(pattern.id, pattern.category, pattern.language, m.start(), m.end())
        for pattern in PATTERNS
        for m in pattern.regex.finditer(lowered)
        if m.end() > m.start()
    ]


def detect(text: str) -> list[CrisisMatch]:
    """Return every crisis pattern found in ``text`` (both languages), in text order.

    Never raises. A caller's non-str is read as text (bytes as UTF-8) rather than
    refused. If normalisation fails on some unforeseen input, match the lower-cased
    text instead; if even that fails, report nothing rather than break the caller's
    crisis pathway (callers still show crisis resources on their own triggers).
    """
    if not isinstance(text, str):
        try:
            text = text.decode("utf-8", "replace") if isinstance(text, bytes | bytearray) else str(text)
        except Exception:
            return []
    try:
        return _detect(text)
    except Exception:
        try:
            return _detect_plain(text)
        except Exception:
            return []


def is_crisis(text: str) -> bool:
    """Return whether ``text`` contains crisis language (see :func:`detect`)."""
    return bool(detect(text))
