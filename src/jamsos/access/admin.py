"""Admin for accounts' roles, API tokens and the audit trail (read-only).

The admin site itself is for administrators only: a staff account with another role is
refused, so that the admin cannot be used to step outside a scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jamsos.access.models import ApiToken, AuditEvent, UserAccess
from jamsos.access.scope import scope_for_user


def _administrators_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and scope_for_user(user).is_admin)


admin.site.has_permission = _administrators_only  # type: ignore[method-assign]


@admin.register(UserAccess)
class UserAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "branch_office", "employer", "partner_ref", "is_demo"]
    list_filter = ["role", "is_demo"]
    search_fields = ["user__username", "partner_ref", "=employer__npp", "branch_office__code"]
    raw_id_fields = ["user", "branch_office", "employer", "person", "partner_regions"]
    list_select_related = ["user", "branch_office", "employer"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # tokens are issued with `jamsos users token`, shown once


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "role",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "channel",
        "ip",
    ]
    list_filter = ["action", "channel", "role", "target_type"]
    search_fields = ["actor_name", "=target_id", "target_label"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
