"""The messaging step of a client's erasure (registered with care.erasure in MessagingConfig.ready)."""

from __future__ import annotations

from alongside.care.erasure import Erasure
from alongside.messaging.models import Message, Thread


def delete_thread(erasure: Erasure) -> None:
    """Delete the client's messages (attachments cascade) and thread (read positions cascade)."""
    Message.objects.filter(client_id=erasure.client_id).delete()
    Thread.objects.filter(client_id=erasure.client_id).delete()
