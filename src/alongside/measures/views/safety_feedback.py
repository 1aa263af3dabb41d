"""A clinician's feedback on a crisis-language alert (mounted as the ``safety`` URL namespace).

It lives in measures, above safety, because it reads the alert through measures' selectors;
safety sits below the domain apps and must not import them.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.measures.selectors import alert_for
from alongside.safety.models import FeedbackTarget, FeedbackVerdict
from alongside.safety.services import feedback_give


@staff_required
@require_POST
def alert_feedback(request: HttpRequest, membership: Membership, alert_id: uuid.UUID) -> HttpResponse:
    """Mark a message or flag alert "not a crisis" (or say what it missed), with a note; care team only."""
    alert = alert_for(user=request.user, alert_id=alert_id)
    verdict = request.POST.get("verdict", "")
    if verdict not in FeedbackVerdict.values:
        messages.error(request, _("Choose “Not a crisis” or “Missed something”."))
        return redirect("measures:alert_detail", alert.pk)
    text = ""
    if alert.message_id and alert.message is not None:
        text = alert.message.body
    elif alert.flag_id and alert.flag is not None:
        text = alert.flag.text  # the checked note, entry or topic, kept encrypted with the flag
    try:
        feedback_give(
            actor=signed_in(request.user),
            client_id=alert.client_id,
            target=FeedbackTarget.ALERT,
            target_id=alert.pk,
            verdict=FeedbackVerdict(verdict),
            text=str(text),
            note=request.POST.get("note", "")[:2000],
        )
    except PermissionDenied:
        messages.error(request, _("Only a clinician on the client's care team can give this feedback."))
    else:
        messages.success(request, _("Thank you: your feedback on the crisis-language check is saved."))
    return redirect("measures:alert_detail", alert.pk)


app_name = "safety"
urlpatterns = [path("alerts/<uuid:alert_id>/feedback/", alert_feedback, name="alert_feedback")]
