"""Pattern families from the misses of fresh probes 17 to 22, read together (issue #13, 2026-12-07).

Each family names a kind of phrasing that failed on text the detector had not seen, in
English and Spanish, never one sentence. Same conventions and pieces as
:mod:`alongside.safety.patterns_en` and :mod:`alongside.safety.patterns_es`, which append
``EN`` and ``ES`` to their ``FAMILIES``.
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

_DEATH_EN = r"(?:dying|death|suicide|killing myself|ending it|ending my life|overdosing|the overdose|the rope|jumping)"
_RESEARCH_EN = (
    r"(?:research\w*|look\w* up|googl\w*|search\w*|read up on|read about|check\w*|work\w* out|figur\w* out|calculat\w*)"
)
_LETHAL_EN = (
    r"(?:lethal|fatal|deadly|enough to (?:die|kill (?:me|someone|a person)|not wake up)|an overdose|a fatal dose)"
)

EN: tuple[tuple[str, C, L, str], ...] = (
    (
        # A death word named as the plan, with or without a time: "dying tonight is the plan".
        "en.death_is_the_plan",
        C.SUICIDE_IDEATION,
        L.URGENT,
        rf"\b{_DEATH_EN}(?: (?:tonight|today|tomorrow|this weekend|on \w+day))? (?:is|was|'s) (?:the|my) plan\b"
        rf"|\b(?:the|my) plan is (?:to )?(?:die|dying|end it|end my life|kill myself|overdose|jump|hang myself)\b",
    ),
    (
        # Finding out which medicine, dose or height would kill: preparation by research.
        "en.research_lethality",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        rf"\b{_RESEARCH_EN} (?:which|what|how many|how much|the)(?: \w+){{0,4}} (?:is |are |would be |it takes to be )?{_LETHAL_EN}\b"
        r"|\b(?:lethal|fatal|deadly) (?:dose|doses|amount|amounts) of\b",
    ),
    (
        # Affairs put in order so that nobody is left to deal with the client's things or absence.
        "en.so_nobody",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bso (?:that )?(?:nobody|no one|no-one|noone|none of them) (?:is|gets|will be|would be) (?:left|stuck) (?:with|to deal with|to sort)\b"
        r"|\bso (?:that )?(?:nobody|no one|no-one|noone) (?:has|have|will have|would have|needs|will need) to"
        r" (?:deal with|clean up|sort out|pay for|find me)\b"
        r"|\bso (?:that )?(?:nobody|no one|no-one|noone) (?:expects me|looks for me|comes looking|checks on me|finds me|will find me)\b",
    ),
    (
        # Self-harm resumed or ongoing, said with "again" or "until it bleeds".
        "en.self_harm_again_bleed",
        C.SELF_HARM,
        L.REVIEW,
        r"\b(?:cutting|self harming|selfharming|harming myself|hurting myself|burning myself) again\b"
        r"|\b(?:scratch\w*|pick\w*|claw\w*|dig\w*|rubb\w*|hitt?\w*|punch\w*|bang\w*) (?:at )?(?:my ?self|my \w+)"
        r"(?: \w+)? (?:until|till|til|'til|untill) (?:it|they|i|my \w+) (?:bleed|bled|bleeds|started bleeding|bruise|bruised)\b",
    ),
    (
        # A knot or noose being practised or tied: preparation.
        "en.noose_practice",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:practis\w*|practic\w*|learn\w*|figur\w* out|look\w* up|watch\w*) (?:how to )?(?:ty\w*|tie|mak\w*|make)"
        r" (?:a |the )?(?:noose|hangman'?s knot|slip ?knot)\b|\bpractis\w* tying (?:a |the )?knot\b",
    ),
    (
        # Medicines hidden or saved up, said after the noun: "the pills I have hidden", "pills stashed".
        "en.pills_hidden",
        C.MEANS,
        L.URGENT,
        r"\b{pills} (?:are |is )?(?:hidden|stashed|saved up|put aside|hoarded|stockpiled|squirrelled away|tucked away)\b"
        r"|\b(?:hidden|stashed|hoarded|stockpiled) (?:away )?(?:\w+ )?{pills}\b",
    ),
    (
        # Waiting where a train passes without stopping.
        "en.through_train",
        C.MEANS,
        L.URGENT,
        r"\b(?:platform|tracks|railway|rail line|level crossing|crossing)\b.{0,60}\b(?:express|freight|fast|non ?stop|through)"
        r" train\b|\b(?:express|freight|non ?stop) (?:train )?(?:to )?(?:come|comes|coming|pass|passes|go|goes) through\b",
    ),
    (
        # Love and an apology passed on through someone else: a goodbye.
        "en.love_and_sorry_relayed",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        # "Sorry" only at the end of a clause: "let him know i'm sorry i missed the session" is not one.
        r"\b(?:tell|let) (?:my \w+|them|everyone|her|him) (?:know )?(?:that )?i (?:love|loved)"
        r"(?: (?:her|him|them|you|so much))?(?:,? and (?:that )?(?:i'?m |im |i am )?(?:sorry|to forgive me))?\b"
        r"|\b(?:tell|let) (?:my \w+|them|everyone|her|him) (?:know )?(?:that )?(?:i am|i'm|im) (?:so )?sorry(?=\s*(?:$|[.!;]|and\b))",
    ),
)

# Round 22: the kinds the twenty-second probe (teenagers and older adults, texting) missed.
EN += (
    (
        # At a height now, the place named with what it belongs to: "on the roof of the school rn".
        "en.at_height_now",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:i'?m|im|i am|standing|sitting|sat|stood|up) (?:up )?(?:on|at) (?:the )?(?:top of (?:the |a )?|edge of (?:the |a )?)?"
        r"{height}(?: of (?:the |a |my )?\w+(?: \w+)?)? (?:rn|right now|now|atm)\b",
    ),
    (
        # A means said to be within reach: "the knife is next to me", "pills are right here with me".
        "en.means_within_reach",
        C.MEANS,
        L.URGENT,
        r"\b(?:the|a|my|his|dads?|moms?|mums?) (?:\w+ )?(?:knife|blade|razor|gun|pistol|rifle|rope|noose|{pills})"
        r" (?:is|are|'s|s) (?:right )?(?:next to me|beside me|in front of me|here with me|with me|by me|in my hand|in my lap)\b",
    ),
    (
        # Farewells in the past tense of a life: "nice knowing you", things given away "won't need them".
        "en.nice_knowing_you",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:it was |it'?s been |was |been )?(?:nice|good|great|an honou?r) knowing (?:you|u|ya|y'?all|everyone|you all|all of you)(?:,? (?:guys|all|everyone|friends))?(?=\s*(?:$|[^\w\s]))"
        r"|\b(?:gave|giving|given|give) (?:away )?(?:my|all my|all of my)\b.{0,50}\b(?:won'?t|wont|will not|i won'?t|im not gonna)"
        r" (?:need|be needing|be using|use) (?:them|it|any of it|anything)(?: anymore| any more)?\b",
    ),
    (
        # A threat to injure the client reported: "he said he'd put me in the hospital if I told".
        "en.threat_reported",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b(?:said|says|told me|threatened|swore|swears|promised)(?: that)? (?:he|she|they)(?:'?d|'?ll| would| will| is gonna| is going to)"
        r" (?:put me in (?:the |a )?(?:hospital|grave|ground|er|icu|wheelchair)|break my \w+|beat me|hurt me|kill me|end me|stab me|shoot me)\b",
    ),
)

_BUSCAR = r"(?:busque|buscaba|estuve buscando|estoy buscando|averigue|investigue|lei sobre|me fije|calcule|googlee)"

ES: tuple[tuple[str, C, L, str], ...] = (
    (
        # Sin razón para vivir, con cualquier determinante ("ninguna", "ni una") o en plural.
        "es.sin_razon_para_vivir",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:no tengo|no hay|no encuentro|no veo|ya no tengo|sin) (?:ninguna |ni una |una |mas |ningun |ni un )?"
        r"(?:razon|razones|motivo|motivos) (?:para|por (?:la )?que|por el que) (?:vivir|seguir(?: viv\w+| aqui)?|estar viv\w+)\b",
    ),
    (
        "es.investigar_letalidad",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        rf"\b{_BUSCAR}(?: en (?:internet|google))? (?:cuant[oa]s|que|cual(?:es)?|como)(?: \w+){{0,4}}"
        r" (?:es |son |seria )?(?:letal\w*|mortal\w*|para morir|para no despertar|hacen falta para)\b"
        r"|\bdosis (?:letal|mortal)\b",
    ),
    (
        "es.para_que_nadie",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bpara que nadie (?:tenga que (?:hacerse cargo|pagar|limpiar|encargarse)|se quede con (?:mis )?(?:deudas|problemas)"
        r"|me (?:busque|espere|encuentre|extrane))\b",
    ),
    (
        "es.autolesion_sangrar",
        C.SELF_HARM,
        L.REVIEW,
        r"\bme (?:estuve |estoy |sigo |volvi a )?(?:rasgun\w*|aranando|arane|aranaba|rasco|rascaba|rasque|rascando|pellizc\w*|"
        r"golpe\w*|pegue|pegaba|pegando)(?: \w+){0,3} hasta (?:sangrar|que (?:me )?sangr\w+|hacerme sangre|dejarme moretones)\b"
        r"|\b(?:me volvi a|volvi a|otra vez a) (?:cortar|lastimar|quemar|hacer dano)\b",
    ),
    (
        "es.pastillas_escondidas",
        C.MEANS,
        L.URGENT,
        r"\b{pastillas} (?:escondid\w+|guardad\w+|juntad\w+|ahorrad\w+|acumulad\w+)\b",
    ),
    (
        "es.despedida_quiero_y_perdon",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:diganle|dile|digale|decile|digan|avisale|avisenle|diles|digales) a (?:mi|mis) \w+ que (?:la|lo|los|las) (?:quiero|quise|amo|ame)\b"
        r"|\b(?:diganle|dile|digale|decile|diles|digales) a (?:mi|mis) \w+ que (?:lo siento|me perdone\w*|perdon)\b",
    ),
)

# Ronda 22: deseos pasivos con "ojalá".
ES += (
    (
        "es.ojala_no_despertar",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\bojala (?:ya )?(?:no (?:me )?(?:despierte|despertara|despertar|amanezca|existiera|hubiera nacido)"
        r"|(?:me )?(?:muera|muriera|desapareciera|desaparezca)|(?:me )?(?:llevara|lleve) dios)\b",
    ),
)
