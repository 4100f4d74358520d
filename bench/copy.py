"""Bulk loading with PostgreSQL COPY, filling what a model's save() would have filled.

The benchmark writes millions of rows; one ORM save per row would take hours. `CopyWriter`
takes the columns the generator decides and fills every other NOT NULL column from the model
itself (its default, or now for auto_now fields), so a field added to a model later either gets
its default here or stops the generator with its name instead of failing deep inside COPY.
"""

import json
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone


class CopyWriter:
    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        given = list(columns)
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in given if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        now = timezone.now()
        extra_names, extra_values = [], []
        for attname, field in fields.items():
            if attname in given or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                continue
            elif field.empty_strings_allowed and not field.is_relation:
                value = ""  # what Field.get_default() gives a blank text field
            else:
                raise ValueError(f"{model.__name__}.{attname} needs a value")
            extra_names.append(attname)
            extra_values.append(self._prepare(field, value))
        self.fields = [fields[name] for name in given]
        self.columns = [fields[name].column for name in given + extra_names]
        self.extra = tuple(extra_values)
        self.json_positions = [
            index for index, field in enumerate(self.fields) if isinstance(field, models.JSONField)
        ]

    @staticmethod
    def _prepare(field, value):
        if isinstance(field, models.JSONField):
            return json.dumps(value, ensure_ascii=False)
        return value

    def write(self, rows: Iterable[Sequence]) -> int:
        count = 0
        columns = ", ".join(f'"{name}"' for name in self.columns)
        json_positions = self.json_positions
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor, for COPY
            with raw.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    if json_positions:
                        row = list(row)
                        for index in json_positions:
                            row[index] = json.dumps(row[index], ensure_ascii=False)
                    copy.write_row((*row, *self.extra))
                    count += 1
        return count


def copy_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    return CopyWriter(model, columns).write(rows)


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return cursor.fetchone()[0]


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After explicit ids, point each table's id sequence past the largest one."""
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"  # noqa: S608, E501
            cursor.execute(sql, [table])
