"""Who may do what with claims (docs/policies.md, docs/claims.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

ADMIN, ANALYST, BRANCH_OFFICER, EMPLOYER_USER, WORKER = (
    Role.ADMIN,
    Role.ANALYST,
    Role.BRANCH_OFFICER,
    Role.EMPLOYER_USER,
    Role.WORKER,
)

CLAIMS = Policy(
    "claims",
    {
        "claim.submit": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER, WORKER},
            scope="a worker for themselves (or as an heir of a person they name); an employer "
            "user work-accident reports of its own workers; a branch officer for anyone served "
            "by its office",
            says={"id": "mengajukan klaim", "en": "submit claims"},
        ),
        "claim.view": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER, WORKER},
            scope="a worker the claims of their own or that they filed; an employer user its "
            "workers' claims; a branch officer its office's claims",
            says={"id": "melihat klaim", "en": "see claims"},
        ),
        "claim.document": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER, WORKER},
            scope="documents of the claims the caller sees, while the claim is open",
            says={"id": "mengunggah dokumen klaim", "en": "upload claim documents"},
        ),
        "claim.report": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER},
            scope="the second work-accident report of the employer's own claims",
            says={"id": "melaporkan hasil kecelakaan kerja", "en": "report an accident's outcome"},
        ),
        "claim.decide": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer its office's claims: verify, approve, a second approval "
            "by another officer from the threshold, reject",
            says={"id": "memutus klaim", "en": "decide claims"},
        ),
        "claim.pay": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer its office's approved claims; the transfer file",
            says={"id": "membayar klaim", "en": "pay claims"},
        ),
        "payroll.run": Rule(
            roles={ADMIN},
            scope="every recurring benefit (the monthly payroll, national)",
            says={"id": "menjalankan pembayaran manfaat berkala", "en": "run the benefit payroll"},
        ),
        "report.view": Rule(
            roles={ADMIN, ANALYST, BRANCH_OFFICER},
            scope="claims and amounts per program and month: national for administrators and "
            "analysts (aggregates only), a branch officer its office",
            says={"id": "melihat laporan klaim", "en": "see the claims report"},
        ),
    },
)
