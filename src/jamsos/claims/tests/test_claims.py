"""Claims from intake to money: eligibility from the records, the engine's trace, the workflow,
payment with its ledger entries, and the refusals that write nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jamsos.access.models import AuditEvent
from jamsos.billing.models import JhtEntry, JhtKind, JournalEntry
from jamsos.billing.services.jht import jht_balance
from jamsos.billing.services.ledger import ledger_check
from jamsos.claims import errors
from jamsos.claims.models import Claim, ClaimDocument, ClaimEvent, ClaimStatus
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, assess, claim_submit
from jamsos.claims.services.payment import claim_pay
from jamsos.claims.services.workflow import (
    claim_approve,
    claim_reject,
    claim_report_outcome,
    claim_verify,
)
from jamsos.claims.tests.conftest import JPEG, PDF, PNG, TODAY
from jamsos.membership.tests.factories import person_create

pytestmark = pytest.mark.django_db


def _jht_partial(cw, case="partial_10", **extra):
    data = {
        "nik": cw.person.nik,
        "program": "JHT",
        "case": case,
        "event_date": TODAY,
        "bank_code": "014",
        "account_number": "1234567890",
        "account_name": "SITI RAHAYU",
    }
    data.update(extra)
    return ClaimInput(**data)


def _counts():
    return (
        Claim.objects.count(),
        ClaimEvent.objects.count(),
        ClaimDocument.objects.count(),
        JournalEntry.objects.count(),
    )


def _docs(cw, claim, kinds, by="officer"):
    for kind in kinds:
        document_add(cw.scope(by), claim.number, kind=kind, name=f"{kind}.pdf", content=PDF)


def test_a_worker_claims_10_percent_of_jht_and_the_trace_names_the_law(cw):
    claim = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.channel == "worker"
    facts = claim.eligibility["facts"]
    assert facts["contribution_months"] == 136
    assert facts["balance_idr"] == 40_000_000
    assert facts["age"] == 60
    assert claim.amount_idr == 4_000_000
    line = claim.trace["lines"][0]
    assert line["benefit"] == "jht_balance"
    assert line["amount_idr"] == 4_000_000
    assert line["parameter"]
    assert line["reference"]
    assert line["confidence"]
    assert claim.trace["request"]["membership_months"] >= 120
    # JHT under Rp 10 M: decided the same working day.
    assert timezone.localtime(claim.due_at).date() >= timezone.localtime(claim.submitted_at).date()
    assert claim.due_at - claim.submitted_at < timedelta(days=4)
    assert AuditEvent.objects.filter(target_id=str(claim.pk), action="create").exists()


def test_a_second_partial_jht_is_refused_and_writes_nothing(cw):
    claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    before = _counts()
    with pytest.raises(errors.PartialJhtTaken) as refused:
        claim_submit(cw.scope("worker"), _jht_partial(cw, case="partial_30"), today=TODAY)
    assert refused.value.field == "case"
    assert "sekali" in refused.value.message_in("id")
    assert _counts() == before


def test_a_person_not_covered_is_refused(cw, regions):
    stranger = person_create(domicile=regions.cileunyi_kulon, name="Tanpa Kepesertaan")
    before = _counts()
    with pytest.raises(errors.NotCovered) as refused:
        claim_submit(
            None,
            ClaimInput(
                nik=stranger.nik,
                program="JKM",
                case="death",
                event_date=date(2026, 10, 1),
                relationship="spouse",
                claimant_name="Ibu",
            ),
            today=TODAY,
        )
    assert "tidak terdaftar dalam program JKM" in refused.value.message_in("id")
    assert _counts() == before


def test_a_date_before_the_program_existed_is_refused(cw):
    before = _counts()
    with pytest.raises(errors.BeforeProgram) as refused:
        claim_submit(
            cw.scope("officer"),
            ClaimInput(
                nik=cw.young.person.nik,
                program="JKP",
                case="job_loss",
                event_date="2020-06-01",
            ),
            today=TODAY,
        )
    assert refused.value.field == "event_date"
    assert "2021-02-02" in refused.value.message_in("en")
    assert _counts() == before


def test_a_jkp_claim_after_its_deadline_is_refused(cw):
    before = _counts()
    with pytest.raises(errors.JkpDeadlinePassed) as refused:
        claim_submit(
            cw.scope("young"),
            ClaimInput(
                nik=cw.young.person.nik,
                program="JKP",
                case="job_loss",
                event_date="2026-03-10",
            ),
            today=TODAY,
        )
    assert "2026-09-10" in refused.value.message_in("id")
    assert _counts() == before


def test_an_unreadable_document_is_refused_and_nothing_is_stored(cw, tmp_path):
    claim = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    with pytest.raises(errors.DocumentUnreadable) as refused:
        document_add(
            cw.scope("worker"),
            claim.number,
            kind="ktp",
            name="ktp.pdf",
            content=b"MZ\x90\x00 this is not a document" * 4,
        )
    assert refused.value.field == "file"
    with pytest.raises(errors.DocumentUnreadable):
        document_add(cw.scope("worker"), claim.number, kind="ktp", name="cut.pdf", content=PDF[:40])
    with pytest.raises(errors.DocumentTooLarge):
        document_add(
            cw.scope("worker"),
            claim.number,
            kind="ktp",
            name="big.png",
            content=PNG + b"\x00" * (5 * 1024 * 1024),
        )
    assert not ClaimDocument.objects.exists()
    assert not (tmp_path / "claims").exists() or not any((tmp_path / "claims").rglob("*.*"))
    doc = document_add(cw.scope("worker"), claim.number, kind="ktp", name="ktp.jpg", content=JPEG)
    assert doc.content_type == "image/jpeg"
    assert (tmp_path / doc.path).read_bytes() == JPEG


def test_the_jht_claim_is_verified_approved_paid_once_and_debits_the_jht_account(cw):
    claim = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    with pytest.raises(errors.DocumentsMissing):
        claim_verify(cw.scope("officer"), claim.number)
    _docs(cw, claim, ["ktp", "bank_book"], by="worker")
    with pytest.raises(errors.NotPermitted):
        claim_verify(cw.scope("worker"), claim.number)
    claim_verify(cw.scope("officer"), claim.number)
    claim = claim_approve(cw.scope("officer"), claim.number)
    assert claim.status == ClaimStatus.APPROVED
    assert not claim.needs_second_approval
    first = claim_pay(
        cw.scope("officer"), claim.number, idempotency_key="pay-1", paid_on=date(2026, 11, 21)
    )
    again = claim_pay(cw.scope("officer"), claim.number, idempotency_key="pay-1")
    assert first.created
    assert not again.created
    assert first.lump_sum_idr == again.lump_sum_idr == 4_000_000
    assert jht_balance(cw.person) == 36_000_000
    assert JhtEntry.objects.get(person=cw.person, kind=JhtKind.CLAIM).amount_idr == -4_000_000
    entry = JournalEntry.objects.get(kind="benefit")
    assert {(p.account, p.debit_idr, p.credit_idr) for p in entry.postings.all()} == {
        ("5300", 4_000_000, 0),
        ("1000", 0, 4_000_000),
    }
    assert ledger_check().ok
    assert list(Claim.objects.get(pk=claim.pk).events.values_list("status_to", flat=True)) == [
        "submitted",
        "verified",
        "approved",
        "paid",
    ]


def test_a_payment_key_used_for_another_claim_is_refused(cw):
    one = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    two = claim_submit(
        None,
        ClaimInput(
            nik=cw.person.nik,
            program="JKK",
            case="partial_disability",
            event_date=date(2026, 9, 1),
            disability_percent=35,
            bank_code="014",
            account_number="1234567890",
            account_name="Siti Rahayu",
        ),
        today=TODAY,
    )
    for claim, docs in (
        (one, ["ktp", "bank_book"]),
        (two, ["ktp", "bank_book", "medical_report", "accident_report"]),
    ):
        _docs(cw, claim, docs)
        claim_verify(cw.scope("officer"), claim.number)
        claim_approve(cw.scope("officer"), claim.number)
        if claim.needs_second_approval:
            claim_approve(cw.scope("officer2"), claim.number)
    claim_pay(cw.scope("officer"), one.number, idempotency_key="K")
    with pytest.raises(errors.IdempotencyConflict):
        claim_pay(cw.scope("officer"), two.number, idempotency_key="K")
    assert Claim.objects.get(pk=two.pk).status == ClaimStatus.APPROVED


def test_a_large_claim_needs_a_second_officer(cw):
    claim = claim_submit(
        cw.scope("officer"),
        ClaimInput(
            nik=cw.person.nik,
            program="JKK",
            case="death",
            event_date=date(2026, 10, 5),
            relationship="spouse",
            claimant_name="Bambang Rahayu",
            bank_code="002",
            account_number="123456789012345",
            account_name="BAMBANG RAHAYU",
        ),
        today=TODAY,
    )
    assert claim.amount_idr >= 50_000_000
    assert claim.needs_second_approval
    _docs(
        cw,
        claim,
        ["ktp", "bank_book", "kk", "death_certificate", "heir_statement", "accident_report"],
    )
    claim_verify(cw.scope("officer"), claim.number)
    claim = claim_approve(cw.scope("officer"), claim.number)
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.approved_by == "petugas1"
    with pytest.raises(errors.SameApprover):
        claim_approve(cw.scope("officer"), claim.number)
    claim = claim_approve(cw.scope("officer2"), claim.number)
    assert claim.status == ClaimStatus.APPROVED
    assert claim.second_approved_by == "petugas2"


def test_the_heirs_order_is_kept(cw):
    with pytest.raises(errors.HeirStatementNeeded):
        claim_submit(
            None,
            ClaimInput(
                nik=cw.person.nik,
                program="JKM",
                case="death",
                event_date=date(2026, 10, 5),
                relationship="parent",
                claimant_name="Ayah",
            ),
            today=TODAY,
        )
    claim_submit(
        None,
        ClaimInput(
            nik=cw.person.nik,
            program="JKM",
            case="death",
            event_date=date(2026, 10, 5),
            relationship="spouse",
            claimant_name="Bambang",
        ),
        today=TODAY,
    )
    with pytest.raises(errors.HeirEarlierRank):
        claim_submit(
            None,
            ClaimInput(
                nik=cw.person.nik,
                program="JKM",
                case="death",
                event_date=date(2026, 10, 5),
                relationship="child",
                no_higher_heir=True,
                claimant_name="Anak",
            ),
            today=TODAY,
        )
    with pytest.raises(errors.DeathCaseNeedsHeir):
        claim_submit(
            cw.scope("worker"),
            ClaimInput(
                nik=cw.person.nik, program="JKM", case="death", event_date=date(2026, 10, 5)
            ),
            today=TODAY,
        )


def test_the_employer_reports_an_accident_in_two_stages(cw):
    late = timezone.now() - timedelta(hours=60)
    claim = claim_submit(
        cw.scope("employer"),
        ClaimInput(
            nik=cw.young.person.nik,
            program="JKK",
            case="temporary_disability",
            event_date=timezone.localtime(late).date(),
            months_unable=2,
            accident_at=late,
            report_text="Terjatuh dari tangga gudang",
            bank_code="009",
            account_number="0123456789",
            account_name="Agus Pratama",
        ),
    )
    assert claim.channel == "employer"
    assert claim.report1_late
    assert claim.amount_idr == 2 * 4_000_000
    with pytest.raises(errors.EmployerJkkOnly):
        claim_submit(
            cw.scope("employer"),
            ClaimInput(nik=cw.young.person.nik, program="JHT", case="partial_10", event_date=TODAY),
            today=TODAY,
        )
    _docs(cw, claim, ["ktp", "bank_book", "medical_report", "accident_report"], by="employer")
    with pytest.raises(errors.SecondReportMissing):
        claim_verify(cw.scope("officer"), claim.number)
    claim_report_outcome(cw.scope("employer"), claim.number, text="Patah tulang, sembuh 2 bulan")
    with pytest.raises(errors.ReportDone):
        claim_report_outcome(cw.scope("employer"), claim.number, text="lagi")
    assert claim_verify(cw.scope("officer"), claim.number).status == ClaimStatus.VERIFIED


def test_a_rejection_needs_a_reason_and_ends_the_claim(cw):
    claim = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    with pytest.raises(errors.ReasonRequired):
        claim_reject(cw.scope("officer"), claim.number, reason=" ")
    claim = claim_reject(cw.scope("officer"), claim.number, reason="Dokumen palsu")
    assert claim.status == ClaimStatus.REJECTED
    assert claim.reject_reason == "Dokumen palsu"
    with pytest.raises(errors.BadTransition):
        claim_approve(cw.scope("officer"), claim.number)
    # A rejected partial claim does not use the one partial withdrawal.
    assert claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY).pk != claim.pk


def test_the_bank_account_is_checked_against_the_claimant(cw):
    with pytest.raises(errors.AccountNameMismatch):
        assess(cw.scope("worker"), _jht_partial(cw, account_name="Joko Widodo"), today=TODAY)
    with pytest.raises(errors.AccountNumberInvalid):
        assess(cw.scope("worker"), _jht_partial(cw, account_number="12345"), today=TODAY)
    with pytest.raises(errors.BankUnknown):
        assess(cw.scope("worker"), _jht_partial(cw, bank_code="999"), today=TODAY)
    found = assess(
        cw.scope("worker"), _jht_partial(cw, account_name="BPK SITI RAHAYU"), today=TODAY
    )
    assert found.eligible


def test_a_worker_sees_only_their_own_claims(cw):
    claim = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    from jamsos.claims.selectors import claim_get, my_claims

    assert list(my_claims(cw.scope("worker"))) == [claim]
    assert not my_claims(cw.scope("young")).exists()
    with pytest.raises(errors.ClaimNotFound):
        claim_get(cw.scope("young"), claim.number)
    with pytest.raises(errors.PersonNotFound):
        claim_submit(cw.scope("young"), _jht_partial(cw), today=TODAY)


def test_the_member_is_told_of_each_move_once(cw, django_capture_on_commit_callbacks):
    from jamsos.notifications.models import Message

    claim = claim_submit(cw.scope("worker"), _jht_partial(cw), today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        claim_reject(cw.scope("officer"), claim.number, reason="Dokumen palsu")
    told = Message.objects.filter(kind="claims.status_changed")
    assert told.count() == 1
    message = told.get()
    assert message.person_id == claim.person_id
    assert claim.number in message.body
    assert "ditolak" in message.body
    assert "Dokumen palsu" in message.body
