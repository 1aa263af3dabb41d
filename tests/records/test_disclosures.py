"""Disclosing a psychotherapy note needs the client's signed authorisation; the client reads every step."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.records.disclosures import disclosure_answer, disclosure_make, disclosure_request
from alongside.records.models import Disclosure, DisclosureStatus
from alongside.records.services import private_note_save
from tests.records.support import raw_rows

pytestmark = pytest.mark.django_db

NOTE = "Quennell-Sentinel-6604 in the note itself"


@pytest.fixture
def asked(world):
    note = private_note_save(actor=world.alice, client=world.sam, text=NOTE)
    return disclosure_request(actor=world.alice, note_id=note.pk, recipient="Dr Okafor (psychiatrist)", purpose="Court")


def test_nothing_is_disclosed_without_the_clients_signature(world, asked):
    """Recording a disclosure before Sam signs is refused; after he signs it is recorded and audited."""
    with pytest.raises(PermissionDenied):
        disclosure_make(actor=world.alice, disclosure_id=asked.pk)
    with pytest.raises(ValidationError, match="name"):
        disclosure_answer(actor=world.sam.user, disclosure_id=asked.pk, authorise=True, signature="  ")
    disclosure_answer(actor=world.sam.user, disclosure_id=asked.pk, authorise=True, signature="Sam Rivers")
    made = disclosure_make(actor=world.alice, disclosure_id=asked.pk)
    assert made.status == DisclosureStatus.DISCLOSED
    assert "Sam Rivers" not in raw_rows("records_disclosure")  # the signature is sealed too
    actions = set(AuditEvent.objects.filter(object_id=str(asked.pk)).values_list("action", flat=True))
    assert actions == {"records.disclosure_requested", "records.disclosure_authorised", "records.disclosure_made"}


def test_a_refusal_ends_the_request(world, asked):
    """Refused: the author cannot record a disclosure, and Sam cannot answer twice."""
    disclosure_answer(actor=world.sam.user, disclosure_id=asked.pk, authorise=False)
    with pytest.raises(PermissionDenied):
        disclosure_make(actor=world.alice, disclosure_id=asked.pk)
    with pytest.raises(ValidationError, match="answered"):
        disclosure_answer(actor=world.sam.user, disclosure_id=asked.pk, authorise=True, signature="Sam")


def test_only_the_client_answers_and_only_the_author_asks(world, asked):
    """Alice cannot sign for Sam; Robin cannot answer Sam's request; Bob cannot ask about Alice's note."""
    with pytest.raises(Http404):
        disclosure_answer(actor=world.alice, disclosure_id=asked.pk, authorise=True, signature="Sam")
    with pytest.raises(Http404):
        disclosure_answer(actor=world.other_client.user, disclosure_id=asked.pk, authorise=True, signature="R")
    with pytest.raises(Http404):
        disclosure_request(actor=world.bob, note_id=asked.note_id, recipient="x", purpose="y")
    assert Disclosure.objects.get(pk=asked.pk).status == DisclosureStatus.REQUESTED


def test_the_client_reads_the_register_and_signs_there_without_seeing_the_note(world, asked, client):
    """Sam's register lists who asked, the recipient and purpose; signing from the page works; the note text is absent."""
    client.force_login(world.sam.user)
    body = client.get(reverse("records:my_disclosures")).content.decode()
    assert "Dr Okafor (psychiatrist)" in body
    assert "Quennell-Sentinel-6604" not in body
    client.post(reverse("records:my_disclosure_answer", args=[asked.pk]), {"answer": "authorise", "signature": "Sam"})
    assert Disclosure.objects.get(pk=asked.pk).status == DisclosureStatus.AUTHORISED


def test_the_clients_home_leads_to_a_waiting_request(world, asked, client):
    """Sam's home shows a card with the waiting request and a link to his register."""
    client.force_login(world.sam.user)
    body = client.get("/").content.decode()
    assert "asks you to authorise sharing a psychotherapy note (1 request)" in body
    assert reverse("records:my_disclosures") in body
