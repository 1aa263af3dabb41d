"""The self-care step: plan, then write in bulk, each client's check-ins, exercises, practice and homework.

Everything follows the client's hidden profile (:mod:`alongside.synth.latent`): daily mood tracks the
same latent severity as the questionnaires (:mod:`alongside.synth.measures_plan`), with a weekday
rhythm, day-to-day noise and missing days that come in clumps and grow for clients who drop out.

    plans.py     what a plan is: plain dataclasses
    texts.py     the free texts, read from ``data/*.json`` (ours, synthetic, not translated)
    client.py    one client's random stream, severity by day, check-ins and homework tasks
    planner.py   what completes the homework, session topics, and :func:`plan_selfcare` (pure)
    write.py     :func:`selfcare_step`, which writes the plan in bulk
"""

from .planner import plan_selfcare
from .plans import WEEKDAY_MOOD, ClientSelfcarePlan, SelfcarePlan
from .write import selfcare_step

__all__ = ["WEEKDAY_MOOD", "ClientSelfcarePlan", "SelfcarePlan", "plan_selfcare", "selfcare_step"]
