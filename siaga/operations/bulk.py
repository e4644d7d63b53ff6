"""Many rows into one table at once: an import's regions, TPS and people, a plan version's posts
and assignments. The one home of bulk writing to the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models

BATCH = 2000
# Values of these field types go to the database as they are (the drivers adapt str, int,
# float, bool and None themselves); any other field (JSON, dates) is adapted by Django, as the
# ORM would adapt it.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
    models.ForeignKey,
)


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert `rows` (field attname -> value; a field left out takes its default) in order, in
    the caller's transaction (they commit or roll back with the rest of its work).

    On PostgreSQL one COPY on the transaction's own connection; elsewhere (SQLite) one
    prepared INSERT run for batches of rows. Neither builds a model instance per row, which is
    most of an ORM `bulk_create`'s time. Values must already have their field's Python type
    (the core's dataclasses guarantee it); fields filled in by `pre_save` (auto_now) are not
    supported. The rows' primary keys are not returned: read them back by a natural key.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    prepare = [(i, f) for i, f in enumerate(fields) if not isinstance(f, _AS_IS)]
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)

    def values(row: dict[str, Any]) -> list[Any]:
        out = [row[name] if name in row else defaults[name] for name in names]
        for i, field in prepare:
            out[i] = field.get_db_prep_save(out[i], connection)
        return out

    # Django's wrapper turns the driver's errors into django.db's (IntegrityError ...), as the ORM does.
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(values(row))
        return
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        batch: list[list[Any]] = []
        for row in rows:
            batch.append(values(row))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
