"""A list's query compiled once per process: its SQL is the same on every
request, only a few values (an authority, an agent) change.

Django builds and compiles a queryset on every request: for the agents'
work list that was a quarter of the page (issue 17, docs/capacity.md
seventh pass). `Prepared` builds the queryset once, with a sentinel in
place of each value, compiles it, finds the sentinels among the query's
parameters and keeps the SQL, the positions and Django's converters (the
functions that turn what the database gives into Python values, e.g.
SQLite's datetimes). Each execution puts the request's values in place of
the sentinels and runs the SQL through Django's cursor (the query counted,
logged and wrapped as any other).

The values must be integers (primary keys): the sentinels are integers no
row can have, and a sentinel found in the SQL text itself instead of its
parameters (Django inlines a few values) is refused, as is a value that
does not reach the parameters at all."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router

# Below any primary key; one per value, so that two values never mix.
# Within a 32-bit integer's range: Django drops a lookup whose value is out
# of the field's range (an AutoField id: the second-factor devices) from the
# SQL, and the sentinel would be missing from the parameters.
_SENTINEL = -2_147_000_001


class Prepared:
    """`build(key, **values)` (a `values_list` queryset with an ORDER BY)
    compiled once per database alias and `key` (what changes the SQL's
    shape: a tab, a flag), executed with other `values` (the same names
    for a given key)."""

    def __init__(self, build: Callable):
        self.build = build
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, key, alias: str, value_names) -> tuple:
        sentinels = {name: _SENTINEL - index for index, name in enumerate(sorted(value_names))}
        queryset = self.build(key, **sentinels).using(alias)
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in sentinels.items()}
        # A parameter may be unhashable (PostgreSQL's JSON key paths are lists).
        slots = [
            (position, by_value[p])
            for position, p in enumerate(params)
            if type(p) is int and p in by_value
        ]
        missing = set(sentinels) - {name for _position, name in slots}
        inlined = [name for name, value in sentinels.items() if str(value) in sql]
        if missing or inlined:
            raise ValueError(f"valeurs absentes des paramètres : {sorted(missing | set(inlined))}")
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        converters = list(compiler.get_converters(fields).items())
        # The columns' names in the SQL's order (ValuesListIterable's rule:
        # extra, then fields, then annotations).
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, list(params), slots, converters, names

    def _entry(self, key, alias: str, values: dict) -> tuple:
        entry = self._compiled.get((alias, key))
        if entry is None:
            entry = self._compiled[(alias, key)] = self._compile(key, alias, values)
        return entry

    def names(self, key, *, alias: str = "default", **values) -> list[str]:
        """The columns of `rows(key, …)`."""
        return self._entry(key, alias, values)[4]

    def rows(self, key, *, alias: str = "default", limit=None, offset=0, **values) -> list[tuple]:
        """The rows, each a tuple in `names(key)`'s order; `limit`/`offset`
        as the queryset's slice would give them (the SQL has an ORDER BY)."""
        sql, params, slots, converters, _names = self._entry(key, alias, values)
        params = list(params)
        for position, name in slots:
            params[position] = int(values[name])
        if limit is not None:
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [int(limit), int(offset)]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def count(self, key, *, alias: str = "default", **values) -> int:
        """The number of rows (the queryset's `count()`)."""
        sql, params, slots, _converters, _names = self._entry(key, alias, values)
        params = list(params)
        for position, name in slots:
            params[position] = int(values[name])
        with connections[alias].cursor() as cursor:
            # sql is Django's own compilation of our queryset; values are params.
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS prepared_rows", params)  # noqa: S608
            return cursor.fetchone()[0]


class PreparedList:
    """The rows of a `Prepared` query as a paginator reads a queryset:
    `count()` and slices, one query each; `make_row` turns each tuple into
    what the page shows (a model, a small row object)."""

    def __init__(self, prepared: Prepared, key, make_row: Callable, *, alias: str, **values):
        self.prepared = prepared
        self.key = key
        self.make_row = make_row
        self.alias = alias
        self.values = values

    def count(self) -> int:
        return self.prepared.count(self.key, alias=self.alias, **self.values)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start = window.start or 0
        if window.stop is not None and window.stop <= start:
            return []  # an empty slice: a queryset asks nothing either
        limit = None if window.stop is None else window.stop - start
        if limit is None and start:
            raise ValueError("une tranche sans fin doit commencer au début")
        rows = self.prepared.rows(
            self.key, alias=self.alias, limit=limit, offset=start, **self.values
        )
        return [self.make_row(row) for row in rows]


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


class PreparedInstances:
    """Model instances of a queryset compiled once per process (a `Prepared`
    over its concrete fields), for the lookups every request makes (the
    signed-in account, its second-factor device, an agent's memberships):
    Django's ORM built and compiled each of them anew, about 500 calls a
    query (docs/capacity.md, eighth pass).

    `build(**values)` gives a queryset of `model` (filters and order only:
    no values(), no only()/defer(), no annotations); `related` names
    forward ForeignKeys joined as `select_related` joins them (INNER JOIN of
    a non-null key): each instance gets its related object cached, so that
    `membership.authority` asks nothing. The instances are what the ORM
    gives: `model.from_db` with every concrete field, `_state.db` set."""

    def __init__(self, model, build: Callable, *, related: tuple[str, ...] = ()):
        self.model = model
        self.fields = _attnames(model)
        self.joined = []
        names = list(self.fields)
        for name in related:
            field = model._meta.get_field(name)
            if not field.many_to_one or field.null:
                raise ValueError(f"{name} : une clé étrangère non nulle est attendue")
            attnames = _attnames(field.related_model)
            self.joined.append((field, attnames))
            names += [f"{name}__{attname}" for attname in attnames]
        self.prepared = Prepared(lambda _key, **values: build(**values).values_list(*names))

    def list(self, *, alias: str | None = None, **values) -> list:
        alias = alias or router.db_for_read(self.model)
        rows = self.prepared.rows(None, alias=alias, **values)
        width = len(self.fields)
        instances = []
        for row in rows:
            instance = self.model.from_db(alias, self.fields, row[:width])
            start = width
            for field, attnames in self.joined:
                end = start + len(attnames)
                field.set_cached_value(
                    instance, field.related_model.from_db(alias, attnames, row[start:end])
                )
                start = end
            instances.append(instance)
        return instances

    def first(self, *, alias: str | None = None, **values):
        """The first instance in the queryset's order, or None (the
        queryset should select one row: a primary key)."""
        found = self.list(alias=alias, **values)
        return found[0] if found else None
