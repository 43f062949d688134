"""Membership services: the only writers of the membership tables.

Keyword-only, one transaction each, refusing with ``jamsos.membership.errors`` (stable codes,
messages in Bahasa Indonesia and English).
"""

from jamsos.membership.services.employers import (
    association_get_or_create,
    branch_office_create,
    branch_office_for_village,
    employer_register,
)
from jamsos.membership.services.memberships import (
    bpu_income_change,
    bpu_self_register,
    bpu_sponsor_set,
    construction_project_register,
    jakon_worker_register,
    membership_end,
    membership_programs_change,
    pmi_register,
    pu_worker_register,
    wage_report_submit,
)
from jamsos.membership.services.people import PersonData, person_register, person_update
from jamsos.membership.services.registration_bulk import (
    BpuTerms,
    Registered,
    Registration,
    RegistrationRequest,
    Written,
    register_many,
    registrations_check,
    registrations_write,
)
from jamsos.membership.services.validation import PeopleValidation, validate_people
from jamsos.membership.services.wages import WageBatch, wages_report, wages_same_as_last_month

__all__ = [
    "BpuTerms",
    "PeopleValidation",
    "PersonData",
    "Registered",
    "Registration",
    "RegistrationRequest",
    "WageBatch",
    "Written",
    "association_get_or_create",
    "bpu_income_change",
    "bpu_self_register",
    "bpu_sponsor_set",
    "branch_office_create",
    "branch_office_for_village",
    "construction_project_register",
    "employer_register",
    "jakon_worker_register",
    "membership_end",
    "membership_programs_change",
    "person_register",
    "person_update",
    "pmi_register",
    "pu_worker_register",
    "register_many",
    "registrations_check",
    "registrations_write",
    "validate_people",
    "wage_report_submit",
    "wages_report",
    "wages_same_as_last_month",
]
