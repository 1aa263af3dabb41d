"""Where a client is in a questionnaire: the response's answers against its instrument's branching.

Shared by the client's answering pages and the home page's due list.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from alongside.measures import library, selectors, services
from alongside.measures.library import Instrument, Item
from alongside.measures.models import MeasureResponse, ResponseStatus
from alongside.measures.practice_selectors import instrument_for

# Instruments whose published preamble directs an interviewer ("Ask questions 1 and 2..."): the app does
# the branching, so the client is shown the recall period instead.
INTERVIEWER_PREAMBLE = frozenset({"cssrs"})


@dataclass(frozen=True)
class Progress:
    """A response's answers against its instrument's branching."""

    instrument: Instrument
    answers: dict[str, int | None]

    @functools.cached_property
    def enabled(self) -> list[Item]:
        return self.instrument.enabled_items(self.answers)

    def find(self, link_id: str) -> Item | None:
        return next((i for i in self.enabled if i.link_id == link_id), None)

    def position(self, item: Item) -> int:
        return [i.link_id for i in self.enabled].index(item.link_id) + 1

    def first_unanswered(self) -> Item | None:
        return next((i for i in self.enabled if self.answers.get(i.link_id) is None), None)

    def after(self, item: Item) -> Item | None:
        return next((i for i in self.enabled if i.number > item.number), None)

    def before(self, item: Item) -> Item | None:
        earlier = [i for i in self.enabled if i.number < item.number]
        return earlier[-1] if earlier else None

    def missing(self) -> list[Item]:
        return [i for i in self.enabled if i.required and self.answers.get(i.link_id) is None]


def instrument_of(obj: Any) -> Instrument:
    """The instrument a request or response asks for: shipped, or the practice's own (not validated)."""
    if not str(obj.instrument).startswith("custom"):
        # In the reader's language when a published form of it ships (library/translations.py).
        return library.localized(library.get(obj.instrument), get_language())
    return instrument_for(obj.client.practice_id, obj.instrument)


def progress_of(response: MeasureResponse) -> Progress:
    return Progress(instrument=instrument_of(response), answers=services.answers_of(response))


def own_response(request: HttpRequest, response_id: uuid.UUID) -> MeasureResponse:
    response = selectors.response_for(user=request.user, response_id=response_id)
    if response.client_id != request.user.pk:
        raise Http404("No such response.")
    return response


def question_url(response: MeasureResponse, item: Item) -> str:
    return reverse("measures:question", args=[response.pk, item.link_id])


def resume_url(response: MeasureResponse, progress: Progress, mode: str = "one") -> str:
    if response.status == ResponseStatus.SUBMITTED:
        return reverse("measures:result", args=[response.pk])
    if mode == "all":
        return reverse("measures:all", args=[response.pk])
    item = progress.first_unanswered()
    return question_url(response, item) if item else reverse("measures:review", args=[response.pk])


def parse_answer(raw: str | None) -> int | None:
    """Return the submitted answer as an int; None when nothing was chosen; ValueError when it is not a number."""
    if raw is None or raw.strip() == "":
        return None
    return int(raw.strip())


def error_messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def title_of(instrument: Instrument) -> str:
    return instrument.short_name or instrument.name


def preamble_of(instrument: Instrument) -> str:
    """The instrument's preamble as the client should read it ("" when it is meant for an interviewer)."""
    return "" if instrument.code in INTERVIEWER_PREAMBLE else instrument.preamble
