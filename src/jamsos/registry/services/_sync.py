"""Idempotent upserts of small keyed tables: create the new, update the changed, count the rest."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

_K = TypeVar("_K", bound=Hashable)


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        if not self.changed:
            return f"nothing to do, {self.unchanged:,} unchanged"
        text = f"created {self.created:,}, updated {self.updated:,}, unchanged {self.unchanged:,}"
        return text + (f", deleted {self.deleted:,}" if self.deleted else "")


def sync_rows(
    queryset: models.QuerySet[Any],
    *,
    key_fields: Sequence[str],
    desired: Mapping[_K, Mapping[str, Any]],
    delete_missing: bool = False,
) -> SyncResult:
    """Make ``queryset`` hold exactly ``desired`` (keyed by ``key_fields`` values) for those keys.

    ``desired`` maps a key tuple to the other field values. Rows of ``queryset`` whose key is not
    desired are deleted only with ``delete_missing``. Three statements at most, whatever the size.
    """
    model = queryset.model
    value_fields = sorted({name for values in desired.values() for name in values})
    result = SyncResult()
    existing: dict[Hashable, tuple[int, dict[str, Any]]] = {}
    for row in queryset.values("pk", *key_fields, *value_fields):
        existing[tuple(row[f] for f in key_fields)] = (
            row["pk"],
            {f: row[f] for f in value_fields},
        )
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for key, values in desired.items():
        key_tuple: tuple[Any, ...] = key if isinstance(key, tuple) else (key,)
        found = existing.get(key_tuple)
        if found is None:
            to_create.append(model(**dict(zip(key_fields, key_tuple, strict=True)), **values))
        elif any(found[1].get(name) != value for name, value in values.items()):
            to_update.append(model(pk=found[0], **values))
        else:
            result.unchanged += 1
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, value_fields, batch_size=500)
    if delete_missing:
        wanted = {k if isinstance(k, tuple) else (k,) for k in desired}
        stale = [pk for key, (pk, _) in existing.items() if key not in wanted]
        if stale:
            model._default_manager.filter(pk__in=stale).delete()
        result.deleted = len(stale)
    result.created, result.updated = len(to_create), len(to_update)
    return result
