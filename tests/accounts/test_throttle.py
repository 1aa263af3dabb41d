"""Wrong passwords pause sign-in without letting anyone lock anyone out (issue #11, findings 6 and 11)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import LoginThrottle
from alongside.audit.models import AuditAction, AuditEvent
from tests import factories
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
START = "2030-01-01 09:00Z"


def _sign_in(client: Client, email: str, password: str, ip: str):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def _guess(email: str, ip: str, times: int) -> str:
    """Send ``times`` wrong passwords for ``email`` from ``ip``; return the last page."""
    client = Client()
    for n in range(times):
        response = _sign_in(client, email, f"wrong-guess-{n}-xyz", ip)
    return response.content.decode()


def test_an_attackers_guesses_do_not_lock_the_owner_out(world) -> None:
    """Five wrong passwords from one address pause that address; the owner, elsewhere, signs in at once."""
    email = world.alice.email
    assert "Too many failed sign-ins" in _guess(email, ATTACKER, 5)
    assert "Too many failed sign-ins" in _sign_in(Client(), email, PASSWORD, ATTACKER).content.decode()
    owner = Client()
    response = _sign_in(owner, email, PASSWORD, OWNER)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/verify/"


def test_pauses_end_by_themselves_and_double_in_a_row(world, time_machine, settings) -> None:
    """The first pause lasts the lock period, the next in a row twice as long; then the right password works."""
    time_machine.move_to(START, tick=False)
    email = world.sam.user.email
    _guess(email, ATTACKER, 5)
    time_machine.shift(settings.ALONGSIDE_LOGIN_LOCK_MINUTES * 60 + 1)
    _guess(email, ATTACKER, 5)
    time_machine.shift(settings.ALONGSIDE_LOGIN_LOCK_MINUTES * 60 + 1)
    assert "Too many failed sign-ins" in _sign_in(Client(), email, PASSWORD, ATTACKER).content.decode()
    time_machine.shift(settings.ALONGSIDE_LOGIN_LOCK_MINUTES * 60)
    assert _sign_in(Client(), email, PASSWORD, ATTACKER).status_code == 302


def test_one_address_guessing_for_hours_never_pauses_the_owner(world, time_machine, settings) -> None:
    """Round after round of guesses from one address, each after its pause ends: the owner is never paused."""
    from alongside.accounts.throttle import pause_length

    time_machine.move_to(START, tick=False)
    email = world.sam.user.email
    for round_number in range(1, 8):
        assert "Too many failed sign-ins" in _guess(email, ATTACKER, settings.ALONGSIDE_LOGIN_MAX_FAILURES)
        time_machine.shift(pause_length(round_number).total_seconds() - 60)
        assert "Too many failed sign-ins" in _sign_in(Client(), email, PASSWORD, ATTACKER).content.decode()
        time_machine.shift(61)
    assert _sign_in(Client(), email, PASSWORD, OWNER).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, detail__scope="account").exists()


def test_many_addresses_guessing_pause_the_account_everywhere_for_a_while(world, time_machine, settings) -> None:
    """Guesses from many addresses add up to a pause of the account itself, which also ends by itself."""
    time_machine.move_to(START, tick=False)
    settings.ALONGSIDE_LOGIN_ACCOUNT_MAX_FAILURES = 8
    email = world.sam.user.email
    _guess(email, "203.0.113.1", 4)
    _guess(email, "203.0.113.2", 4)
    assert "Too many failed sign-ins" in _sign_in(Client(), email, PASSWORD, OWNER).content.decode()
    time_machine.shift(settings.ALONGSIDE_LOGIN_LOCK_MINUTES * 60 + 1)
    assert _sign_in(Client(), email, PASSWORD, OWNER).status_code == 302


def test_one_address_guessing_many_accounts_is_paused(world, settings) -> None:
    """An address that fails on many accounts is paused for every account, a new one included."""
    settings.ALONGSIDE_LOGIN_IP_MAX_FAILURES = 6
    for n in range(6):
        _guess(f"someone{n}@example.test", ATTACKER, 1)
    assert "Too many failed sign-ins" in _sign_in(Client(), world.sam.user.email, PASSWORD, ATTACKER).content.decode()
    assert _sign_in(Client(), world.sam.user.email, PASSWORD, OWNER).status_code == 302


def test_throttle_rows_hold_no_email_or_address(world) -> None:
    """Counts are keyed by a keyed hash: no column holds the email address or the network address."""
    _guess(world.alice.email, ATTACKER, 3)
    _guess("nobody-here@example.test", ATTACKER, 2)
    rows = list(LoginThrottle.objects.values())
    assert len(rows) == 5  # two accounts-from-address, two accounts, one address
    text = str(rows).lower()
    for secret in (world.alice.email, "nobody-here", ATTACKER, "example.test"):
        assert secret.lower() not in text
    assert all(len(row["key"]) == 64 for row in rows)


def test_staff_are_emailed_and_admins_see_the_pause(world, staff_client, django_capture_on_commit_callbacks) -> None:
    """A paused staff account gets an email (after the commit) and shows on the admins' list, not elsewhere."""
    with django_capture_on_commit_callbacks(execute=True):
        _guess(world.alice.email, ATTACKER, 5)
    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    assert "paused" in mail.outbox[0].subject.lower()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    admin = staff_client(world.admin)
    assert "/accounts/lockouts/" in admin.get(reverse("care:staff_list")).content.decode()
    page = admin.get("/accounts/lockouts/")
    assert page.status_code == 200
    assert world.alice.display_name in page.content.decode()


@pytest.mark.django_db
def test_the_pause_list_is_for_admins_of_the_same_practice(world, client) -> None:
    """A clinician is refused the list; another practice's admin does not see this practice's pauses."""
    from alongside.accounts.middleware import SESSION_MFA_OK
    from alongside.care.models import Role

    _guess(world.alice.email, ATTACKER, 5)
    client.force_login(world.bob, backend="alongside.accounts.backends.EmailBackend")
    session = client.session
    session[SESSION_MFA_OK] = True
    session.save()
    assert client.get("/accounts/lockouts/").status_code == 403
    stranger = factories.staff(world.other_practice, role=Role.ADMIN)
    other = Client()
    other.force_login(stranger, backend="alongside.accounts.backends.EmailBackend")
    session = other.session
    session[SESSION_MFA_OK] = True
    session.save()
    page = other.get("/accounts/lockouts/")
    assert page.status_code == 200
    assert world.alice.display_name not in page.content.decode()


def test_week_old_counts_are_pruned_when_new_ones_start(world, time_machine) -> None:
    """Counts untouched for a week go when a failure starts a new count; recent ones stay."""
    time_machine.move_to(START, tick=False)
    _guess("made-up-1@example.test", ATTACKER, 1)
    time_machine.shift(8 * 86400)
    _guess("made-up-2@example.test", "203.0.113.50", 1)
    time_machine.shift(60)
    _guess("made-up-3@example.test", "203.0.113.51", 1)
    assert LoginThrottle.objects.count() == 6  # the first three went; two sets of three remain
