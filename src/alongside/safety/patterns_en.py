"""English pattern families: phrases with ``{lemma}`` placeholders expanded to word forms.

Written against normalised text (see :mod:`alongside.safety.normalize`): lower-case ASCII,
one space between words, apostrophes kept. ``{name}`` is a piece below or a lemma.
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

PIECES: dict[str, str] = {
    "me": r"(?:my ?se?lf|myslef|mysefl|meself|my ?sel)",
    "i": r"(?:i|i'm|im|i am|i've|ive|i'll|ill|i'd|id|i was)",
    "wantto": r"(?:want(?:ed|s|ing)? to|wanna|wana|wnt to|wish i could|would like to|feel like i (?:want|need) to|need to|have to|going to|gonna|gunna|will|'ll|ready to|about to|plan(?:ning)? to|decided to|tempted to|urge to|urges to|thinking (?:about|of)|think about|thought about|considering|might)",
    "gonna": r"(?:going to|gonna|gunna|will|'ll|about to|ready to|plan(?:ning)? to|decided to)",
    "cant": r"(?:can'?t|cannot|can not|cnt)",
    "dont": r"(?:don'?t|do not|dont|didn'?t|did not|no longer)",
    "pills": r"(?:pills|pils|tablets|meds|medication|medications|medicine|painkillers|sleeping pills|paracetamol|tylenol|ibuprofen|insulin|antidepressants|prescriptions?)",
    "when": r"(?:tonight|today|tomorrow|this weekend|this week|soon|right now|now|on (?:friday|saturday|sunday|monday|my birthday)|after (?:our|the) session|before (?:our|the) session)",
    "target": r"(?:him|her|them|you|everyone|everybody|somebody|someone|people|(?:my|his|her|the|that|this|our) (?:[a-z]+ )?[a-z]+)",
    "abuser": r"(?:he|she|they|my (?:husband|hubby|partner|boyfriend|bf|girlfriend|gf|ex|dad|father|mom|mum|mother|stepdad|step dad|stepfather|stepmom|stepmother|brother|sister|wife|uncle|boss|coach|roommate|cousin|grandpa|fiance)|his (?:friend|brother)|her (?:boyfriend|husband))",
    "body": r"(?:arms?|legs?|wrists?|thighs?|skin|hands?|stomach|hips?|ankles?|shoulders?|forearms?)",
    "place": r"(?:closet|car|room|bedroom|garage|bag|backpack|drawer|basement|shed|trunk|wardrobe|attic)",
    "height": r"(?:bridge|roof|rooftop|ledge|building|balcony|cliff|overpass|parking garage|tower|edge)",
}

# (id, category, level, pattern). Levels are for a plain first-person present statement;
# the context layer lowers urgent to review for negation, history, hypotheticals, others.
FAMILIES: tuple[tuple[str, C, L, str], ...] = (
    # --- suicide ideation ----------------------------------------------------------------
    ("en.kill_myself", C.SUICIDE_IDEATION, L.URGENT, r"\b{kill} ?{me}\b(?! laughing| with laughter)"),
    (
        "en.kms",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?<![0-9] )(?<![0-9])kms\b|\b(?:kys myself|unalive ?(?:{me}|me)?|unaliving)\b",
    ),
    (
        "en.end_life",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:{end}|{take}) (?:my|my own) life\b(?! back)|\b{end} it all\b|\b{end} (?:my|it) (?:suffering|pain) for good\b",
    ),
    (
        "en.suicidal",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\bsuicidal\b|\bsuicide (?:thoughts?|ideation|plans?|attempts?|notes?|mode)\b|\b(?:{commit}|{attempt}|{think} (?:about|of)|{consider}|{contemplate}|{plan}|{try}) suicide\b|\bthoughts? (?:of|about) suicide\b",
    ),
    (
        "en.want_die",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b{wantto} (?:just )?(?:die|be dead|not be alive|not exist|not wake up)\b(?! of (?:boredom|embarrassment|laughter|shame|hunger|cringe|excitement))",
    ),
    (
        "en.die_tonight",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:i'?m|im|i am) (?:going to|gonna) die (?:tonight|today|soon)\b|\bready to go\b(?! (?:home|out|to))",
    ),
    (
        "en.passive_dead",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\bwish(?:ed)? (?:i (?:was|were|could be)|to be) (?:dead|gone|never born|not here|not alive)\b|\bbetter off dead\b|\bwish i (?:could )?(?:just )?(?:disappear(?:ed)?|never wake up|wouldn'?t wake up|didn'?t wake up|could sleep forever|had never been born)\b",
    ),
    (
        "en.not_live",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b{dont} (?:really )?(?:want|wanna|wish) to (?:live|be alive|be here|exist|wake up|go on|keep living)(?: anymore| any more)?\b|\b(?:tired|sick|done) (?:of|with) (?:being alive|living|life|existing|being here|it all)\b|\bdon'?t want to be around anymore\b",
    ),
    (
        "en.not_wake",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:hope|hoping|pray|praying) (?:i )?(?:don'?t|won'?t|never) wake up\b|\b(?:fall asleep|go to sleep) and (?:never|not) wake up\b|\bsleep (?:forever|and never wake)\b|\b(?:go|went|going) to sleep and (?:never|not) (?:wake|woke) up\b|\b(?:i'?d|i had|i'd have) never been born\b",
    ),
    # --- plan or preparation -------------------------------------------------------------
    (
        "en.end_it_when",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b{end} (?:it|things|everything) {when}\b|\b(?:tonight|today)(?:'s| is) the (?:night|day)\b.{0,40}\b(?:end|die|do it|go)\b|\bdo it {when}\b.{0,30}\b(?:pills|rope|bridge|end|die)\b",
    ),
    (
        "en.plan",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:have|got|made|worked out|figured out|know) (?:a|the|my) (?:plan|way|method)\b.{0,40}\b(?:die|kill|end (?:it|my life)|suicide|do it)\b|\b(?:know|decided|figured out|worked out) (?:how|when|where) (?:i'?(?:m|ll) (?:going to |gonna )?|to )(?:do it|end it|kill {me}|die)\b",
    ),
    (
        "en.jump",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b{jump} (?:off|from) (?:a|the|this|that|my)? ?(?:[a-z]+ )?{height}\b|\b{stand} (?:on|at) (?:a|the|this) (?:[a-z]+ )?{height}\b|\bon (?:a|the) {height} (?:right )?now\b|\b(?:i'?m|im|i am) (?:on|at) the (?:edge|ledge|roof|top) of (?:the|a|my|this) (?:[a-z]+ )?{height}\b|\b{sit} on the (?:ledge|edge|railing) of\b|\b(?:{step}|{walk}|{jump}|{throw} {me}) (?:out )?in front of (?:a|the) (?:train|bus|car|truck|traffic|subway)\b|\b(?:{drive}|{crash}|{steer}) (?:my car |the car )?(?:into|off) (?:a|the) (?:tree|wall|bridge|cliff|barrier|river|traffic|pole)\b",
    ),
    (
        "en.overdose",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:overdos(?:e|ed|ing)|od on|od'?d)\b|\b(?:{take}|{swallow}|{down}) (?:all|every one|the whole (?:bottle|box|pack)|a (?:bunch|handful|lot)) of (?:my |the )?{pills}\b|\b(?:{take}|{swallow}) (?:all )?(?:my|the) {pills} at once\b|\bhow many {pills}\b.{0,40}\b(?:take|die|kill|lethal|enough)\b|\b(?:lethal|fatal) dose\b",
    ),
    (
        "en.research",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:{google}|{search}|{research}|{look} up|{read} (?:up )?about|{watch} videos (?:on|about)) (?:how|ways|the (?:best|easiest|quickest|fastest|least painful) way|painless ways?) to (?:die|kill {me}|end it|hang|overdose|od)\b|\bpainless (?:way|ways) to (?:die|go)\b",
    ),
    (
        "en.date",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:picked|chose|chosen|set) (?:a|the) date\b(?! for (?:the|our|my) (?:wedding|party|trip|move|holiday|exam|interview))|\bdoing it {when}\b.{0,40}\b(?:made up my mind|decided|no going back|goodbye)\b|\b(?:made up my mind|decided)\b.{0,30}\b(?:doing it|going to do it|end it)\b",
    ),
    (
        "en.unsafe_self",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b{cant} keep {me} safe\b|\bnot safe (?:with|from|around) {me}\b|\b{dont} trust {me} (?:tonight|right now|alone|anymore|around)\b|\b{cant} promise (?:i'?ll|i will|to) (?:stay|be|keep) safe\b",
    ),
    # --- means ---------------------------------------------------------------------------
    (
        "en.save_pills",
        C.MEANS,
        L.URGENT,
        r"\b(?:{save}|{stockpile}|{hoard}|{stash}|{collect}|{hide}) (?:up )?(?:all )?(?:my |some |extra |the )?(?:old )?{pills}\b|\b{pills} (?:i'?ve|i have) (?:been )?(?:saved|saving|stockpiled|hidden|kept|collecting)\b|\benough {pills} (?:to|saved|stored|stashed)\b|\b(?:a bag|a bottle|a stash|a box|boxes) of {pills} (?:hidden|saved|stashed)\b|\b{pills} (?:hidden|stashed) (?:in|under|behind)\b",
    ),
    (
        "en.rope",
        C.MEANS,
        L.URGENT,
        r"\b(?:a |the )?(?:rope|noose|belt|cord) (?:in|under|hidden in|waiting in) (?:the|my) {place}\b|\b(?:{buy}|{get}|{make}|{have}|{hang}) (?:a |the )?(?:rope|noose)\b|\b{tie} (?:a |the )?noose\b|\b(?:{buy}|{get}|{have}|{find}|{hide}|{keep}|{load}) (?:a |my |his |her |dad'?s |the |some )?(?:gun|pistol|rifle|handgun|bullets|razor blades?|blades|charcoal|poison|rat poison)\b(?! (?:game|show|range))|\b(?:gun|pistol|rifle) (?:is |was )?(?:in|under) (?:the|my|his) (?:house|drawer|car|closet|bed|safe|nightstand)\b",
    ),
    (
        "en.means_emoji",
        C.MEANS,
        L.URGENT,
        r"(?:\b(?:pills|knife|rope|gun|razor)\b ?){2,}|\b(?:pills|knife|rope|gun|razor) (?:tonight|now|soon|bye|goodbye)\b",
    ),
    (
        "en.hang",
        C.MEANS,
        L.URGENT,
        r"\b(?:knife|razor|blade) blood\b|\b{hang} {me}\b|\bslit (?:my )?(?:wrists?|throat)\b",
    ),
    # --- goodbye or finality -------------------------------------------------------------
    (
        "en.not_around",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bwon'?t be (?:around|here|alive|there)(?: much longer| anymore| for| by| at| next| to)\b|\bwon'?t (?:see|need) (?:you|our|the|my|a) (?:[a-z]+ )?(?:again|session|appointment)\b|\bwon'?t see you (?:again|next (?:week|time|session))\b|\b(?:not|won'?t) (?:make it|be) (?:to|at) (?:our|the|my) next (?:session|appointment)\b|\bthis (?:is|will be) (?:my|our) last (?:session|message|time)\b",
    ),
    (
        "en.goodbye",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bthis is (?:my )?(?:final )?goodbye\b|\bsaying (?:my )?(?:final )?goodbye\b(?! to (?!(?:everyone|everybody|you|all|the world|my (?:family|kids|children|wife|husband|partner))\b))|\bgoodbye (?:forever|for good|everyone|world|cruel world)\b|\b(?:by the time|when) (?:you|anyone|someone) (?:read|reads|see|sees|find|finds) this\b|\b(?<!my )(?<!your )(?<!the )(?<!a )(?<!previous )last message\b(?! (?:of|for) (?:the )?(?:day|today|week|evening|now)\b)|\b(?:this is|this will be|this'll be|this is going to be|here is|here's|consider this) (?:my |the )?(?:very )?last message\b|\bmy last message (?:to (?:you|everyone|all of you|the world)|ever|before i go)\b|\blast time you(?:'ll)? hear from me\b|\bsorry for everything\b.{0,40}\b(?:bye|goodbye|love you|forgive)\b|\bthank you for (?:everything|trying)\b.{0,30}\b(?:goodbye|bye|i'?m sorry)\b|\bfinal (?:goodbye|message|note)\b|\btell (?:my )?[a-z]+ (?:i love (?:her|him|them|you)|i'?m sorry)\b.{0,20}\b(?:goodbye|bye)\b",
    ),
    (
        "en.letters",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:{write}|{leave}|{finish}) (?:some |a |the |my )?(?:letters?|notes?|goodbye (?:letters?|notes?)) (?:to|for) (?:my |the |each of my )?(?:kids|children|son|daughter|family|parents|mom|mum|dad|wife|husband|partner|everyone|sister|brother|friends)\b|\bjust in case\b.{0,60}\b(?:letters?|notes?|will)\b|\b(?:letters?|notes?)\b.{0,60}\bjust in case\b",
    ),
    (
        "en.will",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:{write}|{make}|{finish}|{update}|{draw} up|{sign}) (?:a|my|the) (?:will|last will|testament)\b(?! to\b| power\b)|\b(?:{sort}|{get}) (?:out )?(?:my )?(?:affairs|things) in order\b|\b(?:life insurance|my passwords)\b.{0,40}\b(?:in case|when i'?m gone|after i'?m gone)\b",
    ),
    (
        "en.give_away",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b{give} (?:away )?(?:all )?(?:of )?my (?:things|stuff|belongings|possessions|clothes|books|games|plants|jewelry|guitar|cat|dog|pets?)(?: away)?\b|\b{give} away (?:all )?(?:of )?my\b(?! old\b| baby\b| outgrown\b| spare\b| extra\b| kids| late\b| [a-z]+'s\b)|\b(?:take|look) after my (?:cat|dog|kids|children|pets?|plants) (?:for me|when i'?m gone|after i'?m gone)\b|\bwhen i'?m gone\b",
    ),
    # --- burden and hopelessness --------------------------------------------------------
    (
        "en.burden",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bbetter off without me\b|\b(?:i'?m|im|i am|i feel like|feel like) (?:just |such )?a (?:burden|waste of space|waste of air)\b|\bburden (?:to|on|for) (?:everyone|everybody|my|them|the)\b|\b(?:no one|nobody|noone) (?:would|will) (?:even |really |ever )?(?:care|notice|miss me)\b|\beveryone (?:would|will) be (?:happier|better)\b",
    ),
    (
        "en.hopeless",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bi (?:{cant}|cant) go on(?= *(?:[.!?,;]|$)| like this| anymore| any more| living| much longer| with (?:this|life|my life))|"
        r"\b(?:feel(?:ing)?|so|completely|totally|utterly) hopeless\b|\b(?:everything|life|it all) (?:is|feels|seems) (?:hopeless|pointless|meaningless)\b|\bno (?:point|reason|use) (?:in )?(?:living|going on|being alive|being here|carrying on|trying anymore|to live)\b|\bnothing (?:left )?to live for\b|\bno way out\b|\b(?:never|not ever) going to get better\b|\bwhat'?s the point (?:of|in) (?:living|going on|anything|life|being alive)\b|\b{cant} (?:go on|keep going|do this|take (?:it|this)|handle (?:it|this|life)) (?:anymore|any more|much longer)\b|\b(?:give|given|giving) up on (?:life|living|everything|myself)\b|\bthere'?s no future for me\b",
    ),
    # --- self-harm -----------------------------------------------------------------------
    (
        "en.self_harm",
        C.SELF_HARM,
        L.URGENT,
        r"\bself[ -]?harm(?:ed|ing)?\b|\bsh(?:'?d|'ed|'?ing)\b|\b(?:relapsed|relapse) (?:on |with |into )?(?:sh|cutting|self ?harm|burning)\b|\bsh (?:again|last night|yesterday|today|tonight)\b",
    ),
    (
        "en.cut",
        C.SELF_HARM,
        L.URGENT,
        r"\b(?:{cut}|{slice}|{carve}|{scratch}|{hurt}|{harm}|{burn}|{hit}|{punch}|{stab}|{starve}) ?{me}\b(?! (?:shaving|cooking|chopping|slicing|gardening|playing|training|working out|lifting|running|climbing|skiing|skating|falling|on (?:a|the|some) (?:paper|knife|can|tin|nail|fence|glass table)|(?:at|in) (?:the )?(?:gym|practice|training|football|soccer|match|game|kitchen)|by accident|accidentally))|\b(?:{cut}|{slice}|{carve}|{burn}|{scratch}) (?:on |into )?my {body}\b|\b{scratch} (?:my skin )?(?:until|till|til) (?:it|i) (?:bled|bleed|bleeds|bleeding)\b|\bmake {me} bleed\b|\b{bang} my head (?:against|on|into)\b",
    ),
    (
        "en.urges",
        C.SELF_HARM,
        L.URGENT,
        r"\b(?:urges?|craving|itch) to (?:cut|burn|hurt|harm|sh|self ?-?harm)\b|\b(?:the )?urges (?:are|were) back\b|\b(?:cuts|scars|burns) on my {body}\b.{0,40}\b(?:new|fresh|again|last night|today)\b|\b(?:new|fresh) (?:cuts|burns|scars|marks)\b|\b(?:razor|blade|lighter)\b.{0,30}\bon my {body}\b",
    ),
    # --- harm to others ------------------------------------------------------------------
    (
        "en.harm_others",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:{wantto}|could|swear i'?ll|swear i will) (?:really )?(?:{kill}|{hurt}|{stab}|{shoot}|{strangle}|{poison}|{murder}|{beat} up|{punch}|{attack}|{smash}|{choke}) (?!{me}\b|time\b|it\b|(?:the|a|an|all the|some) (?:dragons?|zombies?|monsters?|final boss|boss fight|enemies|enemy|bad guys?|villains?|orcs?|aliens?|mosquitos?|mosquitoes|spiders?|flies|wasps?|bugs?|weeds|plants?)\b|the mood\b|the vibe\b|(?:this|the|that|my) (?:test|exam|interview|game|presentation|speech|workout|song|set|audition|meeting|class|project|deadline|round|match|race|performance)\b){target}\b",
    ),
    (
        "en.threat",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:make|making) (?:him|her|them|everyone) pay\b|\b(?:{bring}|{take}) (?:a|my|dad'?s) (?:gun|knife|weapon) to (?:work|school|class|the office|his house|her house)\b|\bshoot up (?:the|my|a) (?:school|office|work|place)\b|\bthey'?(?:ll| will) (?:all )?be sorry\b|\bi know where (?:he|she|they) (?:lives?|sleeps?)\b|\bfantasi[sz]\w* about (?:killing|hurting|stabbing|shooting)\b",
    ),
    # --- danger or abuse -----------------------------------------------------------------
    (
        "en.abuse",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{abuser} (?:[a-z]+ )?(?:{hit}|{punch}|{slap}|{kick}|{choke}|{strangle}|{push}|{shove}|{beat}|{hurt}|{grab}|{threaten}|{rape}|{attack}|{throw}|{drag}|{bite}|{assault}|{force}|{smack}|{strike}) (?:me|my)\b|\b(?:{hold}|{point}|{pull}) a (?:knife|gun) (?:on|at|to) (?:me|my)\b|\bthreatened (?:to (?:kill|hurt|take) me|me with a (?:knife|gun))\b",
    ),
    (
        "en.unsafe_home",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b(?:i'?m not|im not|i am not|(?:i )?don'?t feel|(?:i )?do not feel|(?:i )?never feel) safe (?:at home|in my (?:home|house|own home)|with (?:him|her|them|my [a-z]+)|going home)\b|\bnot safe (?:at home|in my (?:home|house))\b|\b(?:afraid|scared|terrified) (?:he|she|they)(?:'ll| will| is going to| might| could) (?:kill|hurt|hit|find) me\b|\b(?:locked|locks) me (?:in|out)\b|\bwon'?t let me (?:leave|go out|see anyone|have my phone)\b|\b{abuser} (?:touched|touches|touching|keeps touching) me\b|\b(?:afraid|scared|terrified) (?:to go|of going) home\b|\b{abuser} (?:said|says) (?:he|she|they)(?:'d|'ll| would| will) kill me\b",
    ),
    # --- escalators: alert only after risk in the last 48 hours ---------------------------
    (
        "en.timing",
        C.PLAN_OR_PREPARATION,
        L.NONE,
        r"\b(?:tonight|today)(?:'s| is) the (?:night|day)\b|\bit'?s time\b|\bi'?m ready\b|\bdoing it (?:tonight|today|now)\b|\bno more waiting\b|\bthis is it\b",
    ),
)


def _more() -> tuple[tuple[str, C, L, str], ...]:
    from alongside.safety.patterns_en_more import MORE

    return MORE


FAMILIES += _more()
