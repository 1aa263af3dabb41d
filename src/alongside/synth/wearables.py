"""Demo wearable data: up to a year of sleep, steps and heart streams per active client, following their latent severity.

Some clients wear an Apple Watch (HRV as SDNN), some a Fitbit (HRV as RMSSD), some nothing. Worse days, and
worse weeks (a weekly swing on top of the client's course), bring shorter and more irregular sleep, later
bedtimes, fewer steps and a higher resting heart rate. Samples go in through the wearables importer's own
store step, so they are sealed, de-duplicated and turned into features exactly like an uploaded file.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from alongside.synth.context import SynthClient, SynthContext
from alongside.synth.plan import ClientPlan
from alongside.wearables.importing import store
from alongside.wearables.samples import Kind, Samples
from alongside.wearables.sources import Parsed

MAX_DAYS = 365
VENDORS = (("apple", 0.4), ("fitbit", 0.3), ("", 0.3))


def _severity(plan: ClientPlan, day: dt.date, week_swing: dict[int, float], rng: random.Random) -> float:
    weeks = (day - plan.started_on).days / 7
    week = day.toordinal() // 7
    if week not in week_swing:
        week_swing[week] = rng.gauss(0, 0.15)
    base = plan.latent.severity + plan.latent.expected_change(weeks)
    return min(1.0, max(0.0, base + week_swing[week]))


def _day(
    samples: Samples, code: int, vendor: str, day: dt.date, zone: ZoneInfo, sev: float, rng: random.Random
) -> None:
    def at(hours: float) -> tuple[int, int]:
        moment = dt.datetime.combine(day, dt.time()).replace(tzinfo=zone) + dt.timedelta(hours=hours)
        return int(moment.timestamp()), int((moment.utcoffset() or dt.timedelta()).total_seconds() // 60)

    # The night ending this morning: later and more scattered bedtimes, shorter sleep, on worse days.
    bed = -1.0 + rng.gauss(0.4 * sev, 0.25 + 1.2 * sev)
    asleep_hours = max(3.0, rng.gauss(7.6 - 2.2 * sev, 0.35 + 0.8 * sev))
    start, offset = at(bed)
    end, _ = at(bed + asleep_hours + 0.25)
    samples.add(Kind.SLEEP_IN_BED, start, end, offset, 1.0, code)
    samples.add(Kind.SLEEP_CORE if vendor == "apple" else Kind.SLEEP_ASLEEP, start + 900, end, offset, 1.0, code)
    wake_hours = bed + asleep_hours + 0.25
    # Steps in eight spells through the waking day; fewer on worse days.
    total = max(300.0, rng.gauss(9800 - 6500 * sev, 1300))
    for spell in range(8):
        s, o = at(wake_hours + 1 + spell * 1.8)
        samples.add(Kind.STEPS, s, s + 1200, o, round(total / 8 * rng.uniform(0.6, 1.4)), code)
    # Heart rate every quarter hour while awake (the watch's wear time), resting rate and HRV once a day.
    for quarter in range(int((24 - wake_hours - 1) * 4)):
        s, o = at(wake_hours + quarter / 4)
        samples.add(Kind.HEART_RATE, s, s, o, round(rng.gauss(78 + 8 * sev, 6)), code)
    s, o = at(wake_hours)
    samples.add(Kind.RESTING_HR, s, s, o, round(rng.gauss(60 + 9 * sev, 1.5), 1), code)
    hrv_kind, hrv = (Kind.HRV_SDNN, 48 - 16 * sev) if vendor == "apple" else (Kind.HRV_RMSSD, 40 - 13 * sev)
    samples.add(hrv_kind, s, s, o, round(max(8.0, rng.gauss(hrv, 4)), 1), code)


def client_wearables(ctx: SynthContext, client: SynthClient) -> str:
    """Write one client's stream; return the vendor ("" for a client without a device)."""
    plan = client.plan
    rng = ctx.config.rng(f"wearables:{plan.number}")
    vendor = rng.choices([v for v, _ in VENDORS], weights=[w for _, w in VENDORS])[0]
    if not vendor or client.profile is None:
        return ""
    zone = ZoneInfo(plan.time_zone)
    last = min(plan.ended_on or ctx.config.anchor_date(), ctx.config.anchor_date()) - dt.timedelta(days=1)
    first = max(plan.started_on - dt.timedelta(days=60), last - dt.timedelta(days=MAX_DAYS - 1))
    samples, swing = Samples(), dict[int, float]()
    code = samples.source_code("Apple Watch" if vendor == "apple" else "Fitbit")
    day = first
    while day <= last:
        if rng.random() > 0.06:  # now and then the watch stays on the charger: a missing day, not a zero
            _day(samples, code, vendor, day, zone, _severity(plan, day, swing, rng), rng)
        day += dt.timedelta(days=1)
    parsed = Parsed(samples=samples, records=len(samples))
    digest = f"synthetic-{ctx.config.seed}-{plan.number}"
    store(actor=None, client=client.profile, parsed=parsed, digest=digest, source=vendor, began=time.perf_counter())
    return vendor


def wearables_step(ctx: SynthContext) -> None:
    """Give active clients a watch's data (Apple or Fitbit) or none, coupled to their latent severity."""
    for client in ctx.clients:
        if client.plan.ended_on is None and client_wearables(ctx, client):
            ctx.count("wearable_clients")
