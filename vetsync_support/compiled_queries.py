"""Reads whose SQL the ORM writes once per database, then runs again with new values.

Django builds and compiles a queryset's SQL again on every request: for the portal's hot reads
that is 0.3 to 1 ms of Python per query, more than PostgreSQL spends answering it. A
``CompiledQuery`` asks the ORM for the SQL of a ``values_list()`` queryset once per database
alias, built with marker values where the request's values go (a clinic's id, a code, a page's
offset…), and afterwards only puts the values in place of the markers. The rows get the same
conversions the ORM applies (dates on SQLite, for one). The SQL is the ORM's own, so it stays
right for each database; ``tests/portal/test_compiled_queries.py`` compares the results with
the querysets' own.

Markers:

- ``Value(n)`` for a value passed as it is (an id, a state, a code);
- ``LikeText(n)`` for a text the ORM wraps into a ``LIKE`` pattern (``tickets/lookups.py``):
  the request's text is escaped for ``LIKE`` the way the lookup does;
- ``Limit`` and ``Offset`` for a slice, which Django writes into the SQL as numbers: they stay
  numbers in the SQL, so that each page is its own statement, which PostgreSQL plans once
  (``LIMIT $1`` would make it plan the query on every run, 0.4 ms, to weigh the limit).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import DEFERRED, QuerySet


@dataclass(frozen=True)
class Value:
    """Stands for a value; ``n`` tells markers of one query apart."""

    n: int = 0

    @property
    def marker(self) -> int | str:
        return -7_390_000_000_000 - self.n


@dataclass(frozen=True)
class Text(Value):
    @property
    def marker(self) -> str:
        return f"zqxmarker{self.n}zqx"


@dataclass(frozen=True)
class LikeText(Text):
    pass


class _SliceMarker:
    def __init__(self, marker: int):
        self.marker = marker


Limit = _SliceMarker(918_273_645)
Offset = _SliceMarker(827_364_519)


class CompileError(Exception):
    """The queryset's SQL could not be turned into a template (a marker was lost)."""


@dataclass(frozen=True)
class _Slot:
    name: str
    like: str | None = None  # the pattern around the marker, for a LikeText
    marker: str = ""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    converters: dict
    slices: tuple[tuple[str, str], ...]  # (marker written in the SQL, name)


class CompiledQuery:
    """``build(**markers)`` returns a ``values_list()`` queryset; ``rows(**values)`` runs its SQL
    with the values and returns the converted rows as tuples."""

    def __init__(self, build: Callable[..., QuerySet], **markers):
        self.build = build
        self.markers = markers
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, *, using: str | None = None, **values) -> list[tuple]:
        alias = using or router.db_for_read(self._model())
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        connection = connections[alias]
        params = [_fill(param, values, connection) for param in compiled.params]
        sql = compiled.sql
        for marker, name in compiled.slices:
            sql = sql.replace(marker, str(int(values[name])))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_convert(row, compiled.converters, connection) for row in rows]
        return rows

    def _model(self):
        model = getattr(self, "_model_class", None)
        if model is None:
            model = self._model_class = self._queryset().model
        return model

    def _queryset(self) -> QuerySet:
        return self.build(**{name: marker.marker for name, marker in self.markers.items()})

    def _compile(self, alias: str) -> _Compiled:
        queryset = self._queryset()
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        fields = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        return _Compiled(*self._template(sql, params), converters, self._slices(sql))

    def _slices(self, sql: str) -> tuple[tuple[str, str], ...]:
        found = []
        for name, marker in self.markers.items():
            if isinstance(marker, _SliceMarker):
                if len(re.findall(rf"\b{marker.marker}\b", sql)) != 1:
                    raise CompileError(f"{name}: the slice is not written once in the SQL")
                found.append((str(marker.marker), name))
        return tuple(found)

    def _template(self, sql: str, params) -> tuple[str, tuple]:
        if "%%" in sql or len(re.findall("%s", sql)) != len(params):
            raise CompileError("the SQL's placeholders and values do not match")
        values = {
            marker.marker: (name, marker)
            for name, marker in self.markers.items()
            if isinstance(marker, Value)
        }
        template, found = [], set()
        for param in params:
            slot = self._slot(param, values)
            if slot is not None:
                found.add(slot.name)
            template.append(slot if slot is not None else param)
        slices = {name for name, m in self.markers.items() if isinstance(m, _SliceMarker)}
        missing = set(self.markers) - found - slices
        if missing:
            raise CompileError(f"markers not found in the SQL: {sorted(missing)}")
        return sql, tuple(template)

    @staticmethod
    def _slot(param, values) -> _Slot | None:
        if isinstance(param, bool) or not isinstance(param, int | str):
            return None
        if param in values:
            name, marker = values[param]
            if isinstance(marker, LikeText):
                raise CompileError(f"{name}: a LikeText compared as it is")
            return _Slot(name)
        if isinstance(param, str):
            for marker_value, (name, marker) in values.items():
                if isinstance(marker, LikeText) and marker_value in param:
                    return _Slot(name, like=param, marker=marker_value)
        return None


def _fill(param, values: dict, connection):
    if type(param) is not _Slot:
        return param
    value = values[param.name]
    if param.like is None:
        return value
    return param.like.replace(param.marker, connection.ops.prep_for_like_query(value))


def _convert(row: tuple, converters: dict, connection) -> tuple:
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for convert in functions:
            value = convert(value, expression, connection)
        row[position] = value
    return tuple(row)


def model_instance(model, names: tuple[str, ...], values):
    """An instance of ``model`` with these columns (attribute names) loaded from a row, as the
    ORM makes it: the other columns deferred, loaded on first use."""
    given = dict(zip(names, values, strict=True))
    fields = model._meta.concrete_fields
    return model.from_db(None, names, [given.get(f.attname, DEFERRED) for f in fields])
