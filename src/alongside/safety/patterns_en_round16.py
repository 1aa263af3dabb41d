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

# Seventeenth round: the misses of the seventeenth fresh probe (teenage texting and older adults).
ROUND16 += (
    (
        # Ideation voiced as understanding why others die by suicide.
        "en.understand_why",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:get|understand|see) why (?:people|someone|anyone|they) (?:kill themselves|commit suicide"
        r"|end (?:it|their li(?:fe|ves))|take their (?:own )?li(?:fe|ves))\b",
    ),
    (
        # A handful or a counted number of pills already swallowed.
        "en.took_many_pills",
        C.MEANS,
        L.URGENT,
        r"\b(?:took|taken|swallowed|downed) (?:like |about |around |maybe |almost |over |nearly |at least )?"
        r"(?:[5-9]|[1-9][0-9]+|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|a handful|a bunch|a whole (?:bottle|pack|box|strip)|all)"
        r" (?:of )?(?:(?:my|the|his|her) )?(?:(?:mom|mum|dad|nan|gran|grandma|mother|father|moms|mums|dads|nans)'?s? )?{pills}\b",
    ),
    (
        # A parent or partner wishing the client dead or unborn, to the client's face.
        "en.abuse_wish_dead",
        C.DANGER_ABUSE,
        L.REVIEW,
        r"\b(?:says|said|tells me|told me|keeps saying|screams|screamed|yells|yelled)(?: at me)?(?: every day| all the time)?"
        r"(?: and says| that)? (?:she|he|they) wish(?:es|ed)? i (?:was|were|had) never (?:been )?born\b"
        r"|\b(?:tells|told) me (?:to (?:go )?kill myself|i should (?:just )?(?:die|kill myself))\b",
    ),
    (
        # Closing one's online life and handing belongings over.
        "en.goodbye_belongings",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:deleted|deleting|deactivated|deactivating|wiped) (?:all )?(?:of )?my (?:socials|social media|accounts|instagram|insta|tiktok|snapchat|facebook)\b"
        r".{0,60}\b(?:gave|giving|given|give away|goodbye|bye|note|letter|won'?t need)\b"
        r"|\b(?:gave|giving|given) (?:my |the )?[a-z]+ (?:all )?my (?:hoodies|clothes|things|stuff|jewelry|jewellery|games|books|guitar|console|xbox|playstation|records|plants|phone)\b",
    ),
    (
        # Appointments said to be no longer needed, without a reason that makes it everyday.
        "en.goodbye_appointments",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:shan'?t|shall not|won'?t|wont|will not|will no longer) (?:be )?need(?:ing)? (?:the|my|our|any(?: more)?|further) (?:appointments?|sessions?|therapy|visits?)\b"
        r"(?!.{0,50}\b(?:reschedul\w*|instead|next (?:week|month)|the week after|because|as (?:i|we)|since|better|moving|discharged|new therapist))",
    ),
    (
        # Absence announced with absolution: "if I don't show up... it wasn't your fault".
        "en.goodbye_not_your_fault",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bif (?:i|im|i'm) (?:don'?t|dont|do not|not|never|am not) (?:show up|make it|come back|here|around|wake up|answer)\b"
        r".{0,60}\b(?:not|wasn'?t|isn'?t|was not|is not) (?:your|anyone'?s|anybody'?s) fault\b",
    ),
    (
        # A firearm taken out or held.
        "en.gun_held",
        C.MEANS,
        L.URGENT,
        r"\b(?:gun|shotgun|rifle|pistol|revolver|handgun)\b.{0,80}\b(?:took it out|taken it out|got it out|sat with it|sitting with it|held it|holding it|loaded it|loading it)\b"
        r"(?!.{0,40}\b(?:range|hunting|season|club)\b)",
    ),
    (
        # Life-sustaining medicine stopped on purpose.
        "en.stopped_meds",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:stopped|stopping|quit|quitting|skipping|skipped) (?:taking )?(?:my |all my )?(?:heart |blood pressure |bp |diabetes )?"
        r"(?:{pills}|insulin|dialysis|heart (?:meds|medication|pills|tablets))\b"
        r".{0,40}\b(?:on purpose|deliberately|for the best|naturally|so (?:it|that it|i|that i) (?:happens|will|would|can|die|won'?t wake))\b",
    ),
    (
        # Affairs settled and peace with what comes.
        "en.affairs_peace",
        C.PLAN_OR_PREPARATION,
        L.REVIEW,
        r"\b(?:put|putting|have put|i'?ve put) (?:all )?my (?:affairs|papers) in order\b"
        r"|\bat peace with (?:what (?:comes|happens) next|my decision|what i'?m (?:going to|about to) do)\b",
    ),
    (
        # A weapon taken to a person, or brought to school.
        "en.harm_weapon_to",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:take|took|taking) (?:an|the|a|my) (?:axe|ax|knife|hammer|bat|machete|crowbar) to (?:him|her|them|his|that)\b"
        r"|\b(?:bringing|bring|taking|take) (?:a|my|the|dad'?s|my dad'?s) (?:knife|gun|blade|weapon|pistol) (?:to|into) school\b",
    ),
)

# A cord or rope already tied: found when "shed" stopped being read as self-harm slang
# ("the cord is tied up in the shed already" had matched only through "shed").
ROUND16 += (
    (
        "en.ligature_ready",
        C.MEANS,
        L.URGENT,
        r"\b(?:rope|cord|noose|ligature)s? (?:is |are |'s )?(?:already |all )?(?:tied(?: up)?|knotted|ready|set up|hung|hanging)\b"
        r"(?!.{0,30}\b(?:boat|tent|dock|hammock|swing|tree ?house|washing|clothes|laundry|fence|trailer|roof rack|kayak|horse|dog)\b)",
    ),
)

# Misses left on probes 10-14 (written before this round, already used for patterns, so not
# unseen): short lines under the classifier's short-message threshold that no family named.
ROUND16 += (
    (
        "en.funeral_picture",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:picturing|imagining|picture|imagine|keep thinking about|think(?:ing)? about|fantasi[sz]ing about) my (?:own )?funeral\b",
    ),
    (
        "en.walking_to_place",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:walking|going|heading|driving|on my way) (?:to|towards|down to) the (?:tracks|train tracks|railway|railway line|cliffs?|bridge|overpass)"
        r" (?:now|right now|tonight)\b",
    ),
    (
        "en.threatened_me",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bthreaten(?:ed|s|ing) to (?:stab|kill|shoot|hurt|strangle|choke|burn|beat|drown) me\b",
    ),
    (
        "en.gun_access",
        C.MEANS,
        L.URGENT,
        # The safe's code only: "i know where the key is" after "his shotgun" would be lowered to review by
        # the other-person context, while the classifier's level model makes the line urgent on its own.
        r"\b(?:gun|shotgun|rifle|pistol|revolver|handgun)s?\b.{0,60}\bi know the (?:code|combination|combo)\b",
    ),
    (
        "en.emptied_meds",
        C.MEANS,
        L.URGENT,
        r"\bemptied (?:the|my|our|mum'?s|mom'?s) (?:medicine (?:cabinet|cupboard|drawer)|pill (?:box|bottles?)|meds|medication)\b",
    ),
    (
        "en.only_way_out",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:it'?s|its|it is|that'?s|death is|dying is) the only way out\b(?! of (?:the|this|that) (?:car park|building|parking|room|maze|station|house|debt|contract))",
    ),
    (
        "en.said_goodbyes",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:said|saying|say) (?:all )?my goodbyes\b(?! (?:at|after|before) (?:the|our) (?:party|airport|station|wedding|funeral))",
    ),
)

# Eighteenth round: the misses of the eighteenth fresh probe (working adults and parents).
ROUND16 += (
    (
        "en.envy_the_dead",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:jealous of|envy|envious of) (?:people who (?:die|died|are dead|get to die)|the dead|dead people|those who (?:die|died))\b",
    ),
    (
        # Who will find the body, and when: "so my wife finds me after the kids are at school".
        "en.who_finds_me",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:so (?:that )?|before |after |who(?:'ll| will)? |don'?t want )(?:my |the |a )?(?:[a-z]+ )?(?:finds|find|will find|would find|to find) me\b"
        r"(?! (?:annoying|funny|boring|attractive|interesting|cute|weird|useful|helpful|difficult|hard|easy|a|an|so|too|really|at (?:the|work|home|school))\b)",
    ),
    (
        "en.one_way_ticket",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bone[ -]way ticket\b.{0,40}\b(?:cliffs?|bridge|edge|beachy head|golden gate)\b",
    ),
    (
        # Medicine gathered from several sources.
        "en.many_pharmacies",
        C.MEANS,
        L.REVIEW,
        r"\b(?:prescriptions?|scripts?|pills|meds|tablets|painkillers)\b.{0,40}\b(?:different|several|multiple|two|three|four) (?:pharmacies|chemists|doctors|gps)\b",
    ),
    (
        "en.less_than_deserved",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:better|more|kinder) than i (?:ever )?deserved?\b"
        r"|\bdeserves? (?:a )?better (?:dad|father|mum|mom|mother|parent|husband|wife|partner|son|daughter|friend|person) than me\b"
        r"|\b(?:i'?m|im|i am) (?:just )?a (?:drain|burden|waste of space)\b",
    ),
    (
        # Intrusive thoughts of harming others (often ego-dystonic): review, never silence.
        "en.harm_thoughts",
        C.HARM_TO_OTHERS,
        L.REVIEW,
        r"\b(?:thought|thoughts|urge|urges|image|images|picture) (?:about|of) (?:driving (?:into|through) (?:the |a )?(?:crowd|people|pedestrians)"
        r"|pushing (?:someone|somebody|people|a stranger|him|her|my [a-z]+) (?:in front|off|down|onto)|stabbing (?:someone|somebody|people|him|her|my)"
        r"|hurting (?:someone|somebody|people|my (?:baby|kids?|son|daughter|partner|wife|husband)))\b",
    ),
)

# Nineteenth round: the misses of the nineteenth fresh probe (new mothers, veterans, English as a
# second language), written after the locked test run; see docs/clinical/crisis-language.md.
ROUND16 += (
    (
        "en.drive_off_road",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:think(?:ing)? about|picture|picturing|imagine|imagining|tempted to|want to|urge to|urges to) (?:just )?"
        r"(?:driving|swerving|steering|crashing|veering) (?:off the road|off a cliff|into (?:a |the |oncoming )?(?:tree|wall|lorry|truck|traffic|barrier|river|bridge))\b",
    ),
    (
        "en.letter_for_later",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:wrote|written|writing|write|left|leaving) (?:the |my )?(?:baby|kids|children|son|daughter|boy|girl|little one) (?:a )?letters? for when (?:she|he|they)(?:'?s|'?re|'?ll| is| are)?\b"
        r"|\bletters? (?:to|for) (?:the |my )?(?:baby|kids|children|son|daughter|boy|girl|little one) for when (?:she|he|they)(?:'?s|'?re| is| are) (?:older|grown|bigger|an adult)\b",
    ),
    (
        "en.nobody_expects",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bso (?:that )?(?:nobody|no one|noone)(?: will)? (?:expects? me|looks? for me|comes? looking|checks? on me|finds? me)\b",
    ),
    (
        "en.blister_packs",
        C.MEANS,
        L.URGENT,
        r"\b(?:collecting|collected|saving|saved|hoarding|stashing|keeping|hiding|hidden) (?:up )?(?:the |my |all the |all my )?blister ?packs?\b",
    ),
    (
        "en.pet_instructions",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:please |can you |could you )(?:look after|take care of|feed) my (?:cat|dog|pets?|fish|rabbit|bird)\b.{0,60}\b(?:food|feed|bowl|vet|lead|litter|meds)\b",
    ),
    (
        "en.just_a_cost",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:i'?m|im|i am) (?:just |only |nothing but )?(?:a cost|an expense|a waste of (?:money|space|time|air|oxygen)|dead weight)\b",
    ),
    (
        "en.whats_coming",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\bwhat'?s coming(?: to (?:him|her|them))?\b.{0,60}\b(?:address|where (?:he|she|they) lives?|where (?:he|she|they) works?)\b",
    ),
)
