"""A clinician says the crisis-language check missed something in a client's message.

Offered on each client message in the staff thread view; the verdict, the message text and
the note are stored encrypted by ``alongside.safety`` (``SafetyFeedback``) and exported for
retraining by ``alongside safety feedback-export``.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care.models import Membership
from alongside.care.views import staff_required
from alongside.core.actor import signed_in
from alongside.messaging import selectors
from alongside.safety.models import FeedbackTarget, FeedbackVerdict
from alongside.safety.services import feedback_give


@staff_required
@require_http_methods(["GET", "POST"])
def message_missed(request: HttpRequest, membership: Membership, client_id: uuid.UUID, seq: int) -> HttpResponse:
    """Show one client message and record "missed something" on it, with a note (care team only)."""
    message = selectors.message_view(actor=signed_in(request.user), client_id=client_id, seq=seq)
    if not message.from_client:
        raise Http404("Only a client's own messages are checked.")
    back = reverse("messaging:staff_thread", args=[client_id]) + f"#m-{message.seq}"
    if request.method == "POST":
        try:
            feedback_give(
                actor=signed_in(request.user),
                client_id=client_id,
                target=FeedbackTarget.MESSAGE,
                target_id=message.id,
                verdict=FeedbackVerdict.MISSED_SOMETHING,
                text=message.body,
                note=request.POST.get("note", "")[:2000],
            )
        except PermissionDenied:
            messages.error(request, _("Only a clinician on the client's care team can give this feedback."))
        else:
            messages.success(request, _("Thank you: your feedback on the crisis-language check is saved."))
        return redirect(back)
    return render(
        request,
        "messaging/missed.html",
        {"membership": membership, "practice": membership.practice, "message": message, "back": back},
    )


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/messages/<int:seq>/missed/", message_missed, name="message_missed"),
]
