"""The relaxation tools: breathing patterns, muscle groups and grounding senses, in our own words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.selfcare.models import PracticeKind

RATING_MIN, RATING_MAX = 0, 10


@dataclass(frozen=True)
class Phase:
    action: str  # "in", "hold", "out", "rest": the pacer's class names
    label: Promise
    seconds: int


@dataclass(frozen=True)
class Tool:
    slug: str
    kind: PracticeKind
    title: Promise
    summary: Promise
    rating_label: Promise  # anxiety or tension
    phases: tuple[Phase, ...] = ()
    rounds: int = 0

    @property
    def is_breathing(self) -> bool:
        return bool(self.phases)

    @property
    def cycle_seconds(self) -> int:
        return sum(p.seconds for p in self.phases)


def _in(s: int) -> Phase:
    return Phase("in", _("Breathe in"), s)


def _out(s: int) -> Phase:
    return Phase("out", _("Breathe out"), s)


def _hold(s: int, action: str = "hold") -> Phase:
    return Phase(action, _("Hold"), s)


ANXIETY = _("How anxious do you feel right now?")
TENSION = _("How tense does your body feel right now?")

TOOLS: dict[str, Tool] = {
    t.slug: t
    for t in (
        Tool(
            "box-breathing",
            PracticeKind.BREATHING_BOX,
            _("Box breathing"),
            _("Breathe in, hold, out and hold, four counts each. Steady and simple."),
            ANXIETY,
            (_in(4), _hold(4), _out(4), _hold(4, "rest")),
            rounds=6,
        ),
        Tool(
            "breathing-4-7-8",
            PracticeKind.BREATHING_478,
            _("4-7-8 breathing"),
            _("In for 4, hold for 7, out for 8. A long breath out helps the body settle."),
            ANXIETY,
            (_in(4), _hold(7), _out(8)),
            rounds=4,
        ),
        Tool(
            "slow-breathing",
            PracticeKind.BREATHING_SLOW,
            _("Slow breathing"),
            _("In for 5, out for 5: about six breaths a minute."),
            ANXIETY,
            (_in(5), _out(5)),
            rounds=12,
        ),
        Tool(
            "muscle-relaxation",
            PracticeKind.MUSCLE_RELAXATION,
            _("Progressive muscle relaxation"),
            _("Tense and then relax each part of your body, one at a time."),
            TENSION,
        ),
        Tool(
            "grounding",
            PracticeKind.GROUNDING,
            _("5-4-3-2-1 grounding"),
            _("Use your senses to bring your mind back to here and now."),
            ANXIETY,
        ),
    )
}
KIND_TO_TOOL = {tool.kind: tool for tool in TOOLS.values()}
TOOL_KINDS = frozenset(KIND_TO_TOOL)

# Progressive muscle relaxation: (muscle group, what to do). Tense for about 5 seconds, relax for about 10.
MUSCLE_GROUPS: tuple[tuple[Promise, Promise], ...] = (
    (_("Hands"), _("Make tight fists with both hands. Hold. Now open your hands and let them go soft.")),
    (_("Lower arms"), _("Bend your hands back at the wrist, fingers to the ceiling. Hold. Let them drop.")),
    (_("Upper arms"), _("Bend your elbows and tighten the top of your arms. Hold. Let your arms fall loose.")),
    (_("Shoulders"), _("Lift your shoulders up to your ears. Hold. Let them drop down and back.")),
    (_("Forehead"), _("Raise your eyebrows as high as they go. Hold. Let your forehead go smooth.")),
    (_("Eyes and cheeks"), _("Squeeze your eyes shut and scrunch your face. Hold. Let your face go soft.")),
    (_("Mouth and jaw"), _("Press your lips together and clench your teeth gently. Hold. Let your jaw hang loose.")),
    (_("Neck"), _("Gently press your head back against the chair. Hold. Let your head rest.")),
    (
        _("Chest and back"),
        _("Take a deep breath and pull your shoulder blades together. Hold. Breathe out and let go."),
    ),
    (_("Belly"), _("Pull your belly in tight. Hold. Let it go soft and breathe easily.")),
    (_("Legs"), _("Press your knees together and tighten your thighs. Hold. Let your legs go heavy.")),
    (_("Feet"), _("Point your toes down and curl them. Hold. Let your feet rest on the floor.")),
)

# 5-4-3-2-1 grounding: (count, sense field name, prompt).
GROUNDING_STEPS: tuple[tuple[int, str, Promise], ...] = (
    (5, "see", _("Name five things you can see.")),
    (4, "touch", _("Name four things you can touch or feel.")),
    (3, "hear", _("Name three things you can hear.")),
    (2, "smell", _("Name two things you can smell.")),
    (1, "taste", _("Name one thing you can taste.")),
)
