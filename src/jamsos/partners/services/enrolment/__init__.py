"""Bulk and sponsored enrolment (docs/partners/enrolment.md).

A partner (its partner user, or a branch officer on its behalf) uploads a list of workers of
one of three kinds (:class:`BatchKind`):

- ``association``: workers of the member companies of an employer association, each with the
  employer's NPP; registered as PU with that employer (``pu_worker_register``);
- ``election``: ad hoc election workers for a fixed term (``term_from`` .. ``term_until``), the
  regional government paying: BPU JKK+JKM memberships ending by themselves after
  ``term_until`` (:mod:`jamsos.membership.services.terms`), sponsored by the partner;
- ``sponsored``: vulnerable workers whose BPU JKK+JKM contributions a regional budget, a
  company (CSR) or a zakat body pays for a period.

The path: :func:`batch_stage` reads the file (the bulk upload's reader), refuses it as a whole
when a required column is missing (nothing is written), keeps every row with its verdict
(:class:`RowStatus`: valid, invalid, duplicate, existing) after checking it and matching it
against the registry (``jamsos.partners.services.matching.match_rows``); :func:`batch_approve`
(a branch officer of the batch's office, never the uploader; the agreement in force) enrols the
valid rows in one transaction and, for election and sponsored lists, records the sponsorship so
that the next billing run sends one invoice to the sponsor; :func:`batch_reject` closes it with
a note. :func:`batch_result_file` gives the partner every row with its status and reason in
Bahasa Indonesia and English, and the KPJ of those enrolled.

The stages, one module each: :mod:`.errors` (the refusals), :mod:`.columns` (each kind's
columns, statuses and reasons in both languages), :mod:`.parse` (the file, read by
:func:`jamsos.uploads.parsing.read_table`), :mod:`.stage` with :mod:`.checks` and
:mod:`.match`, :mod:`.checker` (maker-checker), :mod:`.approve`, :mod:`.reject` and
:mod:`.results`.

The idempotency key (unique per partner) makes a retried upload the same batch: the same key
with the same file returns the batch already made; with another file it is refused.
"""

from __future__ import annotations

from jamsos.core.clock import today_in_jakarta
from jamsos.partners.errors import BatchNotFound, EnrolmentError
from jamsos.partners.services.enrolment.approve import (
    APPROVE_ATTEMPTS,
    ApproveResult,
    batch_approve,
    income_minimum,
)
from jamsos.partners.services.enrolment.checker import require_checker
from jamsos.partners.services.enrolment.checks import NAME_MAX, START_DATE_AHEAD_DAYS
from jamsos.partners.services.enrolment.columns import (
    BATCH_STATUS_TEXT,
    COLUMNS,
    MESSAGES,
    STATUS_TEXT,
    column_spec,
    columns_for,
    reason_text,
)
from jamsos.partners.services.enrolment.errors import (
    AccountRequired,
    BadFormat,
    BadKind,
    KeyRequired,
    KeyReused,
    NoAgreement,
    NotAnAssociation,
    NotChecker,
    NoteRequired,
    NothingToEnrol,
    NotPending,
    NotUploader,
    SameAsUploader,
    SponsorKindInvalid,
    SponsorNotOwn,
    TermOver,
    TermRequired,
    WrongColumns,
)
from jamsos.partners.services.enrolment.parse import parse_list
from jamsos.partners.services.enrolment.reject import batch_reject
from jamsos.partners.services.enrolment.results import (
    RESULT_HEADER,
    batch_result_file,
    row_reasons,
)
from jamsos.partners.services.enrolment.stage import StageResult, batch_stage, require_uploader

__all__ = [
    "APPROVE_ATTEMPTS",
    "BATCH_STATUS_TEXT",
    "COLUMNS",
    "MESSAGES",
    "NAME_MAX",
    "RESULT_HEADER",
    "START_DATE_AHEAD_DAYS",
    "STATUS_TEXT",
    "AccountRequired",
    "ApproveResult",
    "BadFormat",
    "BadKind",
    "BatchNotFound",
    "EnrolmentError",
    "KeyRequired",
    "KeyReused",
    "NoAgreement",
    "NotAnAssociation",
    "NotChecker",
    "NotPending",
    "NotUploader",
    "NoteRequired",
    "NothingToEnrol",
    "SameAsUploader",
    "SponsorKindInvalid",
    "SponsorNotOwn",
    "StageResult",
    "TermOver",
    "TermRequired",
    "WrongColumns",
    "batch_approve",
    "batch_reject",
    "batch_result_file",
    "batch_stage",
    "column_spec",
    "columns_for",
    "income_minimum",
    "parse_list",
    "reason_text",
    "require_checker",
    "require_uploader",
    "row_reasons",
    "today_in_jakarta",
]
