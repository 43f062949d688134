"""Refusals of the membership services: a stable code, the field at fault, a message in id/en.

The message is rendered in the active language (Bahasa Indonesia unless a request or
``translation.override`` says otherwise); ``message_in("en")`` gives it in another language.
"""

from __future__ import annotations

from typing import Any, ClassVar

from jamsos.core.errors import (
    ApplicationError,
    NotPermitted,  # noqa: F401  (raised by every app's policy)
)
from jamsos.membership.messages import FIELD_LABELS, MESSAGES, derived_values


class MembershipError(ApplicationError):
    """Base of the membership refusals. ``reason`` keys :data:`messages.MESSAGES`."""

    code: ClassVar[str] = "membership.error"
    labels = FIELD_LABELS
    messages = MESSAGES

    def values(self, language: str) -> dict[str, Any]:
        return {**super().values(language), **derived_values(self.reason, language, self.params)}


class RequiredField(MembershipError):
    code = "membership.required"
    reason = "required"


class InvalidChoice(MembershipError):
    code = "membership.invalid_choice"
    reason = "invalid_choice"


class InvalidDate(MembershipError):
    code = "membership.invalid_date"
    reason = "invalid_date"


class InvalidNik(MembershipError):
    code = "membership.invalid_nik"
    reason = "invalid_nik"
    default_field = "nik"


class NikRegionUnknown(MembershipError):
    code = "membership.nik_region_unknown"
    reason = "nik_region_unknown"
    default_field = "nik"


class NikBirthDateMismatch(MembershipError):
    code = "membership.nik_birth_date_mismatch"
    reason = "nik_birth_date_mismatch"
    default_field = "birth_date"


class NikSexMismatch(MembershipError):
    code = "membership.nik_sex_mismatch"
    reason = "nik_sex_mismatch"
    default_field = "sex"


class BirthDateInFuture(MembershipError):
    code = "membership.birth_date_in_future"
    reason = "birth_date_in_future"
    default_field = "birth_date"


class InvalidPhone(MembershipError):
    code = "membership.invalid_phone"
    reason = "invalid_phone"
    default_field = "phone"


class DuplicateNik(MembershipError):
    """The NIK is registered already; the message names that record (NIK masked)."""

    code = "membership.duplicate_nik"
    reason = "duplicate_nik"
    default_field = "nik"
    http_status = 409


class InvalidNpwp(MembershipError):
    code = "membership.invalid_npwp"
    reason = "invalid_npwp"
    default_field = "npwp"


class DuplicateNpwp(MembershipError):
    code = "membership.duplicate_npwp"
    reason = "duplicate_npwp"
    default_field = "npwp"
    http_status = 409


class ProgramNotAllowed(MembershipError):
    code = "membership.program_not_allowed"
    reason = "program_not_allowed"
    default_field = "programs"


class StartBeforeLaw(MembershipError):
    code = "membership.start_before_law"
    reason = "start_before_law"
    default_field = "start_date"


class StartBeforeBirth(MembershipError):
    code = "membership.start_before_birth"
    reason = "start_before_birth"
    default_field = "start_date"


class WrongRegionLevel(MembershipError):
    code = "membership.region_level"
    reason = "region_level"


class NoBranchOffice(MembershipError):
    code = "membership.no_branch_office"
    reason = "no_branch_office"
    default_field = "branch_office"


class DuplicateBranchOffice(MembershipError):
    code = "membership.duplicate_branch_office"
    reason = "duplicate_branch_office"
    default_field = "code"
    http_status = 409


class AmountNotPositive(MembershipError):
    code = "membership.amount_not_positive"
    reason = "not_positive"


class OutOfRange(MembershipError):
    code = "membership.out_of_range"
    reason = "out_of_range"


class MembershipAlreadyActive(MembershipError):
    code = "membership.already_active"
    reason = "already_active"
    http_status = 409


class OutsidePartnerRegions(MembershipError):
    """A partner registers only people living in its agreement's regions."""

    code = "membership.outside_partner_regions"
    reason = "outside_partner_regions"
    default_field = "domicile"
    http_status = 403


class OutsideOfficeArea(MembershipError):
    """A branch officer registers migrant workers living in the office's service area only."""

    code = "membership.outside_office_area"
    reason = "outside_office_area"
    default_field = "domicile"
    http_status = 403


class MembershipAlreadyEnded(MembershipError):
    code = "membership.already_ended"
    reason = "already_ended"
    default_field = "end_date"
    http_status = 409


class EndBeforeStart(MembershipError):
    code = "membership.end_before_start"
    reason = "end_before_start"
    default_field = "end_date"


class InvalidPeriod(MembershipError):
    code = "membership.invalid_period"
    reason = "invalid_period"
    default_field = "period"


class WageAlreadyReported(MembershipError):
    code = "membership.wage_already_reported"
    reason = "wage_already_reported"
    default_field = "period"
    http_status = 409


class PeriodOutsideMembership(MembershipError):
    code = "membership.period_outside_membership"
    reason = "period_outside_membership"
    default_field = "period"


class WrongSegment(MembershipError):
    code = "membership.wrong_segment"
    reason = "wrong_segment"
    default_field = "membership"


class SponsorIncomplete(MembershipError):
    code = "membership.sponsor_incomplete"
    reason = "sponsor_incomplete"
    default_field = "sponsor"


class NikInAddress(MembershipError):
    """A NIK in a query string, where server and proxy logs would keep it."""

    code = "membership.nik_in_address"
    reason = "nik_in_address"
    default_field = "q"


class PersonNotFound(MembershipError):
    code = "membership.person_not_found"
    reason = "person_not_found"
    default_field = ""
    http_status = 404


class PersonIdNotFound(PersonNotFound):
    """:class:`PersonNotFound` by record number rather than NIK."""

    reason = "person_id_not_found"


class EmployerNotFound(MembershipError):
    code = "membership.employer_not_found"
    reason = "employer_not_found"
    default_field = ""
    http_status = 404


class MembershipNotFound(MembershipError):
    code = "membership.membership_not_found"
    reason = "membership_not_found"
    default_field = ""
    http_status = 404


class WageTooLow(MembershipError):
    """A monthly wage under the registry's floor (legal/parameters/minimum_wage/absurd_floor.yaml):
    a typing slip such as Rp 100, refused; a wage under the minimum wage is flagged instead."""

    code = "membership.wage_too_low"
    reason = "wage_too_low"
    default_field = "wage"


class NotEmployersWorker(MembershipError):
    """A wage line for a membership that is not an active wage earner of the employer."""

    code = "membership.not_employers_worker"
    reason = "not_employers_worker"
    default_field = "kpj"


class DemoRegionsMissing(MembershipError):
    code = "membership.demo_regions_missing"
    reason = "demo_regions_missing"


class DemoTooSmall(MembershipError):
    code = "membership.demo_too_small"
    reason = "demo_too_small"
    default_field = "workers"


def error_for(code: str) -> type[MembershipError]:
    """The error class of a stable code (``membership.invalid_nik`` → :class:`InvalidNik`)."""
    for cls in MembershipError.__subclasses__():
        if cls.code == code:
            return cls
    raise KeyError(code)
