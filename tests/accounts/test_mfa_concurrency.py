"""Wrong second-factor codes sent in parallel are all counted (issue #11, finding 2).

The count used to live in each session, so parallel requests overwrote it and 200 codes could be
tried. These tests send real requests from several threads (each with its own database
connection); run them on PostgreSQL too with ``python -m tests.with_postgres``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from django.db import OperationalError, connection
from django.test import Client

from alongside.accounts.models import TotpDevice
from alongside.accounts.services import MFA_MAX_FAILURES
from alongside.audit.models import AuditAction, AuditEvent
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/accounts/login/"
VERIFY = "/accounts/mfa/verify/"


def _signed_in_halfway(user, count: int) -> list[Client]:
    """Return ``count`` browsers that each passed the password step and owe a code."""
    clients = []
    for _ in range(count):
        browser = Client()
        assert browser.post(LOGIN, {"email": user.email, "password": PASSWORD})["Location"] == VERIFY
        clients.append(browser)
    return clients


def _post(browser: Client, code: str) -> int:
    """Post one code; resend it if SQLite's in-memory test database refused a table lock (503).

    Pytest's SQLite test database is in memory with a shared cache, where a request that meets
    another's write gets "database table is locked" at once instead of waiting (a file database,
    as in service, waits ``busy_timeout``); the check is one transaction, so the refused request
    changed nothing. Resending is what an attacker would do; PostgreSQL does not need it.
    """
    for _ in range(200):
        try:
            status = browser.post(VERIFY, {"code": code}).status_code
        except OperationalError as error:  # the test client re-raises what the 503 page caught
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.005)
            continue
        if status != 503 or connection.vendor != "sqlite":
            return status
        time.sleep(0.005)
    raise AssertionError("the database stayed locked")


def _in_parallel(clients: list[Client], codes_each: int) -> list[int]:
    """Post wrong codes from every browser at once (a barrier lines the threads up); return the statuses."""
    barrier = threading.Barrier(len(clients))

    def attack(browser: Client) -> list[int]:
        try:
            barrier.wait()
            return [_post(browser, f"{n:06d}") for n in range(codes_each)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return [status for statuses in pool.map(attack, clients) for status in statuses]


def _staff():
    return factories.staff(factories.practice())


def _check_in_parallel(user, count: int) -> None:
    """Check ``count`` wrong codes for ``user`` from as many threads at once (the service, one transaction each).

    On SQLite's in-memory test database a thread that meets another's write gets "table is locked"
    at once; its transaction rolled back whole, so it simply tries again (PostgreSQL waits instead).
    """
    from alongside.accounts.services import mfa_check

    barrier = threading.Barrier(count)

    def attack(n: int) -> None:
        try:
            barrier.wait()
            for _ in range(500):
                try:
                    mfa_check(user=user, code=f"{n:06d}")
                    return
                except OperationalError as error:
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.005)  # let the other writer finish (SQLite in memory does not wait by itself)
            raise AssertionError("the database stayed locked")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(attack, range(count)))


def test_parallel_wrong_codes_below_the_limit_are_each_counted() -> None:
    """Four wrong codes checked at once count four, not one, and each is audited once."""
    user = _staff()
    _check_in_parallel(user, 4)
    assert TotpDevice.objects.get(user=user).failures == 4
    assert AuditEvent.objects.filter(action=AuditAction.MFA_FAILED).count() == 4


def test_a_burst_of_wrong_codes_checks_no_more_than_the_limit_and_the_right_code_then_fails() -> None:
    """Forty codes at once over five sign-ins: only five are checked, and the right code is then refused."""
    user = _staff()
    _in_parallel(_signed_in_halfway(user, 5), codes_each=8)
    assert AuditEvent.objects.filter(action=AuditAction.MFA_FAILED).count() == MFA_MAX_FAILURES
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    device = TotpDevice.objects.get(user=user)
    assert device.locked_until is not None
    (late,) = _signed_in_halfway(user, 1)
    response = late.post(VERIFY, {"code": pyotp.TOTP(device.secret).now()})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in late.session
