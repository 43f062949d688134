"""Who may do what with billing: runs, invoices, arrears, payments, JHT (docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

ADMIN, ANALYST, BRANCH_OFFICER, EMPLOYER_USER, PARTNER_USER, WORKER = (
    Role.ADMIN,
    Role.ANALYST,
    Role.BRANCH_OFFICER,
    Role.EMPLOYER_USER,
    Role.PARTNER_USER,
    Role.WORKER,
)
PAYERS = {ADMIN, BRANCH_OFFICER, EMPLOYER_USER, WORKER, PARTNER_USER}

BILLING = Policy(
    "billing",
    {
        "runs.view": Rule(
            roles={ADMIN, ANALYST},
            scope="every run: national jobs with aggregate figures only",
            says={"id": "melihat proses penagihan", "en": "see billing runs"},
        ),
        "runs.start": Rule(
            roles={ADMIN},
            scope="any month the law covers; the run goes to the task worker",
            says={"id": "memulai penagihan", "en": "start billing runs"},
        ),
        "invoices.view": Rule(
            roles=PAYERS,
            scope="payers, invoices and payments within the caller's scope: a branch officer "
            "its office's payers; an employer user its company; a worker themselves; a partner "
            "user the people it registered and its own sponsor payer",
            says={"id": "melihat tagihan", "en": "see invoices"},
        ),
        "arrears.follow_up": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer its office's payers; an administrator every payer",
            says={"id": "menindaklanjuti tunggakan", "en": "follow up arrears"},
        ),
        "case.work": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="arrears cases of the payers the caller follows up: a branch officer its "
            "office's payers; log calls and visits, record promises to pay",
            says={"id": "menangani kasus tunggakan", "en": "work arrears cases"},
        ),
        "case.assign": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="assign a payer's case to a branch officer of the payer's own office",
            says={"id": "menugaskan kasus tunggakan", "en": "assign arrears cases"},
        ),
        "case.reveal_phone": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a participant payer's full phone number in the caller's scope, with a "
            "reason, written to the audit trail",
            says={"id": "membuka nomor telepon pembayar", "en": "reveal a payer's phone"},
        ),
        "jht.view": Rule(
            roles=PAYERS,
            scope="JHT accounts of the people within the caller's scope",
            says={"id": "melihat saldo JHT", "en": "see JHT accounts"},
        ),
        "jht.view_own": Rule(
            roles={WORKER},
            scope="the signed-in worker's own JHT account",
            says={"id": "melihat saldo JHT", "en": "see JHT accounts"},
        ),
        "jht.credit_return": Rule(
            roles={ADMIN},
            scope="every JHT account (the year's declared return)",
            says={
                "id": "mengkreditkan hasil pengembangan JHT",
                "en": "credit the JHT return",
            },
        ),
        "participant.bill": Rule(
            roles={ADMIN, BRANCH_OFFICER, WORKER, PARTNER_USER},
            scope="a self-paying BPU member's invoices of the months to pay: a worker their own; "
            "a branch officer its office's members; a partner user the people it registered",
            says={"id": "menerbitkan tagihan iuran BPU di muka", "en": "issue BPU invoices ahead"},
        ),
        "payment.post": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer payments of its office's payers",
            says={"id": "membukukan pembayaran", "en": "post payments"},
        ),
        "sponsorship.record": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer memberships served by its office",
            says={
                "id": "mencatat penyandang dana pekerja rentan",
                "en": "record a sponsorship",
            },
        ),
    },
)
