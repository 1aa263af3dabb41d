"""Queries compiled once per process and run again with new values: for the few looked up on every API call.

Building a queryset and compiling it to SQL (joins, annotations, the lookups' preparation) costs several times
as much as running the statement (issue #19: the token look-up and the client's own profile, on every call by
token). :class:`Prepared` compiles the queryset once per database alias with marker values, finds where those
markers went among the statement's parameters, and later runs the same SQL with the real values, turning rows
into objects the way Django's model iterator does (converters, ``select_related`` populators, annotations).
A query whose markers cannot be found exactly once falls back to the ORM on every call.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators


class _Statement:
    def __init__(self, queryset: QuerySet[Any], alias: str, slots: dict[str, tuple[Field[Any, Any], Any]]) -> None:
        connection = connections[alias]
        self.alias = alias
        self.model = queryset.model
        self.fetch_mode = queryset._fetch_mode  # type: ignore[attr-defined]
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots: dict[str, tuple[int, Field[Any, Any]]] = {}
        for name, (field, mark) in slots.items():
            prepared = _prepare(field, mark, connection)
            at = [i for i, p in enumerate(self.params) if p == prepared]
            if len(at) != 1:
                raise LookupError(f"the marker of {name!r} is not once among the compiled statement's parameters")
            self.slots[name] = (at[0], field)
        compiler = self.compiler
        self.converters = compiler.get_converters([s[0] for s in compiler.select[0 : compiler.col_count]])
        klass_info = compiler.klass_info
        assert klass_info is not None
        self.span = (klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
        self.init_list = [f[0].target.attname for f in compiler.select[self.span[0] : self.span[1]]]
        self.annotations = dict(compiler.annotation_col_map or {})

    def first(self, values: dict[str, Any]) -> Any:
        connection = connections[self.alias]
        params = list(self.params)
        for name, (at, field) in self.slots.items():
            params[at] = _prepare(field, values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchmany(1)
        if not rows:
            return None
        compiler = copy.copy(self.compiler)
        compiler.connection = connection  # converters use this thread's connection, never the compiling one's
        row = next(iter(compiler.apply_converters(rows, self.converters))) if self.converters else rows[0]
        obj = self.model.from_db(
            self.alias, self.init_list, row[self.span[0] : self.span[1]], fetch_mode=self.fetch_mode
        )
        for populator in get_related_populators(compiler.klass_info, compiler.select, self.alias, self.fetch_mode):
            populator.populate(row, obj)
        for name, at in self.annotations.items():
            setattr(obj, name, row[at])
        return obj


def _prepare(field: Field[Any, Any], value: Any, connection: Any) -> Any:
    """A lookup's value as the compiler sends it (``Lookup.get_db_prep_lookup`` for an exact or ordering lookup)."""
    return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)


class Prepared[M: Model]:
    """``build(**values)`` (a queryset of ``model``) compiled once per database, then run with new ``values``.

    ``marks`` gives, for each value, the model field it is compared with and a marker value no real call uses.
    The built queryset must depend on the values only through those comparisons.
    """

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]], **marks: tuple[Field[Any, Any], Any]) -> None:
        self.model = model
        self.build = build
        self.marks = marks
        self._statements: dict[str, _Statement | None] = {}

    def first(self, **values: Any) -> M | None:
        """The first row of ``build(**values)`` as an object (with its ``select_related`` and annotations), or None."""
        alias = router.db_for_read(self.model)
        if alias not in self._statements:
            try:
                marked = self.build(**{name: mark for name, (_field, mark) in self.marks.items()}).using(alias)
                self._statements[alias] = _Statement(marked, alias, self.marks)
            except LookupError:
                self._statements[alias] = None
        statement = self._statements[alias]
        if statement is None:
            return next(iter(self.build(**values)), None)
        found: M | None = statement.first(values)
        return found
