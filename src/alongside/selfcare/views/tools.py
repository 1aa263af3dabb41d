"""Self-care pages: relaxation tools. Thin views: reads through selectors, writes through services.

Every tool works without JavaScript: the breathing pacers fall back to numbered steps, and the
step-by-step tools show every step at once. The form carries a signed token with the idempotency
key and the time the page was opened, so a resubmitted form never logs twice and the practice
time needs no script.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.care import selectors as care_selectors
from alongside.care.views import client_required
from alongside.core.actor import signed_in
from alongside.selfcare.selectors.tools import tool_history
from alongside.selfcare.services.practice_tools import MAX_DURATION_SECONDS, tool_practice_log
from alongside.selfcare.toolkit import GROUNDING_STEPS, MUSCLE_GROUPS, TOOLS, Tool

View = Callable[..., HttpResponse]
TOKEN_SALT = "selfcare.tools"
RATINGS = range(0, 11)


def _token() -> str:
    return signing.dumps({"k": uuid.uuid4().hex, "t": int(time.time())}, salt=TOKEN_SALT)


def _read_token(raw: str) -> tuple[str, int | None]:
    """The idempotency key and seconds since the page opened; ("", None) for a bad or old token."""
    try:
        data = signing.loads(raw, salt=TOKEN_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature:
        return "", None
    elapsed = max(0, int(time.time()) - int(data["t"]))
    return str(data["k"]), min(elapsed, MAX_DURATION_SECONDS)


def _grounding_note(request: HttpRequest) -> str:
    """What the client typed, kept only when they ask to save it."""
    if request.POST.get("save_note") != "on":
        return ""
    lines = []
    for count, field, prompt in GROUNDING_STEPS:
        text = request.POST.get(field, "").strip()
        if text:
            lines.append(f"{count}. {prompt} {text}")
    return "\n".join(lines)


@client_required
@require_GET
def tools_index(request: HttpRequest) -> HttpResponse:
    client = care_selectors.own_client_profile(user=request.user)
    history = tool_history(actor=signed_in(request.user), client=client)
    return render(request, "selfcare/tools/index.html", {"tools": TOOLS.values(), "history": history})


@client_required
@require_http_methods(["GET", "POST"])
def tool_page(request: HttpRequest, tool: str) -> HttpResponse:
    found: Tool | None = TOOLS.get(tool)
    if found is None:
        raise Http404("No such tool.")
    client = care_selectors.own_client_profile(user=request.user)
    errors: dict[str, list[str]] = {}
    token = _token()
    if request.method == "POST":
        key, elapsed = _read_token(request.POST.get("token", ""))
        try:
            tool_practice_log(
                actor=signed_in(request.user),
                client=client,
                kind=found.kind,
                before=request.POST.get("before"),
                after=request.POST.get("after"),
                duration_seconds=elapsed,
                idempotency_key=key,
                note=_grounding_note(request) if found.kind == "grounding" else "",
            )
        except ValidationError as error:
            errors = error.message_dict
            token = request.POST.get("token", "") if key else token
        else:
            messages.success(request, _("Saved. Well done for taking the time."))
            return redirect("selfcare:tools")
    context = {
        "tool": found,
        "token": token,
        "ratings": RATINGS,
        "errors": errors,
        "values": request.POST if request.method == "POST" else {},
        "muscle_groups": MUSCLE_GROUPS,
        "grounding_steps": [(c, f, p, request.POST.get(f, "")) for c, f, p in GROUNDING_STEPS],
    }
    return render(request, "selfcare/tools/tool.html", context, status=400 if errors else 200)


urlpatterns: list[URLPattern] = [
    path("tools/", tools_index, name="tools"),
    path("tools/<slug:tool>/", tool_page, name="tool"),
]
