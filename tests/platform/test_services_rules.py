"""The service rules are checked by machine: marks on every public service function, and what @service enforces."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django.db import transaction

import alongside
from alongside.accounts.models import LoginThrottle, ThrottleScope, User
from alongside.audit.log import record
from alongside.audit.models import AuditAction, AuditEvent
from alongside.consent.models import ScopeGrant
from alongside.core import services as rules
from tests import factories

SRC = Path(alongside.__file__).parent


def _services_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(SRC)], prefix="alongside."):
        parts = info.name.split(".")
        if "services" in parts and "migrations" not in parts and info.name != rules.__name__:
            names.append(info.name)
    return sorted(names)


def test_every_public_function_of_a_services_module_is_marked() -> None:
    """A public function defined in any services module is a @service, @unaudited write or @reader."""
    unmarked = []
    for name in _services_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(value) or value.__module__ != name:
                continue
            if rules.kind_of(value) is None:
                unmarked.append(f"{name}.{attr}")
    assert unmarked == []


def test_the_scan_finds_the_services_modules() -> None:
    """The scan reads the services modules and packages of the apps (not the rules module itself), so it cannot pass empty."""
    found = _services_modules()
    assert "alongside.accounts.services" in found
    assert "alongside.selfcare.services.checkins" in found


def test_a_service_with_a_positional_parameter_is_refused_at_import() -> None:
    """Decorating a function that takes a positional parameter raises when the module is imported."""
    with pytest.raises(rules.ServiceSignatureError):

        @rules.service
        def thing_do(actor: object) -> None:  # pragma: no cover - never called
            return None


@pytest.mark.django_db
def test_a_service_that_writes_without_an_audit_event_is_refused_and_rolled_back() -> None:
    """A @service call that changes rows but records no audit event raises, and its rows are rolled back."""
    practice = factories.practice()

    @rules.service
    def staff_add_quietly(*, email: str) -> None:
        factories.staff(practice, email=email)

    with pytest.raises(rules.UnauditedWrite):
        staff_add_quietly(email="quiet@example.test")
    assert not User.objects.filter(email="quiet@example.test").exists()


@pytest.mark.django_db
def test_an_insert_with_a_database_made_id_counts_as_a_write() -> None:
    """A row whose id the database makes (INSERT ... RETURNING, 0 rows reported on SQLite) still needs its event."""
    kim = factories.client(factories.practice(), name="Kim", signed=False)

    @rules.service
    def scope_touch(*, scope: str) -> None:
        ScopeGrant.objects.get_or_create(client=kim, scope=scope)

    with pytest.raises(rules.UnauditedWrite):
        scope_touch(scope="mood")
    assert not ScopeGrant.objects.filter(client=kim).exists()


@pytest.mark.django_db
def test_an_audited_service_commits_its_rows_and_event_together() -> None:
    """A @service call that records an event keeps its rows; bookkeeping tables need no event of their own."""

    @rules.service
    def note_write(*, key: str) -> None:
        LoginThrottle.objects.create(key=key, scope=ThrottleScope.MAIL)

    note_write(key="bookkeeping-only")  # throttle rows are registered bookkeeping by accounts
    assert LoginThrottle.objects.filter(key="bookkeeping-only").exists()

    practice = factories.practice()

    @rules.service
    def practice_note() -> None:
        factories.staff(practice, email="audited@example.test")
        record(AuditAction.PRACTICE_CREATED, actor=None)

    before = AuditEvent.objects.count()
    practice_note()
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_top_level_service_is_durable_and_a_nested_one_joins_its_caller() -> None:
    """Outermost, a service opens a durable transaction; called from another service it runs in the caller's."""
    seen: list[bool] = []

    @rules.unaudited("test: records where it ran")
    def inner_step() -> None:
        seen.append(transaction.get_connection().atomic_blocks[-1].durable)

    @rules.unaudited("test: calls another service")
    def outer_step() -> None:
        seen.append(transaction.get_connection().atomic_blocks[-1].durable)
        inner_step()

    outer_step()
    assert seen == [True, False]


def test_websocket_consumers_write_only_through_services() -> None:
    """No consumer module writes rows itself (the live thread opens its thread with messaging.services.thread_open)."""
    writes = re.compile(r"\.objects\.(?:create|get_or_create|update_or_create|update|delete|bulk_create)\(|\.save\(")
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("consumers.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if writes.search(line)
    ]
    assert offenders == []
