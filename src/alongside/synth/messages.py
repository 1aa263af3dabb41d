"""The messages step: short, ordinary conversations between clients and their primary clinician.

Only clients who share messages get a thread. Each has a few exchanges over the last three
weeks, written from our own templates (no crisis language: the demo's alerts come from the
questionnaires); about a third of the threads end with the client's message, awaiting a
reply. The practice gets weekday office hours. Rows are written in bulk, each message
encrypted under the client's key and audited as :func:`alongside.messaging.services.message_send` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.audit.log import Entry, record_many
from alongside.consent.models import Scope, ScopeGrant
from alongside.core.models import OfficeHours
from alongside.messaging.models import Message, MessagingAuditAction, Thread, ThreadRead
from alongside.synth.context import SynthContext
from alongside.synth.measures_plan import plan_now

FROM_CLIENT = (
    "Hi, I tried the breathing exercise twice this week. The second time it helped a bit more.",
    "Quick question: should I still fill in the thought record on days when nothing much happens?",
    "I might be ten minutes late on Thursday because of work. Sorry in advance.",
    "The bus practice went better than I expected. I stayed on for three stops.",
    "I didn't manage the activity plan this week. Can we look at why next time?",
    "Sleep has been a bit better since I stopped looking at my phone in bed.",
    "Is it normal that the worry comes back in the evening even when the day went fine?",
    "Thanks for sending the reading about avoidance, it made sense to me.",
)
FROM_CLINICIAN = (
    "Thanks for letting me know. Let's talk it through on Thursday.",
    "That's real progress. Write down how it felt, and we'll build on it next time.",
    "Yes, even a short one on a quiet day is useful: it shows what a calmer day looks like.",
    "No problem at all, we'll use the time we have.",
    "That's very common. Note when it happens and what you were doing just before, and bring it along.",
    "Good to hear. Keep going with it this week and we'll check in on sleep next session.",
)


def messages_step(ctx: SynthContext) -> None:
    """Write each sharing client's thread, read positions and office hours."""
    practice = ctx.require_practice()
    OfficeHours.objects.update_or_create(
        practice=practice,
        defaults={
            "office_days": [1, 2, 3, 4, 5],
            "opens_at": dt.time(9),
            "closes_at": dt.time(17),
            "reply_within_hours": 48,
        },
    )
    rng = ctx.config.rng("messages")
    now = plan_now(ctx.config)
    written = ctx.written_clients()
    sharing = set(
        ScopeGrant.objects.filter(client__in=[p for _c, p in written], scope=Scope.MESSAGES, granted=True).values_list(
            "client_id", flat=True
        )
    )
    threads, messages, reads, audits = [], [], [], []
    for synth_client, profile in written:
        if profile.pk not in sharing or not synth_client.plan.active or rng.random() < 0.25:
            continue
        clinician = ctx.clinicians[synth_client.plan.primary]
        thread = Thread(client=profile, created_at=now - dt.timedelta(days=21))
        at = now - dt.timedelta(days=rng.randint(14, 21), hours=rng.randint(0, 8))
        exchanges = rng.randint(1, 3)
        awaiting = rng.random() < 0.35
        seq = 0
        clinician_read = 0
        for n in range(exchanges):
            seq += 1
            messages.append(_message(thread, profile, profile.user, True, rng.choice(FROM_CLIENT), seq, at))
            if n == exchanges - 1 and awaiting:
                break
            at += dt.timedelta(hours=rng.randint(3, 40))
            clinician_read = seq
            seq += 1
            messages.append(_message(thread, profile, clinician, False, rng.choice(FROM_CLINICIAN), seq, at))
            clinician_read = seq
            at += dt.timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 6))
        last_at = messages[-1].created_at
        if last_at > now:
            messages = [m for m in messages if m.thread is not thread]
            continue
        thread.last_seq = seq
        thread.last_message_at = last_at
        thread.last_from_client = messages[-1].from_client
        threads.append(thread)
        reads.append(ThreadRead(thread=thread, user=clinician, last_read_seq=clinician_read, read_at=last_at))
        reads.append(ThreadRead(thread=thread, user=profile.user, last_read_seq=seq, read_at=last_at))
    Thread.objects.bulk_create(threads)
    Message.objects.bulk_create(messages, batch_size=500)
    ThreadRead.objects.bulk_create(reads)
    for m in messages:
        audits.append(
            Entry(
                action=MessagingAuditAction.MESSAGE_SENT,
                obj=m,
                client_id=m.client_id,
                detail={"seq": m.seq, "synthetic": True},
            )
        )
    for start in range(0, len(audits), 500):
        record_many(audits[start : start + 500], actor=None)
    ctx.count("threads", len(threads))
    ctx.count("messages", len(messages))
    ctx.count("threads_awaiting_reply", sum(1 for t in threads if t.last_from_client))


def _message(
    thread: Thread, profile: Any, sender: Any, from_client: bool, text: str, seq: int, at: dt.datetime
) -> Message:
    message = Message(
        thread=thread,
        client=profile,
        seq=seq,
        sender=sender,
        from_client=from_client,
        idempotency_key=f"synth-{thread.pk.hex[:12]}-{seq}",
        created_at=at,
    )
    message.body = text
    return message
