"""Who may read coverage figures and set targets (docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

COVERAGE = Policy(
    "coverage",
    {
        "coverage.view": Rule(
            roles={Role.ADMIN, Role.ANALYST, Role.BRANCH_OFFICER, Role.PARTNER_USER},
            scope="aggregates only; a branch officer down to its office's regencies, a partner "
            "user down to its agreement's regions (higher levels are seen whole)",
            says={"id": "melihat angka kepesertaan", "en": "see coverage figures"},
        ),
        "coverage.nationwide": Rule(
            roles={Role.ADMIN, Role.ANALYST},
            scope="every region's rows, without restriction",
            says={"id": "melihat angka seluruh wilayah", "en": "see every region's figures"},
        ),
        "coverage.build": Rule(
            roles={Role.ADMIN},
            scope="the whole nation's figures; the build goes to the task worker",
            says={"id": "menghitung ulang cakupan", "en": "rebuild coverage figures"},
        ),
        "targets.set": Rule(
            roles={Role.ADMIN, Role.BRANCH_OFFICER},
            scope="a branch officer its office's target and its regencies' targets; an "
            "administrator any target",
            says={"id": "menetapkan target kepesertaan", "en": "set coverage targets"},
        ),
    },
)
