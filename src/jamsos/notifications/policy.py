"""Who may do what with the outbox and the channel choices (docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

NOTIFICATIONS = Policy(
    "notifications",
    {
        "outbox.view": Rule(
            roles={Role.ADMIN, Role.BRANCH_OFFICER},
            scope="an administrator every message; a branch officer the messages about its "
            "office (addresses masked for both)",
            says={"id": "melihat kotak keluar pesan", "en": "see the message outbox"},
        ),
        "outbox.send": Rule(
            roles={Role.ADMIN},
            scope="every message: deliver what is due, retry a failed message, make the day's "
            "reminders",
            says={"id": "mengirim pesan dari kotak keluar", "en": "send outbox messages"},
        ),
        "preferences.own": Rule(
            roles={
                Role.ADMIN,
                Role.BRANCH_OFFICER,
                Role.EMPLOYER_USER,
                Role.WORKER,
                Role.PARTNER_USER,
            },
            scope="the caller's own choices: a worker its person's, other roles their account's",
            says={"id": "mengatur pilihan pesan", "en": "set message choices"},
        ),
    },
)
