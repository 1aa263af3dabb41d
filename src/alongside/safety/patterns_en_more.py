"""English pattern families added after probing with realistic messages (rounds two to nine).

Same conventions as :mod:`alongside.safety.patterns_en`, whose ``PIECES`` these use; that
module appends ``MORE`` to its ``FAMILIES``.
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

MORE: tuple[tuple[str, C, L, str], ...] = ()

# Second round: phrasings found missing when probing with realistic messages.
MORE += (
    (
        "en.passive_more",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b{wantto} (?:just )?(?:disappear|vanish|stop existing|go to sleep forever)\b"
        r"|\bi'?d rather (?:be dead|die|not exist|not be here|not be alive)\b(?! than\b)"
        r"|\bwant (?:it|everything|it all|the pain|all of this|this) to (?:stop|end) (?:forever|for good|permanently)\b"
        r"|\bwant (?:it all|everything) to end\b"
        r"|\b{think} (?:about|of) (?:dying|being dead|not being here|not waking up)\b"
        r"|\bthoughts (?:of|about) (?:dying|death|being dead)\b"
        r"|\b{end} things\b(?! with (?:him|her|them|my))",
    ),
    (
        "en.tonight",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:won'?t|not sure i'?ll|don'?t think i'?(?:ll|m going to)|don'?t know if i'?ll|might not) make it "
        r"(?:through|to|past) (?:the night|tonight|tomorrow|the weekend|morning|our next session)\b"
        r"|\b(?:drove|went|walked|driving|going|walking) to the (?:bridge|cliff|tracks|train tracks|roof|river|edge)\b"
        r".{0,40}\b(?:jump|end|die|sat|stood|stand|thinking)\b"
        r"|\b(?:on|near|by) the (?:train |railway )?tracks\b.{0,30}\b(?:now|waiting|tonight)\b"
        r"|\b{take} \d+ (?:of )?(?:my |the |those )?{pills}\b"
        r"|\b{pills} (?:in front of me|lined up|all lined up|on the (?:table|counter|desk|bed))\b"
        r"|\b(?:researching|looking up|reading about|googling) (?:suicide )?methods\b"
        r"|\bsaying goodbye to (?:everyone|everybody|you all|my family|my kids|the world)\b",
    ),
    (
        "en.hopeless_more",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:don'?t|can'?t) see (?:the|any) point (?:anymore|any more|in (?:anything|living|going on|trying|life))\b"
        r"|\b(?:easier|better) (?:for everyone )?if i (?:wasn'?t|weren'?t|was not) (?:here|around|alive)\b"
        r"|\bnot (?:going to|gonna) be (?:here|around) (?:much longer|for long|anymore)\b",
    ),
    (
        "en.sh_more",
        C.SELF_HARM,
        L.URGENT,
        r"\bcovered in (?:cuts|scars|burns)\b"
        r"|\b(?:punched|hit|bit|scratched) (?:the wall|walls|myself|my arm|my leg) (?:until|till|til) "
        r"(?:my [a-z]+ |it |they |i )?(?:bled|bleed|broke)\b"
        r"|\bcut (?:again|deeper|deep)\b(?! (?:my|the|her|his) hair)",
    ),
    (
        "en.sh_history",
        C.SELF_HARM,
        L.REVIEW,
        r"\b(?:clean|free) (?:from|of) (?:cutting|self ?harm|sh|burning|hurting myself)\b"
        r"|\b(?:days|weeks|months|years) (?:sh|self ?harm|cutting) (?:free|clean)\b",
    ),
    (
        "en.threat_more",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:dream|dreams|dreaming|think|thinking) about (?:killing|stabbing|shooting|strangling|poisoning) "
        r"(?:him|her|them|my|the|that)\b",
    ),
    (
        "en.abuse_more",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{abuser} (?:[a-z]+ )?(?:{hit}|{beat}|{hurt}|{kick}|{slap}|{choke}) "
        r"(?:the kids|the baby|my (?:son|daughter|kids|children|baby|little brother|little sister))\b"
        r"|\b(?:raped|rapes|molested|molests) me\b",
    ),
)

# Third round: indirect plans and farewells that only the classifier caught.
MORE += (
    (
        "en.plan_more",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:scared|afraid|worried|terrified) (?:of )?what i (?:might|could|will|would|am going to|'?m going to) do to {me}\b"
        r"|\b(?:figured out|worked out|planned|know exactly|decided) (?:how|when|where) i(?:'?d| would| will|'?ll| am going to|'?m going to) "
        r"(?:do it|end it|go)\b"
        r"|\b(?:engine|car) running\b.{0,40}\bgarage\b|\bgarage\b.{0,40}\b(?:engine|car) running\b"
        r"|\b(?:{swallow}|{take}) (?:everything|all(?: of it)?) (?:in|from) the (?:medicine cabinet|cabinet|bathroom cabinet)\b"
        r"|\bknow (?:exactly )?how many (?:i'?d|i would|i'?ll) need\b",
    ),
    (
        "en.means_more",
        C.MEANS,
        L.URGENT,
        r"\b{buy} (?:a lot of|lots of|loads of|so many|extra|a bunch of|\d+ (?:boxes|packs|packets|bottles) of) "
        r"(?:{pills}|paracetamol|tylenol|aspirin)\b",
    ),
    (
        "en.bye_more",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bwon'?t have to (?:worry about|deal with|put up with|see) me (?:anymore|any more|again|much longer)\b"
        r"|\b(?:made|making|make) arrangements for (?:my|the) (?:cat|dog|kids|children|pets?|funeral|plants)\b"
        r"|\b(?:please )?tell (?:my )?(?:mom|mum|mother|dad|father|kids|children|wife|husband|partner|family|sister|brother) "
        r"(?:i'?m sorry|i love (?:her|him|them))\b",
    ),
    (
        "en.hopeless_third",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bnothing (?:is )?(?:ever )?(?:going to|gonna|will ever) (?:change|get better)\b|\bi'?m done trying\b"
        r"|\bwhat'?s the point (?:anymore|any more)\b|\bi want out\b(?! of (?:this job|the contract|the lease|the group))",
    ),
    (
        "en.sh_third",
        C.SELF_HARM,
        L.URGENT,
        r"\bi cut (?:last night|yesterday|today|tonight|this morning|for the first time)\b"
        r"|\b(?:used|put|held) a (?:lighter|lit cigarette|cigarette|hot knife) (?:on|to|against) my {body}\b",
    ),
    (
        "en.abuse_third",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{abuser} (?:said|says|told me) (?:he|she|they)(?:'d| would|'ll| will) (?:hurt|kill|hit) me\b"
        r"|\b{abuser} (?:comes|came|keeps coming) into my (?:room|bed)\b",
    ),
    (
        "en.threat_third",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:picture|imagine|imagining|picturing) (?:hurting|killing|stabbing|shooting) (?:him|her|them|my [a-z]+)\b"
        r"|\bmake (?:him|her|them|my [a-z]+) regret (?:it|this)\b.{0,30}\bplan\b",
    ),
)

# Fourth round: any "my ..." as the person doing harm, threats to kill, arson, research.
MORE += (
    (
        "en.abuse_fourth",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b(?:my [a-z]+(?:'s [a-z]+)?|his [a-z]+|her [a-z]+|he|she|they) (?:[a-z]+ )?"
        r"(?:{hit}|{punch}|{slap}|{kick}|{choke}|{strangle}|{push}|{shove}|{beat}|{hurt}|{slam}|{burn}|{bite}"
        r"|{smack}|{drag}|{throw}|{grab}|{rape}|{assault}) (?:me|my head|my face|my neck|my arm|my hair)\b"
        r"|\b{threaten} to (?:kill|hurt|hit|beat|take) (?:me|us|my)\b"
        r"|\b(?:hiding|locked myself) in (?:the|my) (?:bathroom|room|closet|car)\b.{0,40}\b(?:he|she|they)\b"
        r".{0,20}\b(?:trying to get in|banging|outside|looking for me)\b",
    ),
    (
        "en.threat_fourth",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b{burn} (?:his|her|their|my [a-z]+'s) (?:house|car|place|flat|apartment) down\b"
        r"|\bburn down (?:his|her|their) (?:house|car|place)\b",
    ),
    (
        "en.plan_fourth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:looked up|googled|searched|searching|researching|looking up) (?:for )?(?:the )?(?:tallest|highest) "
        r"(?:buildings|bridges|places|cliffs|car parks|parking garages)\b",
    ),
    (
        "en.burden_fourth",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bbetter off with (?:the |my )?(?:life )?insurance\b|\blife insurance (?:money|payout)\b.{0,40}\b(?:better|if i)\b",
    ),
    ("en.sh_fourth", C.SELF_HARM, L.URGENT, r"\bsh[ -](?:ing|ed|d)\b"),
)

# Fifth round.
MORE += (
    (
        "en.plan_fifth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:i'?ve |i have |i )?(?:decided|picked|chosen)\b.{0,20}\b(?:is the (?:day|night)|is when)\b",
    ),
    (
        "en.threat_fifth",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:could|gonna|going to|will|'ll|want to|wanna) (?:literally|actually|seriously|honestly|just|really) "
        r"(?:{kill}|{hurt}|{stab}|{shoot}|{strangle}|{murder}) (?:him|her|them|you|my [a-z]+|someone)\b"
        r"|\bi'?m not joking\b.{0,40}\b(?:kill|hurt|stab|shoot)\b|\b(?:kill|hurt|stab|shoot) (?:him|her|them)\b.{0,40}\bnot joking\b",
    ),
    (
        "en.abuse_fifth",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bbruises? (?:on my [a-z]+ )?(?:from|because of) (?:him|her|them|my [a-z]+)\b"
        r"|\bwon'?t let me (?:see (?:anyone|my friends|my family|a doctor)|have (?:my phone|money|any money)|work|go to work)\b",
    ),
)

# Sixth round.
MORE += (
    (
        "en.si_sixth",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:just )?waiting to die\b|\b(?:exhausted|weary|worn out) (?:of|from|with) (?:being alive|living|life|existing)\b",
    ),
    (
        "en.plan_sixth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:thinking|think|thought) about the (?:tracks|train tracks|bridge|edge|ledge|drop)\b"
        r"|\bif (?:anything|something) happens to me\b.{0,60}\b(?:letter|note|password|will|key|account)\b",
    ),
)

# Seventh round.
MORE += (
    ("en.si_seventh", C.SUICIDE_IDEATION, L.REVIEW, r"\bfeel(?:ing|s)? like dying\b(?! (?:of|from|laughing))"),
    (
        "en.plan_seventh",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bdo it (?:when|once|while|as soon as) (?:my [a-z]+|everyone|they|nobody|no one|the house|the kids)\b"
        r".{0,25}\b(?:leave|leaves|asleep|gone|out|away|empty|at work)\b"
        r"|\b(?:practi[sc]ing|practi[sc]ed|learning|learned how) (?:to )?(?:tie|tying) (?:a )?(?:knots?|nooses?)\b"
        r"|\b(?:started|start|began|am|i'?m) (?:cutting|burning|self ?harming|hurting myself) again\b",
    ),
    (
        "en.control_seventh",
        C.DANGER_ABUSE,
        L.REVIEW,
        r"\b{abuser} (?:took|takes|smashed|broke|hides|hid) my (?:phone|keys|passport|money)\b",
    ),
)

# Eighth round.
MORE += (
    (
        "en.si_eighth",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:fighting|trying|struggling) to (?:stay alive|live|survive|keep going)\b",
    ),
    (
        "en.plan_eighth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bi'?m done\b.{0,40}\bi (?:have|'ve got|got) (?:what|everything) i need\b"
        r"|\bi (?:have|'ve got|got) (?:what|everything) i need\b.{0,40}\bi'?m done\b",
    ),
    (
        "en.abuse_eighth",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bnext time (?:he|she|they)(?:'ll| will| is going to| are going to) (?:use|kill|hurt|hit|beat|break)\b"
        r"|\b(?:hit|beat|whipped|whips|hits|beats) me with (?:a|the|his|her) (?:belt|buckle|cord|stick|bat|shoe)\b",
    ),
)

# Ninth round.
MORE += (
    (
        "en.si_ninth",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\bdeath (?:sounds|seems|feels|looks) (?:peaceful|nice|good|like a relief|easier|better|appealing|like the answer)\b"
        r"|\b(?:i'?d|i would|id) be (?:ok|okay|fine|happy|glad|relieved) if i (?:died|didn'?t wake up|never woke up|was gone)\b"
        r"|\b(?:don'?t|do not) care (?:if|whether) i live or die\b",
    ),
    (
        "en.plan_ninth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:the |my )?(?:rope|noose|pills|gun|knife|blade) (?:is|are) (?:ready|set up|waiting|here with me|in my hand)\b"
        r"|\b(?:sat|sitting|stood|standing) (?:at|on|by) the (?:edge|ledge|railing|top)\b.{0,30}\b(?:for|hour|minutes|while|tonight)\b",
    ),
)

# Tenth round.
MORE += (
    (
        "en.si_tenth",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\bbetter off (?:not existing|not being here|not alive|never having been born|gone)\b",
    ),
    (
        "en.plan_tenth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:i'?m|im|i am) (?:at|on) the top (?:floor )?of (?:the|a|this|my) (?:car park|parking garage|multi ?storey|building|tower|cliff)\b"
        r"|\b(?:counting|counted|lining up|lined up) (?:out )?(?:my |the |all my |all the )?{pills}\b",
    ),
    (
        "en.abuse_tenth",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{abuser} (?:throws|threw|throwing) (?:things|stuff|plates|bottles|chairs) at me\b",
    ),
)

# Eleventh round: the misses of the tenth fresh probe (2026-12-06), written as the general
# phenomenon (hoarding any medicine, any tool pressed to the skin, a current urge), not the probe's words.
MORE += (
    (
        "en.si_eleventh",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:finally|actually|really) (?:go|going|gonna go) through with it\b"
        r"|\b(?:tonight|today|this weekend)\b.{0,40}\bgo(?:ing)? through with it\b",
    ),
    (
        "en.plan_hoard",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:stockpil\w*|hoard\w*|stash\w*|squirrel(?:ed|ing|led|ling) away|put(?:ting)? aside|set(?:ting)? aside"
        r"|kept back|keeping back|saved up|collecting|collected) "
        r"(?:up )?(?:(?:my|the|some|all|a few|loads of|lots of|a lot of|extra|of) ){0,3}(?:[a-z]+ )?{pills}\b"
        r"|\b\d{2,3} (?:[a-z]+ ){0,2}{pills}\b.{0,30}\b(?:saved|stashed|hidden|put aside|set aside|saved up|ready)\b"
        r"|\b(?:swallowed|downed|necked|took|taken) (?:a load|loads|a lot|lots|a bunch|a handful|handfuls|a whole (?:box|bottle|packet|pack|strip)"
        r"|the whole (?:box|bottle|packet|pack|strip)|(?:\d{2,3})) (?:of )?(?:my |the )?{pills}\b",
    ),
    (
        "en.goodbye_eleventh",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\btell (?:my |him |her |them )?(?:[a-z]+ ){0,2}(?:that )?i (?:loved|always loved|really loved) (?:her|him|them|you)\b",
    ),
    (
        "en.sh_eleventh",
        C.SELF_HARM,
        L.URGENT,
        r"\b(?:want|wanna|need|urge|urges|craving|crave|dying) (?:to )?(?:cut|self ?harm|sh|burn myself)"
        r"(?: (?:so bad|so badly|really bad|so much|again|rn|right now|tonight))\b"
        r"|\b(?:used|use|using|pressed|pressing|held|holding|put|ran|dragged|dug|digging) (?:a |the |my |an )?(?:hot |sharp )?"
        r"(?:compass|razor|blade|lighter|iron|knife|scissors|glass|pin|needle|cigarette|match|sharpener|lighter|nail file|hair straighteners?) "
        r"(?:on|to|into|against|across|along|over) (?:my )?(?:[a-z]+ )?{body}\b",
    ),
)

# Twelfth round: the misses of the eleventh fresh probe (2026-12-06), written as the general phenomenon.
MORE += (
    (
        "en.plan_twelfth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bi (?:have|'ve got|ve got|'ve|ve|got) (?:the|a|my) (?:note|letter|goodbye letter) (?:written|ready|done|finished)\b"
        r"(?! for (?:the |my )?(?:school|teacher|work|boss|meeting|class|doctor|landlord|bank))"
        r"|\b(?:the |my )?(?:suicide |goodbye )?note is (?:written|ready|done|on the (?:table|bed|desk))\b"
        r"|\b(?:fast|express|non ?stop) (?:one|train)s? (?:goes|go|comes|come|passes|pass) (?:through|past) at\b",
    ),
    (
        "en.sh_twelfth",
        C.SELF_HARM,
        L.URGENT,
        r"\b(?:scalded|scalding|burnt|burned|burning|cut|bruised|scratched|bit|punched|hit|stabbed|froze) (?:my )?(?:[a-z]+ )?"
        r"(?:{body}|face|head|neck|chest|fingers?)\b.{0,40}\b(?:on purpose|deliberately|to punish myself|to feel something)\b",
    ),
    (
        "en.abuse_twelfth",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b(?:his|her|their|both) hands? (?:around|round|on) my (?:neck|throat)\b"
        r"|\b{abuser} (?:takes|took|keeps|kept|controls|controlled|has|had) (?:all )?(?:of )?(?:my|our) "
        r"(?:wages|money|salary|pay|paycheck|paychecks|bank card|cards|benefits|passport)\b",
    ),
)

# Thirteenth round: the misses of the thirteenth fresh probe and the eleventh probe's remaining
# misses (2026-12-06), written as the general phenomenon, not the probe's words.
MORE += (
    (
        "en.plan_thirteenth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:bought|got|buying|getting|ordered|have|taped|attached) (?:a |the |some )?(?:hose|hosepipe|tube|pipe|tubing)\b"
        r".{0,30}\b(?:exhaust|tailpipe)\b|\b(?:bought|buying|got) (?:a )?(?:new )?(?:pack|packet|box) of (?:razor )?blades\b",
    ),
    (
        "en.goodbye_thirteenth",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:won'?t|wont|will not|i'?m not going to|am not going to) be (?:at|in|around for|here for|there for|coming to) "
        r"(?:our |the |my |next )?(?:[a-z]+'?s? )?(?:next )?(?:session|appointment)s?\b.{0,30}\b(?:or any|ever again|any ?more|after that|again)\b"
        r"|\b(?:won'?t|wont|will not) be around for (?:our |the |my )?next (?:session|appointment)\b",
    ),
    (
        "en.si_thirteenth",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:dying|death|being dead|not waking up|not existing|not being here) (?:sounds?|sounded|seems?|seemed|feels?|felt|would be) "
        r"(?:like )?(?:a |such a )?(?:relief|peaceful|a rest|easier|the answer)\b",
    ),
    (
        "en.sh_thirteenth",
        C.SELF_HARM,
        L.REVIEW,
        r"\b(?:a slip|slipped|slipped up|a relapse|relapsed|relapsing) (?:with |on |into )?(?:the )?(?:cutting|self ?harm\w*|sh|burning|scratching)\b",
    ),
    (
        "en.burden_thirteenth",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bnothing but (?:trouble|a burden|a problem|problems|a pain|a nuisance|a disappointment|a drain) (?:for|to)\b",
    ),
    (
        "en.abuse_thirteenth",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{abuser} (?:throws|threw|throwing|hurled|chucked) (?:a |an |the |his |her )?(?:things|stuff|plates?|bottles?|chairs?|glass|mug|cup|phone|shoe|knife|pan|remote) "
        r"at (?:me|my (?:head|face|back))\b"
        r"|\b{abuser} (?:tracks|tracked|tracking|checks|checked|goes through|went through|reads|read|monitors|monitored) my "
        r"(?:location|phone|messages|texts|emails|every message)\b"
        r"|\b{abuser} (?:broke|breaks|kicked|kicks|forced (?:his|her|their) way) (?:into|in|down) (?:my|our|the) (?:flat|house|apartment|place|room|door)\b",
    ),
)

# Fourteenth round: the misses of the fourteenth fresh probe (2026-12-06), as the general phenomenon.
MORE += (
    (
        "en.plan_fourteenth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:seriously|really|actually) (?:thinking|considering|planning) (?:about |of )?(?:jumping|jump)\b"
        r"|\babout jumping (?:tonight|today|tomorrow|this weekend|off|from)\b"
        r"|\b(?:express|fast|non ?stop) (?:train|one)s? (?:that |which )?(?:doesn'?t|does not|won'?t|will not) stop\b"
        r"|\b(?:climbed|climbing|got|stepped|stepping) (?:over|onto|past|up on) the (?:railings?|rail|barrier|fence|ledge|parapet)\b",
    ),
    (
        "en.goodbye_fourteenth",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:left|leaving|wrote|written) (?:a|my) (?:note|letter) for (?:my |the )?(?:[a-z]+ )?on the (?:kitchen )?(?:table|bed|desk|counter|pillow)\b"
        r"(?!.{0,30}\b(?:dinner|shopping|groceries|milk|bins|keys|plumber|delivery)\b)",
    ),
)

# Fifteenth round (the lead): misses of the fifteenth fresh probe that no pattern named, as the general
# phenomenon: self-harm happening now, pills set out, "take them all" with a time, a chosen place to jump,
# a goodbye note written.
MORE += (
    (
        "en.sh_now",
        C.SELF_HARM,
        L.URGENT,
        r"\b(?:cutting|hurting|burning|scratching) myself (?:right now|now|as i (?:type|write))\b"
        r"|\bcutting (?:right now|again right now|as i (?:type|write))\b",
    ),
    (
        "en.plan_fifteenth",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b{pills} (?:are|is) (?:all )?(?:lined up|counted out|laid out)\b"
        # One verb per alternative: written when an optional word could become an alternative's only
        # anchor; since issue #13 anchors are words every match requires (patterns_anchors).
        r"|\btake them all (?:tonight|now|today)\b"
        r"|\bswallow(?:ing)? (?:them|it) all (?:tonight|now|today)\b"
        r"|\btonight i(?:'?ll)? take them all\b"
        r"|\btonight i'?m going to take them all\b"
        r"|\btonight i will take them all\b"
        r"|\b(?:picked|chose|chosen) (?:the|a|my) (?:bridge|cliff|ledge|rooftop)\b",
    ),
    (
        "en.note_fifteenth",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:wrote|written|finished) my (?:goodbye|final|last|suicide) (?:note|letter)s?\b"
        r"|\bmy (?:goodbye |suicide |final )?note is (?:written|ready|done)\b"
        r"|\b(?:i )?wrote my note already\b|\bi(?:'ve| have) (?:already )?written my note\b",
    ),
)

# Sixteenth round onwards: in their own module (this one is near the size limit).
from alongside.safety.patterns_en_round16 import ROUND16  # noqa: E402

MORE += ROUND16

# Round 21: the kinds of phrasing probes 17-21 missed, read together.
from alongside.safety.patterns_round21 import EN as ROUND21  # noqa: E402

MORE += ROUND21

# Round 23: the kinds of phrasing probe 23 (polite portal messages) missed.
from alongside.safety.patterns_round23 import EN as ROUND23  # noqa: E402

MORE += ROUND23
