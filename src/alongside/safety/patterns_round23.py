"""Pattern families from the misses of fresh probe 23 (issue #13, 2026-12-07).

Probe 23 was written in the voice of polite, understated messages sent to a therapist
through the portal. Its misses are read here as kinds of phrasing, in English and
Spanish, never as single sentences. Same conventions and pieces as
:mod:`alongside.safety.patterns_en` and :mod:`alongside.safety.patterns_es`, which append
``EN`` and ``ES`` to their ``FAMILIES``.
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

_OTHER_EN = r"(?:he|she|they|my \w+|someone|somebody|the kids|the children|my family)"
_WEAPON_EN = r"(?:knife|knives|gun|pistol|rifle|machete|blade|weapon)"

EN: tuple[tuple[str, C, L, str], ...] = (
    (
        # "Suicide" used as a verb after a word of intent: "planning to suicide", "going to suicide".
        "en.intend_to_suicide",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:plan\w*|going|gonna|intend\w*|decided|about|ready|preparing) to (?:commit )?suicide\b",
    ),
    (
        # A decision reported, then the act: "I've decided I'm going to end things".
        "en.decided_to_end",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:decided|made up my mind|made the decision|made my decision)(?: that)?,? (?:i'?m|im|i am|i will|i'?ll)"
        r" (?:going to |gonna )?(?:end (?:it|things|it all|everything|my life)|go through with it|kill myself)\b",
    ),
    (
        # Affairs written down so somebody can manage after the client: "so he can manage after".
        "en.so_they_can_manage_after",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        rf"\bso (?:that )?{_OTHER_EN} (?:can|could|will be able to|would be able to|is able to) (?:manage|cope|get by|carry on"
        r"|sort (?:things|everything|it all) out|deal with (?:things|everything)|take care of (?:things|everything))"
        r"(?: without me)? (?:after|afterwards|when i'?m gone|once i'?m gone|when i'?m not here|without me)\b",
    ),
    (
        # A place chosen where nobody would find the client.
        "en.where_nobody_finds_me",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bwhere (?:nobody|no one|no-one|noone) (?:would|will|could|can|is going to|'?d|'?ll) (?:ever )?(?:find|look for) me\b",
    ),
    (
        # On a platform with a train that does not stop "due" or "coming": the through-train family, another verb.
        "en.through_train_due",
        C.MEANS,
        L.URGENT,
        r"\b(?:platform|tracks|railway|rail line|level crossing|station)\b.{0,60}\b(?:express|freight|fast train|non ?stop)"
        r"(?: train)? (?:is |'s |s )?(?:due|coming|arriving|about to (?:pass|come))\b",
    ),
    (
        # Self-harm resumed, named by its instrument: "back to the old habit with the razor".
        "en.back_to_the_instrument",
        C.SELF_HARM,
        L.REVIEW,
        r"\b(?:gone back to|went back to|going back to|back to|returned to|slipped back into|relapsed (?:into|with)|started again with)"
        r" (?:the |my )?(?:old )?(?:habit|thing|stuff|ways|routine) (?:with|using|involving) (?:the |a |my )?"
        r"(?:razor|razors|blade|blades|lighter|sharpener|scissors|compass)\b"
        r"|\b(?:picked up|got out|took out) (?:the |a |my )?(?:razor|blade|blades|sharpener) again\b",
    ),
    (
        # A weapon taken where other people are. Without a stated threat it is review; the classifier
        # and the context may raise it.
        "en.weapon_taken_to_others",
        C.HARM_TO_OTHERS,
        L.REVIEW,
        rf"\b(?:bring\w*|brought|tak\w*|took|carry\w*|carried|sneak\w*|snuck) (?:my |a |his |her |the )?(?!chef|kitchen|cooking|pocket|utility|work)(?:[\w']+ )?{_WEAPON_EN}"
        r" (?:in)?to (?:work|school|the office|college|campus|his (?:house|work|place)|her (?:house|work|place)|their (?:house|place))\b",
    ),
    (
        # Something slipped into another person's food or drink.
        "en.something_in_their_drink",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:put\w*|slip\w*|add\w*|mix\w*|spik\w*) (?:something|stuff|poison|pills|bleach|antifreeze|rat poison)"
        r" (?:in|into) (?:his|her|their|my \w+'?s|the \w+'?s) (?:tea|coffee|drink|food|dinner|meal|soup|water|bottle)\b"
        r"|\bspik\w* (?:his|her|their|my \w+'?s) (?:drink|tea|coffee|food)\b",
    ),
)

# Urgent messages the round-22 detector called only review, read across probes 21-23: a weapon or a
# "make them pay" with the plan or the threat said, and a means kept with "thinking about it".
EN += (
    (
        "en.weapon_or_payback_with_threat",
        C.HARM_TO_OTHERS,
        L.URGENT,
        rf"\b(?:bring\w*|brought|tak\w*|took|carry\w*|carried) (?:my |a |his |her |the )?(?!chef|kitchen|cooking|pocket|utility|work)"
        rf"(?:[\w']+ )?{_WEAPON_EN}\b.{{0,60}}\b(?:they|he|she|you|theyll|hell|shell)(?:'?ll| will)? (?:see|pay|regret it|be sorry|learn)\b"
        r"|\bmake (?:\w+ ){0,2}pay\b.{0,60}\b(?:got it (?:all )?worked out|worked it (?:all )?out|planned it|i know where|i know when)\b",
    ),
    (
        "en.means_kept_thinking_about_it",
        C.MEANS,
        L.URGENT,
        r"\b(?:{pills}|morphine|oxycodone|codeine|tramadol|diazepam|lithium|opioids|fentanyl|gun|pistol|rifle|rope|razors?|blades?)\b.{0,60}"
        r"\b(?:i'?ve|ive|i have|i'?m|im|i am|i keep) (?:been )?thinking about (?:it|them|using (?:it|them)|taking (?:it|them))(?=\s*(?:$|[.!;]))",
    ),
)

# Sexual coercion by a partner or relative, said in the continuous or with "into" (probe 23's
# "has been forcing me to do things I don't want to").
_CLOSE_EN = (
    r"(?:he|she|my (?:boyfriend|girlfriend|husband|wife|partner|ex|bf|gf|stepdad|stepfather|stepmom|uncle|cousin))"
)
EN += (
    (
        "en.sexual_coercion",
        C.DANGER_ABUSE,
        L.URGENT,
        rf"\b{_CLOSE_EN}(?: \w+){{0,3}} (?:forc\w+|pressur\w+|push\w+|coerc\w+|guilt\w*|mak\w+|made) me (?:into|to)"
        r" (?:have sex|having sex|sleep(?:ing)? with|sex|do(?:ing)? (?:sexual |sex )?(?:things|stuff) (?:that )?i (?:don'?t|didn'?t|do not|did not) want)\b",
    ),
)

ES: tuple[tuple[str, C, L, str], ...] = (
    (
        # Sin salida, con pronombre y determinante: "no le veo ninguna salida a esto".
        "es.no_veo_salida",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bno (?:le |les )?(?:veo|encuentro|hay|tiene|tengo) (?:ninguna |otra |una )?salida(?: a esto| a nada| a mi vida)?(?=\s*(?:$|[^\w\s]|a esto))",
    ),
    (
        # Medicamentos que se van juntando: "he ido guardando las pastillas".
        "es.guardando_pastillas",
        C.MEANS,
        L.URGENT,
        r"\b(?:he ido|he estado|estado|estoy|estuve|sigo|vengo|ando|llevo \w+ \w+) (?:guardando|juntando|acumulando|ahorrando|escondiendo)"
        r" (?:las |mis |unas |algunas |todas las |los |unos )?(?:\w+ )?{pastillas}\b",
    ),
    (
        # Asuntos dejados por escrito para que otro se arregle después.
        "es.para_que_pueda_despues",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bpara que (?:el|ella|ellos|ellas|mi \w+|mis \w+) (?:pueda|puedan) (?:arreglarse|manejar\w*|seguir|encargarse|salir adelante)"
        r"(?: \w+){0,3} (?:despues|cuando (?:ya )?no este|sin mi)\b",
    ),
    (
        "es.donde_nadie_me_encuentre",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bdonde nadie me (?:encuentre|encontraria|va a encontrar|pueda encontrar|busque|buscaria)\b",
    ),
    (
        # Un arma llevada a donde hay otras personas; sin amenaza dicha es revisión.
        "es.arma_al_trabajo",
        C.HARM_TO_OTHERS,
        L.REVIEW,
        r"\b(?:llevar|llevo|voy a llevar|llevare|lleve|meter|meti) (?:el|un|mi|la|una) (?:cuchillo|navaja|pistola|arma|machete)"
        r"(?: de \w+)? (?:al trabajo|a la escuela|al colegio|a la oficina|a la universidad|a su casa)\b",
    ),
    (
        "es.algo_en_su_comida",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:ponerle|echarle|le (?:voy a |quiero )?(?:poner|echar)|le puse|le eche) (?:algo|veneno|pastillas|lejia|cloro)"
        r" en (?:la comida|el cafe|la bebida|el te|el vaso|la sopa|el agua)\b",
    ),
)
