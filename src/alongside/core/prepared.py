"""Queries compiled once per process and run again with new values: for the few looked up (or, with
:class:`PreparedInsert`, inserted) on every API call.

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
from django.db.models.constants import OnConflict
from django.db.models.query import get_related_populators
from django.db.models.sql.subqueries import InsertQuery


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


class PreparedInsert[M: Model]:
    """An ``INSERT`` of one ``model`` row, optionally ``ON CONFLICT DO NOTHING``, compiled once per database.

    Django compiles ``Model.save()``'s and ``QuerySet._insert``'s statement on every call, which cost more than
    running it on a check-in (issue #19). The statement's text does not depend on the values, so it is compiled once
    with Django's own insert compiler and then run with each row's values prepared the way that compiler prepares
    them (``pre_save``, then ``get_db_prep_save``). :meth:`insert` says whether the row went in.
    """

    def __init__(self, model: type[M], *, ignore_conflicts: bool = False) -> None:
        self.model = model
        self.on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        self.fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        self._sql: dict[str, str] = {}

    def insert(self, obj: M) -> bool:
        """Insert ``obj``; False when a conflicting row kept it out (with ``ignore_conflicts``)."""
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        sql = self._sql.get(alias) or self._compile(obj, alias)
        params = [field.get_db_prep_save(field.pre_save(obj, True), connection=connection) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted = bool(cursor.fetchall())
        if inserted:
            obj._state.adding = False
            obj._state.db = alias
        return inserted

    def _compile(self, obj: M, alias: str) -> str:
        connection = connections[alias]
        if (
            not connection.features.can_return_rows_from_bulk_insert
            and not connection.features.can_return_columns_from_insert
        ):
            raise NotImplementedError(f"{connection.vendor} cannot say whether an insert went in")
        query = InsertQuery(self.model, on_conflict=self.on_conflict)
        query.insert_values(self.fields, [obj])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = [self.model._meta.pk]
        statements = compiler.as_sql()
        if len(statements) != 1:
            raise NotImplementedError("one statement per row was expected")
        self._sql[alias] = statements[0][0]
        return self._sql[alias]
