"""Who may do what with Perisai agents (docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

ADMIN, AGENT, BRANCH_OFFICER = Role.ADMIN, Role.AGENT, Role.BRANCH_OFFICER

AGENTS = Policy(
    "agents",
    {
        "agents.view": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer the agents of its office, their workers, collections and "
            "statements; the administrator every agent",
            says={"id": "melihat data agen", "en": "see agents"},
        ),
        "agents.record": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer appoints, suspends or ends agents of its office",
            says={"id": "mencatat agen", "en": "record agents"},
        ),
        "agents.own": Rule(
            roles={AGENT},
            scope="an agent their own page: the workers they enrolled, their collections and "
            "their earnings",
            says={"id": "melihat halaman agen", "en": "see an agent's own page"},
        ),
        "agents.enrol": Rule(
            roles={ADMIN, AGENT, BRANCH_OFFICER},
            scope="an agent enrols BPU workers as themselves; a branch officer for an agent of "
            "its office",
            says={"id": "mendaftarkan peserta sebagai agen", "en": "enrol workers as an agent"},
        ),
        "agents.collect": Rule(
            roles={ADMIN, AGENT, BRANCH_OFFICER},
            scope="an agent from the workers they enrolled; a branch officer for an agent of "
            "its office",
            says={"id": "mencatat iuran yang ditagih agen", "en": "record an agent's collection"},
        ),
        "agents.commissions": Rule(
            roles={ADMIN},
            scope="every agent's monthly statement (computed nationwide)",
            says={"id": "menghitung komisi agen", "en": "compute agents' commissions"},
        ),
    },
)
