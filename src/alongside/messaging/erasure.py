"""The messaging step of a client's erasure (registered with care.erasure in MessagingConfig.ready).

The client's thread is deleted with them, but first the care team's side of it is kept as an
:class:`~alongside.messaging.models.ErasedThread` for the practice's record (issue #11):

- each message a clinician wrote is copied with its sender and time and re-sealed under the
  erased thread's own data key, because the client's key is destroyed at the end of the erasure;
- each message the client wrote becomes a tombstone: sender "Erased client", its time kept, its
  text, attachment and link to the client's own entries not kept (they were the client's data);
- the clinicians on the care team at erasure, and those who wrote in the thread and are still
  staff of the practice, may read it; nothing in it points at the client or names them.

A thread with no message leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from alongside.care.erasure import Erasure
from alongside.care.models import CareTeamMember, Membership
from alongside.messaging.models import Attachment, ErasedMessage, ErasedThread, Message, Thread


def _readers(erasure: Erasure, messages: list[Message]) -> set[Any]:
    team = CareTeamMember.objects.filter(client_id=erasure.client_id, ended_at__isnull=True)
    writers = {m.sender_id for m in messages if not m.from_client}
    staff = Membership.objects.filter(practice_id=erasure.practice_id, is_active=True, user_id__in=writers)
    return set(team.values_list("clinician_id", flat=True)) | set(staff.values_list("user_id", flat=True))


def keep_care_team_side(erasure: Erasure) -> ErasedThread | None:
    """Copy the thread into an erased thread (clinicians' messages re-sealed, client's as tombstones)."""
    messages = list(Message.objects.filter(client_id=erasure.client_id).order_by("seq"))
    if not messages:
        return None
    with_attachment = set(
        Attachment.objects.filter(message__in=[m.pk for m in messages]).values_list("message_id", flat=True)
    )
    kept = ErasedThread.objects.create(practice_id=erasure.practice_id, started_at=messages[0].created_at)
    kept.readers.set(_readers(erasure, messages))
    copies = []
    for message in messages:
        copy = ErasedMessage(
            thread=kept,
            seq=message.seq,
            from_client=message.from_client,
            sender_id=None if message.from_client else message.sender_id,
            had_attachment=message.pk in with_attachment,
            created_at=message.created_at,
        )
        copy.body = "" if message.from_client else message.body  # sealed anew under the erased thread's key
        copies.append(copy)
    ErasedMessage.objects.bulk_create(copies)
    return kept


def delete_thread(erasure: Erasure) -> None:
    """Keep the care team's side, then delete the client's messages (attachments cascade) and thread."""
    keep_care_team_side(erasure)
    Message.objects.filter(client_id=erasure.client_id).delete()
    Thread.objects.filter(client_id=erasure.client_id).delete()
