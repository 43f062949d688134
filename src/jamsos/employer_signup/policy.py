"""Who may see and decide employers' applications (docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

EMPLOYER_SIGNUP = Policy(
    "employer_signup",
    {
        "applications.view": Rule(
            roles={Role.ADMIN, Role.BRANCH_OFFICER},
            scope="a branch officer the applications of employers its office serves; the "
            "administrator every application",
            says={"id": "melihat permohonan pemberi kerja", "en": "see employers' applications"},
        ),
        "applications.decide": Rule(
            roles={Role.ADMIN, Role.BRANCH_OFFICER},
            scope="a branch officer verifies or rejects the applications of its office",
            says={
                "id": "memverifikasi atau menolak permohonan pemberi kerja",
                "en": "verify or reject employers' applications",
            },
        ),
    },
)
