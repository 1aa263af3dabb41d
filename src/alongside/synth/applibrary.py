"""Demo data for the app library: a readiness check for every client (active ones first, with varied set-ups
applied; clients whose care has ended keep the check from their intake), recommended apps, and one client's Daylio
history brought in beside their Alongside check-ins.

Every write goes through the app library's services, so the rows are audited and encrypted like real ones.
"""

from __future__ import annotations

import datetime as dt

from alongside.applibrary.readiness import Access, Connectivity, Device, Format, ReadinessAnswers, Seen
from alongside.applibrary.services import (
    entries_import,
    modes_apply_check,
    readiness_record,
    recommendation_answer,
    recommendation_create,
)
from alongside.synth.context import SynthContext

# Who gets which set-up, by position among the active clients: most are fine as they are; some are on
# low bandwidth; one is in discreet mode (others read the phone); one has no smartphone and a paper pack; one
# asked for larger text.
PROFILES: tuple[dict[str, object], ...] = (
    {"devices": [Device.SMARTPHONE, Device.COMPUTER]},
    {"devices": [Device.SMARTPHONE], "connectivity": Connectivity.PATCHY, "data_limited": True},
    {"devices": [Device.SMARTPHONE], "phone_seen_by_others": Seen.YES, "wants_reminders": False},
    {"devices": [Device.BASIC_PHONE], "formats": [Format.PAPER], "connectivity": Connectivity.RARE},
    {"devices": [Device.TABLET], "access_needs": [Access.LARGE_TEXT]},
    {"devices": [Device.SMARTPHONE], "connectivity": Connectivity.RARE},
)
RECOMMENDED = (
    ("daylio", "Rate your mood every evening for 2 weeks and bring the export to our next session."),
    ("cbt-i-coach", "Use the sleep diary every morning for 2 weeks."),
    ("headspace", "Try one short breathing exercise a day when you notice worry building."),
)
DAYLIO_MOODS = ("awful", "bad", "meh", "good", "rad")


def _answers(ctx: SynthContext, index: int) -> ReadinessAnswers:
    rng = ctx.config.rng(f"applibrary.readiness.{index}")
    # The first clients take each profile once; the rest are fine as they are or on low bandwidth.
    profile = PROFILES[index] if index < len(PROFILES) else PROFILES[index % 2]
    return ReadinessAnswers.model_validate({**profile, "eheals": [rng.randint(2, 5) for _ in range(8)]})


def _daylio_csv(ctx: SynthContext, days: int = 45) -> str:
    rng = ctx.config.rng("applibrary.daylio")
    end = ctx.config.anchor_date() - dt.timedelta(days=1)
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    for back in range(days):
        day = end - dt.timedelta(days=back)
        mood = DAYLIO_MOODS[min(4, max(0, round(rng.gauss(2.4, 0.9))))]
        activities = " | ".join(rng.sample(["work", "walk", "friends", "reading", "cooking", "gym"], k=2))
        lines.append(f"{day:%Y-%m-%d},{day:%B} {day.day},{day:%A},21:{rng.randint(0, 59):02d},{mood},{activities},,")
    return "\n".join(lines) + "\n"


def applibrary_step(ctx: SynthContext) -> None:
    """Readiness checks for every client (some with the set-up applied), app recommendations, and one imported
    Daylio history."""
    written = ctx.written_clients()
    active = [(client, profile) for client, profile in written if client.plan.active]
    ended = [(client, profile) for client, profile in written if not client.plan.active]
    for index, (client, profile) in enumerate(active):
        if client.user is None:
            continue
        clinician = ctx.clinicians[client.plan.primary]
        check = readiness_record(actor=client.user, client=profile, answers=_answers(ctx, index))
        ctx.count("readiness_checks")
        if any(check.configuration.get(name) for name in ("discreet", "low_bandwidth", "large_text", "paper_pack")):
            modes_apply_check(actor=clinician, client=profile, check_id=check.pk)
            ctx.count("display_modes")
        if index < 2 * len(RECOMMENDED):
            slug, purpose = RECOMMENDED[index % len(RECOMMENDED)]
            recommendation = recommendation_create(
                actor=clinician, client=profile, app_slug=slug, purpose=purpose, data_practices_discussed=True
            )
            ctx.count("app_recommendations")
            if index % 3 == 1:
                recommendation_answer(
                    actor=client.user, recommendation_id=recommendation.pk, status="using", comment="Most evenings."
                )
    # Clients whose care has ended filled in the check at intake too (their own answers; no set-up to apply now).
    for offset, (client, profile) in enumerate(ended):
        if client.user is not None:
            readiness_record(actor=client.user, client=profile, answers=_answers(ctx, len(active) + offset))
            ctx.count("readiness_checks")
    if active and active[0][0].user is not None:
        client, profile = active[0]
        summary = entries_import(actor=client.user, client=profile, source="daylio", text=_daylio_csv(ctx))
        ctx.count("imported_entries", summary.added)
