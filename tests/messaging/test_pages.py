"""Messaging pages work without JavaScript: post, reload, read; outsiders learn nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.messaging import services
from alongside.messaging.models import Attachment, Message
from alongside.safety.models import CriticalAlert

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# Monday 2026-11-23, 20:00 UTC: after office hours in a UTC practice (09:00-17:00 by default).
EVENING = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)
MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def sign_in_client(client, world):
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    return client


def test_the_client_thread_shows_the_emergency_notice_above_the_box(client, world):
    response = sign_in_client(client, world).get(reverse("messaging:client_thread"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Messages are not for emergencies." in html
    assert html.index("emergency-notice") < html.index('id="message-body"')
    assert "tel:911" in html  # the practice is in the US by default


def test_the_office_hours_notice_shows_outside_office_hours_only(client, world):
    sign_in_client(client, world)
    with time_machine.travel(EVENING, tick=False):
        evening = client.get(reverse("messaging:client_thread")).content.decode()
    with time_machine.travel(MORNING, tick=False):
        morning = client.get(reverse("messaging:client_thread")).content.decode()
    assert 'id="office-notice"' in evening
    assert "The office is closed now." in evening
    assert 'id="office-notice"' not in morning
    assert "usually replies within 48 hours" in morning


def test_posting_a_message_stores_it_once_and_reloads_the_thread(client, world):
    sign_in_client(client, world)
    data = {"body": "Can we talk about sleep on Thursday?", "idempotency_key": "form-key-0001"}
    first = client.post(reverse("messaging:client_thread"), data)
    again = client.post(reverse("messaging:client_thread"), data)  # a double click or a resubmitted form
    assert first.status_code == 302
    assert again.status_code == 302
    assert Message.objects.count() == 1
    page = client.get(reverse("messaging:client_thread")).content.decode()
    assert "Can we talk about sleep on Thursday?" in page


def test_an_empty_message_is_refused_with_a_clear_message_and_keeps_nothing(client, world):
    sign_in_client(client, world)
    response = client.post(reverse("messaging:client_thread"), {"body": "  ", "idempotency_key": "form-key-0002"})
    assert response.status_code == 400
    assert "Write a message, or attach a file or an entry." in response.content.decode()
    assert Message.objects.count() == 0


def test_a_wrong_file_type_is_refused_and_the_text_is_kept_in_the_box(client, world):
    sign_in_client(client, world)
    upload = SimpleUploadedFile("notes.html", b"<html><script>x</script></html>", content_type="text/html")
    response = client.post(
        reverse("messaging:client_thread"),
        {"body": "my notes", "idempotency_key": "form-key-0003", "attachment": upload},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Only images (PNG, JPEG, WebP) and PDF files can be attached." in html
    assert ">my notes</textarea>" in html
    assert Message.objects.count() == 0


def test_an_image_is_attached_and_opened_by_the_clinician_as_a_download(client, world, staff_client):
    sign_in_client(client, world)
    upload = SimpleUploadedFile("rash.png", PNG, content_type="image/png")
    client.post(
        reverse("messaging:client_thread"), {"body": "", "idempotency_key": "form-key-0004", "attachment": upload}
    )
    item = Attachment.objects.get()
    staff = staff_client(world.alice)
    response = staff.get(reverse("messaging:attachment", args=[item.pk]))
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_outsiders_get_404_for_the_thread_and_the_attachment(client, world, staff_client):
    services.message_send(
        actor=world.sam.user,
        client_id=world.sam.pk,
        body="",
        idempotency_key="file-key-0001",
        upload=services.Upload("a.png", "image/png", PNG),
    )
    item = Attachment.objects.get()
    for outsider in (world.bob, world.carol):
        page = staff_client(outsider)
        assert page.get(reverse("messaging:staff_thread", args=[world.sam.pk])).status_code == 404
        assert page.get(reverse("messaging:attachment", args=[item.pk])).status_code == 404
        client.logout()
    client.force_login(world.other_client.user, backend="alongside.accounts.backends.EmailBackend")
    assert client.get(reverse("messaging:attachment", args=[item.pk])).status_code == 404


def test_crisis_language_shows_the_client_crisis_lines_at_once_and_alerts_the_clinician(client, world):
    sign_in_client(client, world)
    response = client.post(
        reverse("messaging:client_thread"),
        {"body": "I don't want to live anymore", "idempotency_key": "form-key-0005"},
        follow=True,
    )
    html = response.content.decode()
    assert 'id="crisis-panel"' in html
    panel = html[html.index('id="crisis-panel"') - 200 : html.index("</section>", html.index('id="crisis-panel"'))]
    assert " hidden" not in panel.split(">")[0]
    assert "tel:988" in panel
    assert CriticalAlert.objects.filter(client=world.sam, source="message").count() == 1


def test_crisis_lines_show_even_when_saving_the_message_fails(client, world, monkeypatch):
    """If the database write fails, a client who wrote crisis language still sees where to get help."""

    def broken(**_kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(services, "_store", broken)
    sign_in_client(client, world)
    response = client.post(
        reverse("messaging:client_thread"), {"body": "I want to end my life", "idempotency_key": "form-key-0006"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your message could not be sent" in html
    head = html[html.index('id="crisis-panel"') - 200 :].split(">")[0]
    assert " hidden" not in head


def test_the_staff_inbox_and_thread_show_the_conversation_and_mark_it_read(world, staff_client):
    services.message_send(actor=world.sam.user, client_id=world.sam.pk, body="Hello Alice", idempotency_key="k-000001")
    page = staff_client(world.alice)
    inbox = page.get(reverse("messaging:inbox")).content.decode()
    assert "Awaiting your reply" in inbox
    assert world.sam.preferred_name in inbox
    thread = page.get(reverse("messaging:staff_thread", args=[world.sam.pk])).content.decode()
    assert "Hello Alice" in thread
    assert "Messages are not for emergencies." not in thread  # the notice is for clients
    from alongside.messaging.selectors import unread_total

    assert unread_total(world.alice) == 0


def test_a_client_not_sharing_messages_is_told_how_to_turn_it_on(client, world):
    from alongside.consent.services import scopes_set

    scopes_set(client=world.sam, scopes={"messages": False}, actor=world.sam.user)
    html = sign_in_client(client, world).get(reverse("messaging:client_thread")).content.decode()
    assert "Turn on sharing of messages" in html
    assert 'id="message-form"' not in html


def test_the_admin_sets_office_hours_and_a_clinician_cannot(world, staff_client):
    admin = staff_client(world.admin)
    response = admin.post(
        reverse("messaging:office_hours"),
        {"office_days": ["1", "3"], "opens_at": "08:30", "closes_at": "12:00", "reply_within_hours": "24"},
    )
    assert response.status_code == 302
    bad = admin.post(
        reverse("messaging:office_hours"),
        {"office_days": ["1"], "opens_at": "noon", "closes_at": "12:00", "reply_within_hours": "24"},
    )
    assert bad.status_code == 400
    assert "HH:MM" in bad.content.decode()
    assert staff_client(world.alice).get(reverse("messaging:office_hours")).status_code == 403


def test_search_shows_hits_from_own_clients_only(world, staff_client):
    services.message_send(
        actor=world.sam.user, client_id=world.sam.pk, body="nightmares again", idempotency_key="k-000002"
    )
    html = staff_client(world.alice).get(reverse("messaging:search"), {"q": "nightmare"}).content.decode()
    assert "nightmares again" in html
    html = staff_client(world.bob).get(reverse("messaging:search"), {"q": "nightmare"}).content.decode()
    assert "nightmares again" not in html
    assert "0 messages found" in html


def test_the_caseload_puts_a_crisis_message_first_and_names_its_source(world, staff_client):
    services.message_send(
        actor=world.sam.user, client_id=world.sam.pk, body="I want to kill myself", idempotency_key="cl-key-0001"
    )
    html = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert "Crisis language in a message; acknowledge the alert." in html


def test_an_upload_over_10_mb_is_refused_with_a_clear_message(client, world):
    sign_in_client(client, world)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = client.post(
        reverse("messaging:client_thread"), {"body": "my scan", "idempotency_key": "form-key-0099", "attachment": big}
    )
    assert response.status_code == 400
    assert "Files can be up to 10 MB. This one is larger." in response.content.decode()
    assert Message.objects.count() == 0
