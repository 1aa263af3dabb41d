"""The service rules as a mechanism: every public function of a services module carries one of three marks.

* :func:`service`: a write. Keyword-only (checked when the module is imported), run in one transaction, durable
  when it is the top-level action (a service called by another service joins its caller's transaction), and it
  must write an audit event in that transaction whenever it writes anything else: a call that changes rows without
  recording an event is refused (rolled back) in development and tests, and logged as an error in production.
* :func:`unaudited`: a write that is deliberately not audited (telemetry, read receipts, derived caches); same
  transaction rules, with the reason stated where the function is defined.
* :func:`reader`: a helper that reads or computes and never writes, left in a services module for its callers.

``tests/platform/test_services_rules.py`` fails when a public function of a ``services`` module has no mark.
The audit log reports each event it writes through :func:`note_audited`, which is how a call is checked.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import logging
import re
from collections.abc import Callable
from typing import Any, Literal, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model

Kind = Literal["service", "unaudited", "reader"]
MARK = "__alongside_service__"

logger = logging.getLogger("alongside.services")

# How many audit events this context has written (the audit log adds to it); a service compares before and after.
_audited: contextvars.ContextVar[int] = contextvars.ContextVar("alongside_audited", default=0)

_WRITE = re.compile(
    r'^\s*(insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from)\s+[`"]?(\w+)', re.IGNORECASE
)
# Tables whose rows are bookkeeping, not care (sign-in throttles, session lists): writing them needs no audit event.
_BOOKKEEPING: set[str] = set()


class ServiceSignatureError(TypeError):
    """A write service takes a positional parameter: services are called with keywords only."""


class UnauditedWrite(RuntimeError):
    """A service changed rows without writing an audit event in the same transaction."""


# The audit log's buffer for an outermost service (alongside.audit.log.deferred, registered when the log is imported):
# events recorded during the service are written as its last statements, so the chain's lock is held only to commit.
_late_audit: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext


def register_late_audit(scope: Callable[[], contextlib.AbstractContextManager[None]]) -> None:
    """Set the context manager an outermost service runs in, inside its transaction (called by the audit log)."""
    global _late_audit
    _late_audit = scope


def note_audited(count: int) -> None:
    """Count ``count`` audit events written in the current context (called by the audit log)."""
    _audited.set(_audited.get() + count)


def register_bookkeeping(*models: type[Model]) -> None:
    """Declare tables that audited services may write without an event of their own (call from AppConfig.ready)."""
    _BOOKKEEPING.update(model._meta.db_table for model in models)


def kind_of(fn: object) -> Kind | None:
    """Return the mark of a function (``service``, ``unaudited`` or ``reader``), or None when it has none."""
    kind: Kind | None = getattr(fn, MARK, None)
    return kind


def _check_keyword_only(fn: Callable[..., Any]) -> None:
    for parameter in inspect.signature(fn).parameters.values():
        if parameter.kind not in (parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD):
            raise ServiceSignatureError(
                f"{fn.__module__}.{fn.__qualname__}: parameter {parameter.name!r} must be keyword-only (put * first)"
            )


def _top_level() -> bool:
    """Whether a transaction opened now would be the outermost one (a test case's own transaction does not count)."""
    blocks = connection.atomic_blocks
    return not blocks or bool(getattr(blocks[-1], "_from_testcase", False))


# An INSERT that skips a row already there (PostgreSQL and SQLite's ON CONFLICT DO NOTHING, SQLite's INSERT OR IGNORE).
_SKIPS_CONFLICTS = re.compile(
    r"on\s+conflict(?:\s*\([^)]*\))?\s+do\s+nothing|^\s*insert\s+or\s+ignore\s", re.IGNORECASE
)


class _WriteCounter:
    """An execute wrapper that counts the statements that changed rows."""

    def __init__(self) -> None:
        self.changed = 0
        # Inserts that may have skipped their rows, counted when the service ends: (cursor, row count at execute).
        self.skipping: list[tuple[Any, int]] = []

    @property
    def count(self) -> int:
        """Statements that changed rows; an insert that skipped its only row (a replayed key) changed nothing."""
        return self.changed + sum(1 for cursor, at_execute in self.skipping if _rows(cursor, at_execute) != 0)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        found = _WRITE.match(str(sql))
        if found is None or found.group(2) in _BOOKKEEPING:
            return result
        # An UPDATE or DELETE that matched nothing changed nothing (rowcount is -1 when the driver cannot tell). An
        # INSERT always counts: SQLite reports 0 rows for INSERT ... RETURNING until the returned rows are read.
        # An INSERT that skips conflicts is judged by its row count once the service has run and read its rows.
        verb = found.group(1).split()[0].lower()
        if verb in ("insert", "replace") and not many and _SKIPS_CONFLICTS.search(str(sql)) and context.get("cursor"):
            self.skipping.append((context["cursor"], getattr(context["cursor"], "rowcount", -1)))
        elif verb in ("insert", "replace") or getattr(context.get("cursor"), "rowcount", -1) != 0:
            self.changed += 1
        return result


def _rows(cursor: Any, at_execute: int) -> int:
    """The rows a statement wrote: psycopg knows at once and forgets when the cursor closes (-1); SQLite's count of
    an ``INSERT ... RETURNING`` is 0 until its rows are read, and stays after closing. -1 when neither tells."""
    now = getattr(cursor, "rowcount", -1)
    return now if now != -1 else at_execute


def _refuse_unaudited(fn: Callable[..., Any], writes: int) -> None:
    message = f"{fn.__module__}.{fn.__qualname__} changed rows ({writes} statements) without an audit event"
    if settings.DEBUG or getattr(settings, "TESTING", False):
        raise UnauditedWrite(message)
    logger.error(message)


def _transactional[**P, R](fn: Callable[P, R], *, audited: bool) -> Callable[P, R]:
    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        top = _top_level()
        with transaction.atomic(durable=top), _late_audit() if top else contextlib.nullcontext():
            if not audited:
                return fn(*args, **kwargs)
            before = _audited.get()
            writes = _WriteCounter()
            with connection.execute_wrapper(writes):
                result = fn(*args, **kwargs)
            if writes.count and _audited.get() == before:
                _refuse_unaudited(fn, writes.count)
            return result

    return call


def service[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Mark ``fn`` as a public write service: keyword-only, one (durable when outermost) transaction, audited."""
    _check_keyword_only(fn)
    call = _transactional(fn, audited=True)
    setattr(call, MARK, "service")
    return call


class _Mark(Protocol):
    def __call__[**P, R](self, fn: Callable[P, R], /) -> Callable[P, R]: ...


def unaudited(reason: str) -> _Mark:
    """Mark a write that is deliberately not audited; ``reason`` says why (it is kept for readers and reviews)."""
    if not reason.strip():
        raise ValueError("say why the write is not audited")

    def mark[**P, R](fn: Callable[P, R], /) -> Callable[P, R]:
        _check_keyword_only(fn)
        call = _transactional(fn, audited=False)
        setattr(call, MARK, "unaudited")
        setattr(call, "__unaudited_reason__", reason)  # noqa: B010
        return call

    return mark


def reader[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Mark a helper in a services module that never writes (it is returned unchanged)."""
    setattr(fn, MARK, "reader")
    return fn
