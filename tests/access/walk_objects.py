"""Real objects for the route walk, keyed by URL parameter name.

Each factory makes one fresh record of Sam's (through the product's services where one
exists) and returns it, or returns the plain value a parameter needs (a step, a slug).
A route whose parameter has no factory here fails the walk: add one when you add a route.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alongside.accounts.models import User
from alongside.care.models import ClientProfile, Practice, Role
from alongside.consent.services import scopes_set
from alongside.measures import services as measures
from alongside.measures.models import MeasureRequest, MeasureResponse
from alongside.messaging.services import Upload, message_send
from alongside.notify.services import notification_send
from alongside.selfcare.models import HomeworkTask
from alongside.selfcare.selectors.tools import modules
from alongside.selfcare.services.checkins import checkin_create
from alongside.selfcare.services.exercises import entry_create
from alongside.selfcare.services.homework import AssignmentInput, assignment_set
from alongside.selfcare.services.topics import topic_raise
from alongside.selfcare.toolkit import TOOLS
from alongside.selfcare.views import exercise_steps
from alongside.sessions.services import appointment_create
from tests import factories
from tests.measures.support_measures import phq9_answers

SENTINEL_NAME = "Quillon-Sentinel-7731"
SENTINEL_EMAIL = "quillon.sentinel.7731@example.test"
SENTINEL_NOTE = "Marrowdale-Sentinel-5520"  # written into Sam's messages, topics and file names
SENTINELS = (SENTINEL_NAME.encode(), SENTINEL_EMAIL.encode(), SENTINEL_NOTE.encode())
EXERCISE = "exposure_hierarchy"  # a ladder: its routes include moving steps and logging practice

_keys = itertools.count(1)


def _key() -> str:
    return f"walk-{next(_keys):08d}"


@dataclass(frozen=True)
class Cast:
    """Sam (the client), the people who may reach Sam's records, and the outsiders."""

    sam: ClientProfile
    alice: User  # Sam's clinician
    admin: User  # an admin of Sam's practice, not on the care team
    bob: User  # a clinician of Sam's practice, off the care team
    carol: User  # the owner of another practice
    robin: ClientProfile  # another client of Sam's practice
    practice: Practice


def cast() -> Cast:
    home = factories.practice("Riverside Therapy")
    away = factories.practice("Hillside Counselling")
    alice = factories.staff(home)
    bob = factories.staff(home)
    sam = factories.client(
        home,
        clinicians=(alice,),
        name=SENTINEL_NAME,
        email=SENTINEL_EMAIL,
        scopes=("mood", "measures", "exercises", "journal", "messages"),
    )
    return Cast(
        sam=sam,
        alice=alice,
        admin=factories.staff(home, role=Role.ADMIN),
        bob=bob,
        carol=factories.staff(away, role=Role.OWNER),
        robin=factories.client(home, clinicians=(bob,), name="Robin"),
        practice=home,
    )


Made = Model | str
Factory = Callable[[Cast, dict[str, str]], Made]
FACTORIES: dict[str, Factory] = {}


def factory(*names: str) -> Callable[[Factory], Factory]:
    def register(make: Factory) -> Factory:
        for name in names:
            FACTORIES[name] = make
        return make

    return register


@factory("client_id")
def _client(c: Cast, values: dict[str, str]) -> Made:
    return c.sam


@factory("response_id")
def _response(c: Cast, values: dict[str, str]) -> Made:
    return measures.response_start(actor=c.sam.user, client_id=c.sam.pk, instrument="phq9", idempotency_key=_key())


@factory("link_id")
def _link(c: Cast, values: dict[str, str]) -> Made:
    return "phq9-1"  # the first question of the PHQ-9 the response factory starts


@factory("alert_id")
def _alert(c: Cast, values: dict[str, str]) -> Made:
    response = measures.response_start(actor=c.sam.user, client_id=c.sam.pk, instrument="phq9", idempotency_key=_key())
    result = measures.response_submit(actor=c.sam.user, response_id=response.pk, answers=phq9_answers(item9=2))
    return result.response.alert


@factory("request_id")
def _request(c: Cast, values: dict[str, str]) -> Made:
    now = timezone.now()
    return MeasureRequest.objects.create(
        client=c.sam, instrument="gad7", due_at=now - dt.timedelta(minutes=1), expires_at=now + dt.timedelta(days=7)
    )


@factory("schedule_id")
def _schedule(c: Cast, values: dict[str, str]) -> Made:
    return measures.schedule_set(actor=c.alice, client_id=c.sam.pk, instrument="gad7", rule="once")


@factory("attachment_id")
def _attachment(c: Cast, values: dict[str, str]) -> Made:
    upload = Upload(name=f"{SENTINEL_NOTE}.pdf", content_type="application/pdf", data=b"%PDF-1.4\n%walk\n")
    sent = message_send(actor=c.sam.user, client_id=c.sam.pk, body=SENTINEL_NOTE, idempotency_key=_key(), upload=upload)
    return sent.message.attachment


@factory("seq")
def _seq(c: Cast, values: dict[str, str]) -> Made:
    """The position of a fresh message of Sam's in his thread (the "missed something" page)."""
    return str(
        message_send(actor=c.sam.user, client_id=c.sam.pk, body=SENTINEL_NOTE, idempotency_key=_key()).message.seq
    )


@factory("notification_id")
def _notification(c: Cast, values: dict[str, str]) -> Made:
    return notification_send(recipients=[c.sam.user], kind="homework", link="/", client=c.sam, email=False)[0]


@factory("entry_id")
def _entry(c: Cast, values: dict[str, str]) -> Made:
    steps = [{"id": "s1", "text": "Bus stop", "suds": 30}, {"id": "s2", "text": "Short ride", "suds": 60}]
    data = {"goal": SENTINEL_NOTE, "steps": steps}
    return entry_create(actor=c.sam.user, kind=EXERCISE, idempotency_key=_key(), data=data)


@factory("checkin_id")
def _checkin(c: Cast, values: dict[str, str]) -> Made:
    """A check-in of Sam's with a note, journal text shared (the "missed something" page reads the note)."""
    scopes_set(client=c.sam, scopes={"journal": True}, actor=c.sam.user)
    return checkin_create(actor=c.sam.user, client=c.sam, idempotency_key=_key(), mood=5, note=SENTINEL_NOTE)


@factory("step")
def _step(c: Cast, values: dict[str, str]) -> Made:
    return exercise_steps.steps_of(EXERCISE)[0].slug  # a step of the entry factory's exercise


@factory("kind")
def _kind(c: Cast, values: dict[str, str]) -> Made:
    return EXERCISE


@factory("slug")
def _module(c: Cast, values: dict[str, str]) -> Made:
    return modules()[0][0]


@factory("tool")
def _tool(c: Cast, values: dict[str, str]) -> Made:
    return next(iter(TOOLS))


def _assignment_of(c: Cast) -> Model:
    data = AssignmentInput(kind="exercise", target=EXERCISE, frequency="daily", starts_on=dt.date.today())
    return assignment_set(actor=c.alice, client_id=c.sam.pk, data=data)


@factory("assignment_id")
def _assignment(c: Cast, values: dict[str, str]) -> Made:
    return _assignment_of(c)


@factory("task_id")
def _task(c: Cast, values: dict[str, str]) -> Made:
    task = HomeworkTask.objects.filter(assignment=_assignment_of(c)).first()
    assert task is not None, "a daily assignment starting today has a task today"
    return task


@factory("topic_id")
def _topic(c: Cast, values: dict[str, str]) -> Made:
    return topic_raise(actor=c.sam.user, text=SENTINEL_NOTE)


@factory("appointment_id")
def _appointment(c: Cast, values: dict[str, str]) -> Made:
    hours = 48 + 2 * next(_keys)  # a slot of its own: two sessions may not overlap
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=hours)
    return appointment_create(actor=c.alice, client_id=c.sam.pk, starts_at=starts)


def _start_key(values: dict[str, str]) -> str:
    """Submitting repeats the key the response was started with."""
    return str(MeasureResponse.objects.values_list("idempotency_key", flat=True).get(pk=values["response_id"]))


# What a POST to a route must carry to get past its input checks, so that an answer other
# than 403/404 proves the record was found (and an outsider's 403/404 proves the refusal).
BODIES: dict[str, Callable[[dict[str, str]], dict[str, object]]] = {
    "api:alert_acknowledge": lambda v: {"note": "Called the client."},
    "api:measures_answer_save": lambda v: {"value": 1},
    "api:measures_response_submit": lambda v: {"idempotency_key": _start_key(v), "answers": phq9_answers()},
    "api:thread_get": lambda v: {"body": "See you Tuesday.", "idempotency_key": _key()},
    "api:thread_read": lambda v: {"seq": 0},
    "api:homework_task_complete": lambda v: {"idempotency_key": _key()},
    "selfcare:exercise_move": lambda v: {"step_id": "s1", "direction": "down"},
    "selfcare:exercise_practice": lambda v: {
        "step_id": "s1",
        "rating_before": 60,
        "rating_peak": 70,
        "rating_after": 30,
        "key": _key(),
    },
}


@factory("token")
def _token(c: Cast, values: dict[str, str]) -> Made:
    return "forged-" + uuid.uuid4().hex  # token routes are public; a forged token must reveal nothing


@factory("uidb64")
def _uid(c: Cast, values: dict[str, str]) -> Made:
    return urlsafe_base64_encode(force_bytes(c.sam.user.pk))


@factory("app_slug")
def _app_slug(c: Cast, values: dict[str, str]) -> Made:
    return "daylio"  # an app of the starter catalogue: practice reference data, not Sam's


@factory("recommendation_id")
def _recommendation(c: Cast, values: dict[str, str]) -> Made:
    from alongside.applibrary.services import recommendation_create

    return recommendation_create(
        actor=c.alice, client=c.sam, app_slug="daylio", purpose=SENTINEL_NOTE, data_practices_discussed=True
    )


BODIES["applibrary:my_app_answer"] = lambda v: {"status": "using", "comment": SENTINEL_NOTE}


@factory("thread_id")
def _erased_thread(c: Cast, values: dict[str, str]) -> Made:
    """What stays of an erased client's conversation, readable by Alice (on the care team at erasure) only."""
    from django.utils import timezone

    from alongside.messaging.models import ErasedMessage, ErasedThread

    kept = ErasedThread.objects.create(practice=c.practice, started_at=timezone.now())
    kept.readers.set([c.alice])
    reply = ErasedMessage(thread=kept, seq=1, from_client=False, sender=c.alice, created_at=timezone.now())
    reply.body = SENTINEL_NOTE
    reply.save()
    return kept


@factory("job_id")
def _wearables_import(c: Cast, values: dict[str, str]) -> Made:
    """A wearables import of Sam's (its row; the sample file is not needed to reach or delete it)."""
    from alongside.wearables.models import ImportJob

    return ImportJob.objects.create(client=c.sam, source="apple", file_sha256=f"{next(_keys):064x}")


@factory("upload_id")
def _wearables_upload(c: Cast, values: dict[str, str]) -> Made:
    """A chunked upload Sam has begun (named with the sentinel, so an outsider seeing it is caught)."""
    from alongside.wearables.uploads import upload_start

    return upload_start(actor=c.sam.user, client=c.sam, name=f"{SENTINEL_NOTE}.zip", size=1024, source="apple")


@factory("note_id")
def _progress_note(c: Cast, values: dict[str, str]) -> Made:
    """A draft progress note of a session of Sam's, written by Alice with the sentinel in it."""
    from alongside.records.services import note_draft_save, note_start

    note = note_start(actor=c.alice, appointment_id=_appointment(c, values).pk, template="soap")
    return note_draft_save(actor=c.alice, note_id=note.pk, sections={"subjective": SENTINEL_NOTE}).note


@factory("private_note_id")
def _private_note(c: Cast, values: dict[str, str]) -> Made:
    """Alice's psychotherapy note about Sam (only Alice, its author, may reach it)."""
    from alongside.records.services import private_note_save

    return private_note_save(actor=c.alice, client=c.sam, text=SENTINEL_NOTE)


@factory("block_id")
def _blocked_time(c: Cast, values: dict[str, str]) -> Made:
    """An hour of Alice's calendar she blocked (only Alice may free it)."""
    from alongside.telehealth.services.availability import block_add

    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=200, hours=next(_keys))
    return block_add(actor=c.alice, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))


@factory("guest_id")
def _room_guest(c: Cast, values: dict[str, str]) -> Made:
    """The practice admin, invited by Alice as interpreter into a session of Sam's (only Alice may withdraw it)."""
    from alongside.telehealth.services.guests import guest_invite

    appointment = _appointment(c, values)
    return guest_invite(actor=c.alice, appointment_id=appointment.pk, guest_email=c.admin.email, role="interpreter")


@factory("disclosure_id")
def _disclosure(c: Cast, values: dict[str, str]) -> Made:
    """A request to Sam to authorise disclosing Alice's psychotherapy note (Sam answers it; Alice records it)."""
    from alongside.records.disclosures import disclosure_request
    from alongside.records.services import private_note_save

    note = private_note_save(actor=c.alice, client=c.sam, text=SENTINEL_NOTE)
    return disclosure_request(actor=c.alice, note_id=note.pk, recipient="Dr Okafor", purpose=SENTINEL_NOTE)


@factory("note_template_id")
def _note_template(c: Cast, values: dict[str, str]) -> Made:
    """A progress-note template of Sam's practice, made by its admin (only the practice's admins may reach it)."""
    from alongside.records.services import note_template_save

    return note_template_save(actor=c.admin, name=SENTINEL_NOTE[:80], sections=[{"heading": "Goals", "prompt": ""}])


@factory("group_id")
def _group_session(c: Cast, values: dict[str, str]) -> Made:
    """A group video session Alice runs for Sam and another client of hers (only its members and Alice get in)."""
    from alongside.telehealth.services.groups import group_create

    other = factories.client(c.practice, clinicians=(c.alice,), name="Kim")
    # A year ahead, three hours apart: a clinician's groups and sessions may not overlap (appointments are near).
    starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=365, hours=3 * next(_keys))
    return group_create(actor=c.alice, title="Walk group", starts_at=starts, client_ids=[c.sam.pk, other.pk])


@factory("guest_link_id")
def _guest_link(c: Cast, values: dict[str, str]) -> Made:
    """A join link Alice made for an outside interpreter in a session of Sam's (only Alice may revoke it)."""
    from alongside.telehealth.services.guest_links import guest_link_create

    appointment = _appointment(c, values)
    link, _url = guest_link_create(actor=c.alice, appointment_id=appointment.pk, name="Walk interpreter")
    return link
