"""Who may upload workers in bulk (docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

UPLOADERS = {Role.ADMIN, Role.BRANCH_OFFICER, Role.EMPLOYER_USER}

UPLOADS = Policy(
    "uploads",
    {
        "upload.check": Rule(
            roles=UPLOADERS,
            scope="check a file, or discard a checked one: an employer user for its own "
            "company; a branch officer for its office's employers; an administrator for any",
            says={"id": "mengunggah data pekerja", "en": "upload workers"},
        ),
        "upload.view": Rule(
            roles=UPLOADERS,
            scope="the uploads of the employers within the caller's scope",
            says={"id": "melihat unggahan data pekerja", "en": "see worker uploads"},
        ),
        "upload.commit": Rule(
            roles=UPLOADERS,
            scope="the uploads of the employers within the caller's scope",
            says={
                "id": "mencatat data pekerja dari unggahan",
                "en": "commit uploaded workers",
            },
        ),
    },
)
