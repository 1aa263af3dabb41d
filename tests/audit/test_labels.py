"""Audit actions of every app have readable labels in the client's access log."""

from __future__ import annotations

from alongside.audit.models import AuditAction, action_label
from alongside.measures.models import MeasureAuditAction


def test_labels_come_from_the_app_that_owns_the_action() -> None:
    """Foundation and measures actions both resolve to their labels; unknown codes stay as they are."""
    assert action_label(AuditAction.CLIENT_VIEWED) == str(AuditAction.CLIENT_VIEWED.label)
    assert action_label(MeasureAuditAction.SCORES_VIEWED) == "Viewed questionnaire scores"
    assert action_label("nobody.knows") == "nobody.knows"


# --- Actors are stored as ids and named only when displayed ---------------------------------

import pytest  # noqa: E402

from alongside.audit.log import record  # noqa: E402
from alongside.audit.models import AuditEvent  # noqa: E402
from alongside.audit.selectors import actor_labels  # noqa: E402


@pytest.mark.django_db
def test_new_events_hold_no_email_or_name(world) -> None:
    """An event by a named member of staff stores their id and nothing that names them."""
    written = record(AuditAction.CLIENT_VIEWED, actor=world.alice, obj=world.sam, client_id=world.sam.pk)
    event = AuditEvent.objects.get(seq=written.seq)
    assert (event.actor_id, event.actor_label) == (world.alice.pk, "")
    # Nor does any event written while the test world was built (invitations, consent, care teams).
    stored = " ".join(str(value) for row in AuditEvent.objects.values() for value in row.values())
    for person in (world.alice, world.admin, world.sam.user):
        assert person.email not in stored
        assert not person.name or person.name not in stored


@pytest.mark.django_db
def test_the_access_log_names_a_deleted_member_of_staff_as_erased(world) -> None:
    """Once the account is gone, the client's access log says "Erased user", never the stored address."""
    from alongside.care.selectors import access_log_rows

    record(AuditAction.CLIENT_VIEWED, actor=world.alice, obj=world.sam, client_id=world.sam.pk)
    assert [row.who for row in access_log_rows(client=world.sam)] == [world.alice.name]
    world.alice.delete()
    assert [row.who for row in access_log_rows(client=world.sam)] == ["Erased user"]


@pytest.mark.django_db
def test_an_erased_client_is_labelled_as_such(world) -> None:
    """An actor whose erasure is in the log resolves to "Erased client"; the living to their name."""
    record(AuditAction.LOGIN, actor=world.other_client.user)
    client_id = world.other_client.pk
    record(AuditAction.CLIENT_ERASED, actor=world.admin, client_id=client_id)
    world.other_client.user.delete()
    assert actor_labels([client_id, world.admin.pk, None]) == {
        client_id: "Erased client",
        world.admin.pk: world.admin.name,
        None: "System",
    }
