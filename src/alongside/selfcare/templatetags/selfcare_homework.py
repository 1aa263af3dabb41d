"""``{% homework_today as items %}``: the signed-in client's open homework, recorded as seen."""

from __future__ import annotations

import logging
from typing import Any

from django import template

from alongside.selfcare.selectors.homework import TodayItem, today_for
from alongside.selfcare.services.homework import task_mark_seen, tasks_materialise_for

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def homework_today(context: Any) -> list[TodayItem]:
    """Return what is due for the signed-in client; the home page still opens if this fails."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_client", False):
        return []
    try:
        from alongside.selfcare.models import Assignment

        # The tick makes tasks; this also makes today's at once if the tick has not run yet.
        for assignment in Assignment.objects.filter(client_id=user.pk, ended_at__isnull=True).select_related("client"):
            tasks_materialise_for(assignment=assignment)
        items = today_for(user=user)
        if items:
            task_mark_seen(actor=user, task_ids=[i.task.pk for i in items])
        return items
    except Exception:
        logger.exception("client home: homework unreadable")
        return []
