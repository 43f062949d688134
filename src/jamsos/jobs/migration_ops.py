"""Migration operations to make an existing model a kind of job (ADR 0106).

A domain record that becomes a :class:`~jamsos.jobs.models.Job` subclass keeps its table and
its ``id`` column: the data migration first writes one ``jobs_job`` row per record (with the
record's machinery columns), then :class:`IdBecomesJobLink` turns ``id`` into the parent link
to that row (the auto-increment dropped, a foreign key to ``jobs_job`` added) and changes the
model's base in the migration state. Foreign keys from other tables to the record keep pointing
at the same column and values.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.operations.base import Operation


class IdBecomesJobLink(Operation):
    """``<model>.id`` (an auto field) becomes ``field_name``, the model's parent link to
    ``jobs.Job`` (``db_column="id"``, primary key); the model's base becomes ``jobs.job``."""

    reversible = False

    def __init__(self, model_name: str, field_name: str, field: Any) -> None:
        self.model_name = model_name.lower()
        self.field_name = field_name
        self.field = field

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "field_name": self.field_name, "field": self.field},
        )

    def state_forwards(self, app_label: str, state: Any) -> None:
        model_state = state.models[app_label, self.model_name]
        model_state.fields.pop("id")
        model_state.fields[self.field_name] = self.field
        model_state.bases = ("jobs.job",)
        state.reload_model(app_label, self.model_name, delay=False)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        old_model = from_state.apps.get_model(app_label, self.model_name)
        new_model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.alter_field(
            old_model,
            old_model._meta.get_field("id"),
            new_model._meta.get_field(self.field_name),
        )

    def describe(self) -> str:
        return f"{self.model_name}.id becomes its link to jobs.Job"


def reset_job_ids(job_model: Any) -> None:
    """Move the ``jobs_job`` id sequence past the ids written with explicit values."""
    for sql in connection.ops.sequence_reset_sql(no_style(), [job_model]):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def process_of(host: str, pid: int | None) -> str:
    """``host:pid`` from the old columns (empty when both are)."""
    if not host and not pid:
        return ""
    return f"{host}:{pid if pid else ''}"
