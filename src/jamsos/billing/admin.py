"""Billing in the admin: read-only, for administrators (the admin site refuses other roles).

Money never changes through the admin: runs, invoices, payments and ledger entries are written
by the billing run and the payment services only, each with its ledger entry and audit. The
admin shows them for inspection, with searches on the numbers people quote (invoice number,
virtual account, bank reference).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jamsos.access.scope import scope_for_user
from jamsos.billing.models import (
    Allocation,
    ArrearsCase,
    BillingRun,
    CaseContact,
    Invoice,
    InvoiceItem,
    JhtEntry,
    JournalEntry,
    Payer,
    Payment,
    PaymentPromise,
    PenaltyCharge,
    Posting,
    RunReject,
    Sponsorship,
    StatementFile,
)


def _is_administrator(request: HttpRequest) -> bool:
    return scope_for_user(request.user).is_admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages for every administrator (the role, not a Django permission); no
    add, change or delete for anyone."""

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


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "status", "stage", "started_at", "finished_at", "started_by"]
    list_filter = ["status"]
    search_fields = ["=period"]


@admin.register(RunReject)
class RunRejectAdmin(ReadOnlyAdmin):
    list_display = ["run", "membership", "field", "code"]
    list_filter = ["code"]
    raw_id_fields = ["run", "membership"]


@admin.register(Payer)
class PayerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "virtual_account", "branch_office", "credit_idr"]
    list_filter = ["kind"]
    search_fields = ["=virtual_account", "name", "=sponsor_ref"]
    raw_id_fields = ["employer", "person", "branch_office"]
    list_select_related = ["branch_office"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "payer", "period", "kind", "due_date", "total_idr", "paid_idr"]
    list_filter = ["status", "kind"]
    search_fields = ["=number", "=payer__virtual_account", "=period"]
    raw_id_fields = ["payer", "run"]
    list_select_related = ["payer"]


@admin.register(InvoiceItem)
class InvoiceItemAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "kind", "segment", "program", "due_date", "amount_idr", "paid_idr"]
    list_filter = ["kind", "segment", "program"]
    search_fields = ["=invoice__number"]
    raw_id_fields = ["invoice"]


@admin.register(Sponsorship)
class SponsorshipAdmin(ReadOnlyAdmin):
    list_display = ["reference", "payer", "first_period", "last_period"]
    search_fields = ["reference"]
    raw_id_fields = ["payer", "memberships"]


@admin.register(StatementFile)
class StatementFileAdmin(ReadOnlyAdmin):
    list_display = ["name", "lines", "posted", "already_posted", "amount_idr", "uploaded_at"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["bank_ref", "payer", "paid_on", "amount_idr", "allocated_idr", "channel"]
    list_filter = ["channel"]
    search_fields = ["=bank_ref", "=virtual_account"]
    raw_id_fields = ["payer", "statement"]
    date_hierarchy = "paid_on"


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["payment", "item", "amount_idr", "applied_on", "from_credit"]
    raw_id_fields = ["payment", "item"]


@admin.register(PenaltyCharge)
class PenaltyChargeAdmin(ReadOnlyAdmin):
    list_display = ["payer", "source_item", "months", "rate", "amount_idr", "accrued_on"]
    raw_id_fields = ["payer", "source_item", "billed_on"]


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ["account", "payer", "debit_idr", "credit_idr"]
    readonly_fields = fields
    raw_id_fields = ["payer"]
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["booked_on", "kind", "memo", "at"]
    list_filter = ["kind"]
    raw_id_fields = ["run", "payment"]
    inlines = [PostingInline]
    date_hierarchy = "booked_on"


@admin.register(JhtEntry)
class JhtEntryAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "period", "amount_idr", "booked_on"]
    list_filter = ["kind"]
    search_fields = ["=person__nik"]
    raw_id_fields = ["person", "line"]


@admin.register(ArrearsCase)
class ArrearsCaseAdmin(ReadOnlyAdmin):
    """Who works which payer's arrears (assigned on the case page or by the API)."""

    list_display = ["payer", "assigned_to", "assigned_by", "assigned_at"]
    list_select_related = ["payer", "assigned_to", "assigned_by"]
    search_fields = ["=payer__virtual_account", "payer__name"]


@admin.register(CaseContact)
class CaseContactAdmin(ReadOnlyAdmin):
    """Calls, visits, messages and letters logged on arrears cases."""

    list_display = ["payer", "contacted_on", "channel", "outcome", "recorded_by"]
    list_filter = ["channel", "outcome"]
    list_select_related = ["payer", "recorded_by"]
    search_fields = ["=payer__virtual_account", "payer__name"]


@admin.register(PaymentPromise)
class PaymentPromiseAdmin(ReadOnlyAdmin):
    """Promises to pay; whether each was kept is computed on the case page, never stored."""

    list_display = ["payer", "promised_on", "due_on", "amount_idr", "recorded_by"]
    list_select_related = ["payer", "recorded_by"]
    search_fields = ["=payer__virtual_account", "payer__name"]
