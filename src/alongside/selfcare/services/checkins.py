"""Writes for mood check-ins: one function, validated by a pydantic model, idempotent, audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, cast

import pydantic
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile
from alongside.core import idempotency
from alongside.core.actor import Actor
from alongside.core.prepared import PreparedInsert
from alongside.core.services import reader, service
from alongside.core.time import zone_or_utc
from alongside.selfcare import hooks
from alongside.selfcare.models import CheckIn, SelfcareAuditAction

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
CHECKIN_SCOPE = "selfcare.checkin"

# A short list on purpose: a check-in takes seconds. Codes are stored; labels are shown.
EMOTIONS: dict[str, Any] = {
    "calm": gettext_lazy("Calm"),
    "happy": gettext_lazy("Happy"),
    "hopeful": gettext_lazy("Hopeful"),
    "tired": gettext_lazy("Tired"),
    "anxious": gettext_lazy("Anxious"),
    "sad": gettext_lazy("Sad"),
    "angry": gettext_lazy("Angry"),
    "lonely": gettext_lazy("Lonely"),
    "stressed": gettext_lazy("Stressed"),
}
ACTIVITIES: dict[str, Any] = {
    "exercise": gettext_lazy("Exercise"),
    "outdoors": gettext_lazy("Time outdoors"),
    "friends": gettext_lazy("Friends or family"),
    "work": gettext_lazy("Work or study"),
    "chores": gettext_lazy("Chores"),
    "hobby": gettext_lazy("Hobby"),
    "rest": gettext_lazy("Rest"),
    "screens": gettext_lazy("Screens"),
}

Rating = Annotated[StrictInt, Field(ge=0, le=10)]


class EmotionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    intensity: Rating = 5

    @pydantic.field_validator("name")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in EMOTIONS:
            raise ValueError(f"unknown emotion {value!r}")
        return value


class CheckInInput(BaseModel):
    """What a check-in may hold; anything else is refused."""

    model_config = ConfigDict(extra="forbid")

    mood: Rating
    emotions: list[EmotionIn] = Field(default_factory=list, max_length=len(EMOTIONS))
    sleep_quality: Rating | None = None
    sleep_hours: Annotated[Decimal, Field(ge=0, le=24, max_digits=3, decimal_places=1)] | None = None
    activities: list[str] = Field(default_factory=list, max_length=len(ACTIVITIES))
    note: Annotated[str, Field(max_length=2000)] = ""

    @pydantic.field_validator("activities")
    @classmethod
    def _known_activities(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in ACTIVITIES]
        if unknown:
            raise ValueError(f"unknown activity {unknown[0]!r}")
        return list(dict.fromkeys(value))

    @pydantic.field_validator("emotions")
    @classmethod
    def _once_each(cls, value: list[EmotionIn]) -> list[EmotionIn]:
        if len({e.name for e in value}) != len(value):
            raise ValueError("each emotion at most once")
        return value


def _messages(error: pydantic.ValidationError) -> list[str]:
    """Say which field is wrong and why, in words (pydantic's own text is English-only)."""
    out = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "check-in"
        kind = problem["type"]
        if kind == "extra_forbidden":
            out.append(_("%(field)s is not part of a check-in.") % {"field": where})
        elif kind == "missing":
            out.append(_("%(field)s is required.") % {"field": where})
        elif kind in ("greater_than_equal", "less_than_equal"):
            out.append(_("%(field)s is out of range.") % {"field": where})
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            out.append(_("%(field)s has the wrong type.") % {"field": where})
        else:
            out.append(_("%(field)s is not valid: %(reason)s") % {"field": where, "reason": problem["msg"]})
    return out


_zone = zone_or_utc


@reader
def local_date_for(client: ClientProfile, at: dt.datetime) -> dt.date:
    """Return the day ``at`` falls on in the client's time zone."""
    return at.astimezone(_zone(client.time_zone)).date()


@service
def checkin_create(
    *,
    actor: Actor,
    client: ClientProfile | Any,
    idempotency_key: str,
    at: dt.datetime | None = None,
    **fields: Any,
) -> CheckIn:
    """Save a check-in for ``client`` (themselves only), or return the one saved before with the same key.

    ``fields`` are validated by :class:`CheckInInput`: an unknown field, a value out of range or of the
    wrong type raises ``ValidationError`` and writes nothing.
    """
    client_id = client.pk if isinstance(client, ClientProfile) else client
    profile = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "pk", None) != profile.user_id:
        # A check-in is the client's own voice; staff never write one for them.
        raise ValidationError(_("Only the client can check in."))
    if not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        raise ValidationError(_("The idempotency key must be 8 to 64 letters, digits or - _ . :"))
    try:
        data = CheckInInput.model_validate(fields)
    except pydantic.ValidationError as error:
        raise ValidationError(_messages(error)) from None
    payload = data.model_dump(mode="json")
    at = at or timezone.now()
    checkin = CheckIn(
        client=profile,
        at=at,
        local_date=local_date_for(profile, at),
        mood=data.mood,
        sleep_quality=data.sleep_quality,
        sleep_hours=data.sleep_hours,
        idempotency_key=idempotency_key,
    )
    cast(Any, checkin).emotions = [e.model_dump() for e in data.emotions]
    cast(Any, checkin).activities = list(data.activities)
    cast(Any, checkin).note = data.note.strip()
    if not _insert_unless_key_used(checkin):
        # The key was used before (a retry, or a retry that raced this one and committed first): the same body
        # replays the check-in saved then, another body is refused. A check-in from before fingerprints (no
        # record) replays as before.
        existing = CheckIn.objects.filter(client=profile, idempotency_key=idempotency_key).first()
        if existing is None:  # skipped for another reason than the key: never pretend it was saved
            raise IntegrityError("The check-in was not saved.")
        idempotency.replay_check(user_id=profile.user_id, scope=CHECKIN_SCOPE, key=idempotency_key, payload=payload)
        return existing
    idempotency.remember(user_id=profile.user_id, scope=CHECKIN_SCOPE, key=idempotency_key, payload=payload)
    record_many([Entry(action=SelfcareAuditAction.CHECKIN_CREATED, obj=checkin, client_id=profile.pk)], actor=actor)
    if data.note.strip():
        from alongside.safety.models import FlagSource
        from alongside.safety.services.alerts import alert_raise_for_text

        alert_raise_for_text(
            client=profile, source=FlagSource.CHECKIN_NOTE, source_id=checkin.pk, text=data.note, actor=actor
        )
    for hook in hooks.CHECKIN_CREATED:
        hook(checkin, at)
    return checkin


def _insert_unless_key_used(checkin: CheckIn) -> bool:
    """Insert ``checkin`` unless its client used its idempotency key before; return whether it was inserted.

    One statement, ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (``INSERT OR IGNORE`` on SQLite), in place
    of a look-up by key, a savepoint, the insert and its release (issue #19). The unique constraint on (client,
    key) decides: on PostgreSQL a concurrent insert of the same key makes this one wait for its commit and then
    skip. Compiled once (:class:`alongside.core.prepared.PreparedInsert`, Django's own insert compiler);
    ``bulk_create(ignore_conflicts=True)`` cannot say whether the row went in. The service's write check counts the
    statement only when it inserted.
    """
    return _INSERT_UNLESS_KEY_USED.insert(checkin)


# Compiled once per database: compiling the insert cost more than running it (issue #19).
_INSERT_UNLESS_KEY_USED = PreparedInsert(CheckIn, ignore_conflicts=True)
