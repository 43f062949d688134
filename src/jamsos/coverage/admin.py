"""Coverage in the admin: read-only, for administrators (the admin site refuses other roles).

Figures are written by the coverage job, targets by the target services (checked and audited),
published figures by their loader: the admin only shows them, so nothing changes unchecked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jamsos.access.scope import scope_for_user
from jamsos.coverage.models import (
    CoverageArea,
    CoverageOffice,
    CoverageRun,
    CoverageTarget,
    PublishedFigure,
)


def _is_administrator(request: HttpRequest) -> bool:
    return scope_for_user(request.user).is_admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages for every administrator; no add, change or delete."""

    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CoverageRun)
class CoverageRunAdmin(ReadOnlyAdmin):
    list_display = ["period_from", "period_to", "status", "stage", "started_at", "finished_at"]
    list_filter = ["status"]


@admin.register(CoverageArea)
class CoverageAreaAdmin(ReadOnlyAdmin):
    list_display = ["period", "region_code", "level", "segment", "ecosystem", "channel", "active"]
    list_filter = ["level", "segment"]
    search_fields = ["=region_code", "=period"]


@admin.register(CoverageOffice)
class CoverageOfficeAdmin(ReadOnlyAdmin):
    list_display = ["period", "branch_office", "segment", "ecosystem", "registered", "active"]
    list_select_related = ["branch_office"]
    search_fields = ["=period", "branch_office__code"]


@admin.register(CoverageTarget)
class CoverageTargetAdmin(ReadOnlyAdmin):
    list_display = [
        "level",
        "region_code",
        "branch_office",
        "segment",
        "target_period",
        "target_active",
        "source",
    ]
    list_filter = ["level", "segment"]
    list_select_related = ["branch_office"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ReadOnlyAdmin):
    list_display = ["region_code", "period", "segment", "measure", "value", "source"]
    list_filter = ["measure", "segment"]
    search_fields = ["=region_code", "source"]
