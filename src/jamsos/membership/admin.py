"""Admin for the membership tables. NIK and phone are masked in lists (3204********0001).

People, employers, memberships and their history are read-only here: registrations and changes
go through the services, which check the NIK, the law and write the history. Branch offices and
associations are edited here. Lists skip the full count (``show_full_result_count``) so that
they stay fast on millions of rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jamsos.core.masking import mask_nik, mask_phone
from jamsos.membership.models import (
    Association,
    BranchOffice,
    ConstructionProject,
    DemoPopulation,
    Employer,
    IdentifierSequence,
    Membership,
    MembershipEvent,
    Person,
    Placement,
    WageReport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History rows: visible, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.display(description="NIK", ordering="nik")
def masked_nik(person: Person) -> str:
    return mask_nik(person.nik)


@admin.display(description="Phone")
def masked_phone(person: Person) -> str:
    return mask_phone(person.phone)


@admin.register(BranchOffice)
class BranchOfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["=code", "name"]
    filter_horizontal = ["service_area"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "service_area":
            from jamsos.registry.models import Level, Region

            kwargs["queryset"] = Region.objects.filter(
                edition__is_current=True, level=Level.REGENCY
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["=code", "name"]


class MembershipInline(ReadOnlyInline):
    model = Membership
    fk_name = "person"
    fields = ["kpj", "segment", "employer", "programs", "start_date", "end_date", "status"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    ordering = ["-id"]  # the primary key index: no sort of millions of rows
    list_display = [masked_nik, "name", "birth_date", "sex", masked_phone, "domicile", "source"]
    list_filter = ["sex", "source"]
    search_fields = ["=nik", "name", "=memberships__kpj"]
    raw_id_fields = ["domicile"]
    readonly_fields = ["search_name", "created_at", "updated_at"]
    list_select_related = ["domicile"]
    show_full_result_count = False
    inlines = [MembershipInline]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        """The detail shows the full NIK and phone: written to the audit trail."""
        from jamsos.access.audit import audit_record
        from jamsos.access.models import AuditAction
        from jamsos.access.scope import scope_for_user

        response = super().change_view(request, object_id, form_url, extra_context)
        person = Person.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if person is not None and response.status_code == 200:
            audit_record(
                scope_for_user(request.user),
                AuditAction.VIEW_FULL,
                person,
                detail={"page": "admin"},
            )
        return response


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    ordering = ["-id"]  # the primary key index: no sort of millions of rows
    list_display = ["npp", "legal_name", "size", "sector", "risk_class", "branch_office", "source"]
    list_filter = ["size", "sector", "risk_class", "industry", "source"]
    search_fields = ["=npp", "=npwp", "legal_name"]
    raw_id_fields = ["address_village", "branch_office"]
    filter_horizontal = ["associations"]
    readonly_fields = ["npp", "created_at", "updated_at"]
    list_select_related = ["branch_office"]
    show_full_result_count = False


@admin.register(ConstructionProject)
class ConstructionProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "contractor", "contract_value_idr", "start_date", "end_date"]
    search_fields = ["name", "=contractor__npp"]
    raw_id_fields = ["contractor", "village"]
    list_select_related = ["contractor"]
    show_full_result_count = False


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["person", "destination_country", "placement_months", "start_date", "end_date"]
    list_filter = ["destination_country", "placement_months"]
    search_fields = ["=person__nik", "person__name"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]
    show_full_result_count = False


class WageReportInline(ReadOnlyInline):
    model = WageReport
    fields = ["period", "wage_idr", "reported_at", "source"]
    readonly_fields = fields
    ordering = ["-period"]


class MembershipEventInline(ReadOnlyInline):
    model = MembershipEvent
    fields = ["at", "kind", "data", "actor"]
    readonly_fields = fields
    ordering = ["-at", "-id"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    ordering = ["-id"]  # the primary key index: no sort of millions of rows
    list_display = [
        "kpj",
        "person_nik",
        "person_name",
        "segment",
        "programs",
        "start_date",
        "end_date",
        "status",
    ]
    list_filter = ["segment", "status", "programs", "channel", "ecosystem", "source"]
    search_fields = ["=kpj", "=person__nik", "person__name"]
    raw_id_fields = ["person", "employer", "project", "placement"]
    readonly_fields = ["kpj", "created_at", "updated_at"]
    list_select_related = ["person"]
    show_full_result_count = False
    inlines = [WageReportInline, MembershipEventInline]

    @admin.display(description="NIK", ordering="person__nik")
    def person_nik(self, membership: Membership) -> str:
        return mask_nik(membership.person.nik)

    @admin.display(description="Name", ordering="person__name")
    def person_name(self, membership: Membership) -> str:
        return membership.person.name


@admin.register(WageReport)
class WageReportAdmin(ReadOnlyAdmin):
    ordering = ["-id"]  # the primary key index: no sort of millions of rows
    list_display = ["membership", "period", "wage_idr", "reported_at", "source"]
    list_filter = ["period", "source"]
    search_fields = ["=membership__kpj"]
    list_select_related = ["membership"]
    show_full_result_count = False


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdmin):
    ordering = ["-id"]  # the primary key index: no sort of millions of rows
    list_display = ["membership", "kind", "at", "actor"]
    list_filter = ["kind"]
    search_fields = ["=membership__kpj"]
    list_select_related = ["membership", "actor"]
    show_full_result_count = False


@admin.register(IdentifierSequence)
class IdentifierSequenceAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_value"]
    search_fields = ["name"]


@admin.register(DemoPopulation)
class DemoPopulationAdmin(ReadOnlyAdmin):
    list_display = ["seed", "workers", "as_of", "built_at", "seconds"]
