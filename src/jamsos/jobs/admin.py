from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from jamsos.jobs.models import Job

if TYPE_CHECKING:
    _JobAdminBase = admin.ModelAdmin[Job]
else:  # ModelAdmin takes no type argument at run time
    _JobAdminBase = admin.ModelAdmin


@admin.register(Job)
class JobAdmin(_JobAdminBase):
    """Every job of every kind, read only: the domain records are edited by their services."""

    list_display = ["id", "kind", "lock_key", "status", "stage", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=lock_key", "started_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
