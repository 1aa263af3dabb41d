"""Join links for outside interpreters: one appointment, one browser, a window, revocable; and join links in emails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client as DjangoClient
from django.utils import timezone
from icalendar import Calendar

from alongside.audit.models import AuditEvent
from alongside.notify.models import OutboundEmail
from alongside.sessions.models import Appointment
from alongside.telehealth.link_models import GuestLink, GuestLinkAuditAction
from alongside.telehealth.models import VideoRoom
from alongside.telehealth.reminders import reminder_text
from alongside.telehealth.services import guest_links
from alongside.telehealth.services.guest_links import Refusal, guest_link_create, guest_link_open, guest_link_revoke
from tests.async_support import run_async
from tests.telehealth.support import appointment, frames_until, room_socket


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.django_db
def test_a_link_is_kept_as_a_hash_and_its_email_carries_only_the_time_and_the_link(world):
    """The token is not stored; the email names neither the client nor the clinician; the invite is audited."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=10))
    link, url = guest_link_create(
        actor=world.alice,
        appointment_id=booked.pk,
        name="Ana Ruiz",
        email="ana@interpreters.test",
        base_url="https://x.test",
    )
    token = _token(url)
    assert url == f"https://x.test/telehealth/{booked.pk}/guest/{token}/"
    assert len(token) >= 40
    row = GuestLink.objects.get()
    assert token not in (row.token_hash, row.binding_hash)
    assert len(row.token_hash) == 64
    assert row.name == "Ana Ruiz"
    assert "Ana" not in row.name_sealed
    mail = list(OutboundEmail.objects.filter(kind="telehealth.guest_link"))
    assert len(mail) == 1
    assert mail[0].to == "ana@interpreters.test"
    assert url in mail[0].body
    text = mail[0].subject + mail[0].body
    for secret in (world.sam.preferred_name, world.alice.display_name, world.alice.email):
        assert secret not in text
    assert AuditEvent.objects.filter(action=GuestLinkAuditAction.LINK_CREATED, actor_id=world.alice.pk).exists()
    assert link.pk == row.pk


@pytest.mark.django_db
def test_the_first_browser_is_bound_and_any_other_is_refused(world):
    """Opened once, the link works again only with the cookie it set; another browser gets 'used', audited."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=10))
    _link, url = guest_link_create(actor=world.alice, appointment_id=booked.pk, name="Ana")
    first = guest_link_open(appointment_id=booked.pk, token=_token(url))
    assert first.refused == ""
    assert first.cookie
    again = guest_link_open(appointment_id=booked.pk, token=_token(url), cookie=first.cookie)
    assert again.refused == ""
    assert again.cookie == ""
    assert guest_link_open(appointment_id=booked.pk, token=_token(url)).refused == Refusal.USED
    forged = first.cookie.split(".")[0] + ".not-the-secret"
    assert guest_link_open(appointment_id=booked.pk, token=_token(url), cookie=forged).refused == Refusal.USED
    actions = list(
        AuditEvent.objects.filter(action__startswith="telehealth.guest_link").values_list("action", flat=True)
    )
    assert actions.count(GuestLinkAuditAction.LINK_USED) == 1
    assert actions.count(GuestLinkAuditAction.LINK_REFUSED) == 2


@pytest.mark.django_db
def test_a_link_is_refused_early_late_revoked_after_the_room_ended_and_for_another_session(world):
    """Each refusal has its reason: too early, expired, revoked, the room ended, another appointment, unknown."""
    later = appointment(world, starts_in=dt.timedelta(minutes=40))
    _l, url = guest_link_create(actor=world.alice, appointment_id=later.pk, name="Ana")
    assert guest_link_open(appointment_id=later.pk, token=_token(url)).refused == Refusal.EARLY

    other = appointment(world, starts_in=dt.timedelta(minutes=5))
    assert guest_link_open(appointment_id=other.pk, token=_token(url)).refused == Refusal.OTHER_SESSION
    assert guest_link_open(appointment_id=other.pk, token="nothing").refused == Refusal.UNKNOWN

    link, url = guest_link_create(actor=world.alice, appointment_id=other.pk, name="Ana")
    guest_link_revoke(actor=world.alice, link_id=link.pk)
    assert guest_link_open(appointment_id=other.pk, token=_token(url)).refused == Refusal.REVOKED

    _l, url = guest_link_create(actor=world.alice, appointment_id=other.pk, name="Ana")
    past = timezone.now() - dt.timedelta(hours=3)
    Appointment.objects.filter(pk=other.pk).update(starts_at=past)
    assert guest_link_open(appointment_id=other.pk, token=_token(url)).refused == Refusal.EXPIRED

    now_booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    _l, url = guest_link_create(actor=world.alice, appointment_id=now_booked.pk, name="Ana")
    VideoRoom.objects.create(appointment=now_booked, opened_at=timezone.now(), ended_at=timezone.now())
    assert guest_link_open(appointment_id=now_booked.pk, token=_token(url)).refused == Refusal.EXPIRED
    assert AuditEvent.objects.filter(action=GuestLinkAuditAction.LINK_REVOKED, actor_id=world.alice.pk).exists()


@pytest.mark.django_db
def test_only_the_sessions_clinician_makes_links(world):
    """Bob (not on the care team) and Sam cannot make a join link."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=10))
    for actor in (world.bob, world.sam.user):
        with pytest.raises((Http404, PermissionDenied)):
            guest_link_create(actor=actor, appointment_id=booked.pk, name="Ana")
    assert not GuestLink.objects.exists()


@pytest.mark.django_db
def test_the_guest_page_binds_on_a_click_and_a_second_browser_gets_a_clear_page(world):
    """A GET (a mail scanner) binds nothing; the click binds this browser; another one gets 403 and why."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=5))
    _l, path = guest_link_create(actor=world.alice, appointment_id=booked.pk, name="Ana")
    scanner, first = DjangoClient(), DjangoClient()
    assert "Continue to the video session" in scanner.get(path).content.decode()
    assert GuestLink.objects.get().binding_hash == ""
    assert first.get(path).status_code == 200
    bound = first.post(path)
    assert bound.status_code == 302
    assert bound.cookies[guest_links.COOKIE]["httponly"]
    assert bound.cookies[guest_links.COOKIE]["samesite"] == "Lax"
    page = first.get(path)
    html = page.content.decode()
    assert 'data-role="guest"' in html
    assert world.sam.preferred_name not in html
    assert first.get(path).status_code == 200  # the same browser comes back
    for other in (scanner, DjangoClient()):
        refused = other.get(path)
        assert refused.status_code == 403
        assert "already used in another browser" in refused.content.decode()
    assert DjangoClient().post(path).status_code == 403
    assert DjangoClient().get(f"/telehealth/{booked.pk}/guest/nothing/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_outside_guest_waits_is_admitted_and_gets_only_frames_addressed_to_them(world):
    """The link guest's socket waits; Alice admits them; mesh frames go to the addressee only, never the pair's SDP."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    link, url = guest_link_create(actor=world.alice, appointment_id=booked.pk, name="Ana")
    opened = guest_link_open(appointment_id=booked.pk, token=_token(url))

    async def run():
        alice = room_socket(world.alice, booked.pk)
        ana = room_socket(None, booked.pk)
        ana.scope["cookies"] = {guest_links.COOKIE: opened.cookie}
        stranger = room_socket(None, booked.pk)
        stranger.scope["cookies"] = {guest_links.COOKIE: str(link.pk) + ".wrong"}
        stranger_in, _code = await stranger.connect()
        await alice.connect()
        await frames_until(alice, "welcome")
        assert (await ana.connect())[0]
        welcome = await ana.receive_json_from(timeout=5)
        waiting = await frames_until(alice, "presence")
        await alice.send_json_to({"type": "admit", "guest": str(link.pk)})
        await frames_until(ana, "admitted")
        await alice.send_json_to({"type": "signal", "data": {"description": {"type": "offer", "sdp": "pair"}}})
        await alice.send_json_to({"type": "mesh", "to": "someone-else", "data": {"candidate": {}}})
        await alice.send_json_to({"type": "mesh", "to": welcome["pid"], "data": {"description": {"type": "offer"}}})
        frames = await frames_until(ana, "mesh")
        await ana.send_json_to({"type": "announce"})
        announce = await frames_until(alice, "announce")
        await ana.disconnect()
        await alice.disconnect()
        return stranger_in, welcome, waiting[-1], frames, announce[-1]

    stranger_in, welcome, waiting, frames, announce = run_async(run)
    assert stranger_in is False
    assert welcome["role"] == "guest"
    assert welcome["admitted"] is False
    assert welcome["pid"].startswith("link-")
    assert waiting["state"] == "waiting"
    assert waiting["guest"] == str(link.pk)
    assert waiting["name"] == "Ana"
    assert [f["type"] for f in frames if f["type"] in ("signal", "mesh")] == ["mesh"]
    assert frames[-1]["pid"].startswith("clinician-")
    assert announce["from"] == "guest"
    assert announce["guest_role"] == "interpreter"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        GuestLinkAuditAction.LINK_ADMITTED,
        GuestLinkAuditAction.LINK_JOINED,
        GuestLinkAuditAction.LINK_LEFT,
    } <= actions


@pytest.mark.django_db
def test_with_a_public_address_invitations_and_reminders_carry_the_join_link(world, settings):
    """ALONGSIDE_PUBLIC_URL set: the .ics has URL and description, the emails and reminder the link; unset: none."""
    settings.ALONGSIDE_PUBLIC_URL = "https://care.example.org"
    booked = appointment(world, starts_in=dt.timedelta(days=2))
    join = f"https://care.example.org/telehealth/{booked.pk}/"
    emails = list(OutboundEmail.objects.filter(kind="telehealth.invitation"))
    assert emails
    assert all(join in e.body for e in emails)
    calendar = Calendar.from_ical(emails[0].attachment)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["url"]) == join
    assert join in str(event["description"])
    assert join in reminder_text(booked, booked.client).body

    settings.ALONGSIDE_PUBLIC_URL = ""
    OutboundEmail.objects.all().delete()
    plain = appointment(world, starts_in=dt.timedelta(days=4))
    email = OutboundEmail.objects.filter(kind="telehealth.invitation").first()
    assert "/telehealth/" not in email.body
    assert "URL" not in Calendar.from_ical(email.attachment).walk("VEVENT")[0]
    assert "/telehealth/" not in reminder_text(plain, plain.client).body


@pytest.mark.django_db(transaction=True)
def test_revoking_a_link_drops_the_guest_already_in_the_call(world, staff_client):
    """Alice revokes Ana's link from the guests page while Ana is connected: Ana's socket is told the call ended."""
    from asgiref.sync import sync_to_async

    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    link, url = guest_link_create(actor=world.alice, appointment_id=booked.pk, name="Ana")
    opened = guest_link_open(appointment_id=booked.pk, token=_token(url))
    web = staff_client(world.alice)

    async def run():
        ana = room_socket(None, booked.pk)
        ana.scope["cookies"] = {guest_links.COOKIE: opened.cookie}
        assert (await ana.connect())[0]
        await frames_until(ana, "welcome")
        response = await sync_to_async(web.post)(f"/telehealth/guest-links/{link.pk}/revoke/")
        ended = await frames_until(ana, "ended")
        await ana.disconnect()
        return response.status_code, ended[-1]

    status, ended = run_async(run)
    assert status == 302
    assert ended == {"type": "ended"}
    assert guest_link_open(appointment_id=booked.pk, token=_token(url), cookie=opened.cookie).refused == Refusal.REVOKED


@pytest.mark.django_db
def test_the_clinician_makes_a_link_on_the_guests_page_and_sees_it_once(world, staff_client):
    """Alice's POST shows the new link once (only its hash is kept); Bob, outside the care team, gets 404."""
    booked = appointment(world, starts_in=dt.timedelta(days=1))
    page = f"/telehealth/{booked.pk}/guest-links/"
    made = staff_client(world.alice).post(page, {"name": "Ana", "role": "interpreter", "email": ""})
    assert made.status_code == 200
    link = GuestLink.objects.get()
    html = made.content.decode()
    assert f"/telehealth/{booked.pk}/guest/" in html
    assert "Ana" in html
    again = staff_client(world.alice).get(page).content.decode()
    assert f"/telehealth/{booked.pk}/guest/" not in again  # shown once: the token is not kept
    assert link.emailed is False
    assert staff_client(world.bob).get(page).status_code == 404
    assert staff_client(world.bob).post(f"/telehealth/guest-links/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
