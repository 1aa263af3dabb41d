"""A clinician says the crisis-language check missed something in a check-in note, exercise entry or topic.

Offered next to each of these texts on the staff pages that show them; the verdict, the text
and the note are stored encrypted by ``alongside.safety`` (``SafetyFeedback``, target
"text") and exported for retraining by ``alongside safety feedback-export``. The text is read
through the same selectors as the page it comes from, so a clinician who may not see it
(outside the care team, or the client does not share it) gets a 404.
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
from alongside.safety.models import FeedbackTarget, FeedbackVerdict
from alongside.safety.services import feedback_give, text_of
from alongside.selfcare.selectors.checkins import checkins_for
from alongside.selfcare.selectors.exercises import staff_exercises
from alongside.selfcare.selectors.homework import topics_for


def _text(request: HttpRequest, client_id: uuid.UUID, kind: str, item_id: uuid.UUID) -> tuple[str, str]:
    """The text and the page to go back to, read as that page reads it (404 when not visible)."""
    user = request.user
    if kind == "checkin":
        for row in checkins_for(user=user, client_id=client_id):
            if row.id == item_id and row.note:
                return row.note, reverse("selfcare:client_checkins", args=[client_id])
    elif kind == "entry":
        for entry in staff_exercises(user=user, client_id=client_id).entries:
            if entry.pk == item_id:
                return text_of(entry.data), reverse("selfcare:staff_exercises", args=[client_id]) + f"#entry-{entry.pk}"
    elif kind == "topic":
        for topic in topics_for(user=user, client_id=client_id, include_addressed=True):
            if topic.topic.pk == item_id and topic.text:
                return topic.text, reverse("selfcare:staff_homework", args=[client_id])
    raise Http404("No such text.")


def _missed(
    request: HttpRequest, membership: Membership, client_id: uuid.UUID, kind: str, item_id: uuid.UUID
) -> HttpResponse:
    """Show a client's check-in note, exercise entry or topic and record "missed something" on it."""
    text, back = _text(request, client_id, kind, item_id)
    if request.method == "POST":
        try:
            feedback_give(
                actor=signed_in(request.user),
                client_id=client_id,
                target=FeedbackTarget.TEXT,
                target_id=f"{kind}:{item_id}",
                verdict=FeedbackVerdict.MISSED_SOMETHING,
                text=text,
                note=request.POST.get("note", "")[:2000],
            )
        except PermissionDenied:
            messages.error(request, _("Only a clinician on the client's care team can give this feedback."))
        else:
            messages.success(request, _("Thank you: your feedback on the crisis-language check is saved."))
        return redirect(back)
    return render(
        request,
        "selfcare/missed.html",
        {"membership": membership, "practice": membership.practice, "text": text, "back": back},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def checkin_missed(
    request: HttpRequest, membership: Membership, client_id: uuid.UUID, checkin_id: uuid.UUID
) -> HttpResponse:
    """ "Missed something" on a check-in note (care team, while the client shares journal text)."""
    return _missed(request, membership, client_id, "checkin", checkin_id)


@staff_required
@require_http_methods(["GET", "POST"])
def entry_missed(
    request: HttpRequest, membership: Membership, client_id: uuid.UUID, entry_id: uuid.UUID
) -> HttpResponse:
    """ "Missed something" on an exercise entry (care team, while the client shares exercises)."""
    return _missed(request, membership, client_id, "entry", entry_id)


@staff_required
@require_http_methods(["GET", "POST"])
def topic_missed(
    request: HttpRequest, membership: Membership, client_id: uuid.UUID, topic_id: uuid.UUID
) -> HttpResponse:
    """ "Missed something" on a topic for next session (care team)."""
    return _missed(request, membership, client_id, "topic", topic_id)


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/checkins/<uuid:checkin_id>/missed/", checkin_missed, name="checkin_missed"),
    path("clients/<uuid:client_id>/exercises/<uuid:entry_id>/missed/", entry_missed, name="entry_missed"),
    path("clients/<uuid:client_id>/topics/<uuid:topic_id>/missed/", topic_missed, name="topic_missed"),
]
