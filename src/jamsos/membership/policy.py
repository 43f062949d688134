"""Who may do what with people, employers and memberships (docs/policies.md).

The services and selectors of this app call :data:`MEMBERSHIP` ``.require(by, action)``; pages
and the API ask ``.allows`` to show or hide links and buttons.
"""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

ADMIN, BRANCH_OFFICER, EMPLOYER_USER, PARTNER_USER, WORKER = (
    Role.ADMIN,
    Role.BRANCH_OFFICER,
    Role.EMPLOYER_USER,
    Role.PARTNER_USER,
    Role.WORKER,
)

MEMBERSHIP = Policy(
    "membership",
    {
        "person.search": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER, PARTNER_USER},
            scope="the people within the caller's scope (docs/registry/access.md)",
            says={"id": "mencari peserta", "en": "search for workers"},
        ),
        "person.view": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER, PARTNER_USER, WORKER},
            scope="people, employers and memberships within the caller's scope; a worker only "
            "themselves",
            says={"id": "melihat data pribadi peserta", "en": "see participants' personal data"},
        ),
        "person.correct": Rule(
            roles={ADMIN, BRANCH_OFFICER, WORKER},
            scope="a branch officer the people within its office's scope; a worker only their "
            "own phone (the name and the domicile follow the KTP, which a branch office checks)",
            says={"id": "mengubah data peserta", "en": "change a participant's data"},
        ),
        "person.correct_name_or_domicile": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer the people within its office's scope, with the KTP seen",
            says={
                "id": "mengubah nama atau domisili (datang ke kantor cabang dengan KTP)",
                "en": "change a name or domicile (visit a branch office with the KTP)",
            },
        ),
        "pu.register": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER},
            scope="an employer user its own company's workers; a branch officer the workers of "
            "its office's employers",
            says={"id": "mendaftarkan pekerja penerima upah", "en": "register wage earners"},
        ),
        "bpu.register": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="someone else, as a self-employed member: a branch officer people living in "
            "its office's area; a partner user through its partner (channel partner or cadre)",
            says={
                "id": "mendaftarkan pekerja bukan penerima upah",
                "en": "register self-employed workers",
            },
        ),
        "bpu.register_self": Rule(
            roles={WORKER},
            scope="a worker only themselves (their account's NIK); anyone not signed in may "
            "register themselves on the public form (channel self)",
            says={
                "id": "mendaftarkan diri sebagai pekerja bukan penerima upah",
                "en": "register themselves as a self-employed worker",
            },
        ),
        "jakon.register": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer the construction projects of its office's contractors",
            says={
                "id": "mendaftarkan proyek jasa konstruksi (Jakon)",
                "en": "register a construction project (Jakon)",
            },
        ),
        "pmi.register": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer migrant workers living in its office's area",
            says={
                "id": "mendaftarkan penempatan pekerja migran (PMI)",
                "en": "register a migrant worker's placement (PMI)",
            },
        ),
        "membership.end": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER},
            scope="memberships within the caller's scope (an employer user its own company's)",
            says={"id": "mengakhiri kepesertaan", "en": "end a membership"},
        ),
        "wage.report": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER},
            scope="wage earners' memberships within the caller's scope",
            says={"id": "melaporkan upah", "en": "report wages"},
        ),
        "compliance.view": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="the compliance list of employers: a branch officer its office's employers",
            says={
                "id": "melihat daftar kepatuhan pemberi kerja",
                "en": "see the employers' compliance list",
            },
        ),
        "employer.view": Rule(
            roles={ADMIN, BRANCH_OFFICER, EMPLOYER_USER},
            scope="the employer pages: an employer user its own company; a branch officer its "
            "office's employers",
            says={"id": "melihat halaman pemberi kerja", "en": "see employer pages"},
        ),
        "employer.register": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer employers served by its office",
            says={"id": "mendaftarkan pemberi kerja", "en": "register an employer"},
        ),
    },
)
