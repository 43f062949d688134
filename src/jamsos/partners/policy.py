"""Who may do what with partners, agreements, enrolment batches and listing campaigns
(docs/policies.md)."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.policy import Policy, Rule

ADMIN, ANALYST, BRANCH_OFFICER, PARTNER_USER = (
    Role.ADMIN,
    Role.ANALYST,
    Role.BRANCH_OFFICER,
    Role.PARTNER_USER,
)

PARTNERS = Policy(
    "partners",
    {
        "partners.view": Rule(
            roles={ADMIN, ANALYST, BRANCH_OFFICER, PARTNER_USER},
            scope="a branch officer partners and agreements of its office's area; a partner "
            "user its own partner; an analyst and an administrator every partner (no contacts "
            "for the analyst)",
            says={"id": "melihat data kemitraan", "en": "see partner work"},
        ),
        "partners.contacts": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="contacts and enrolled people of the partners the caller sees",
            says={"id": "melihat kontak mitra", "en": "see partners' contacts"},
        ),
        "partners.record": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer partners, agreements, ecosystems and events of its office",
            says={
                "id": "mencatat mitra, perjanjian, ekosistem atau acara",
                "en": "record partners, agreements, ecosystems or events",
            },
        ),
        "events.attribute": Rule(
            roles={ADMIN},
            scope="every event (attributing registrations to events, nationwide)",
            says={
                "id": "mencatat mitra, perjanjian, ekosistem atau acara",
                "en": "record partners, agreements, ecosystems or events",
            },
        ),
        "enrolment.view": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="a branch officer its office's batches; a partner user its partner's",
            says={"id": "melihat daftar pendaftaran", "en": "see enrolment batches"},
        ),
        "enrolment.counts": Rule(
            roles={ADMIN, ANALYST, BRANCH_OFFICER, PARTNER_USER},
            scope="batches and rows by status over the caller's batches (the analyst and the "
            "administrator every batch; no names)",
            says={"id": "melihat daftar pendaftaran", "en": "see enrolment batches"},
        ),
        "enrolment.check": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer its office's batches; never the batch's uploader",
            says={"id": "menyetujui daftar pendaftaran", "en": "approve an enrolment batch"},
        ),
        "campaigns.view": Rule(
            roles={ADMIN, ANALYST, BRANCH_OFFICER, PARTNER_USER},
            scope="a branch officer its office's campaigns; a partner user its partner's (a "
            "cadre the campaigns it is assigned to)",
            says={"id": "melihat kampanye pendataan", "en": "view listing campaigns"},
        ),
        "campaigns.funnel": Rule(
            roles={ADMIN, ANALYST, BRANCH_OFFICER, PARTNER_USER},
            scope="the funnel of the campaigns the caller sees",
            says={"id": "melihat corong pendataan", "en": "view the listing funnel"},
        ),
        "campaigns.manage": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer its office's campaigns",
            says={"id": "mengelola kampanye pendataan", "en": "manage listing campaigns"},
        ),
        "cadres.assign": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="a branch officer its office's campaigns; a partner user its partner's "
            "campaigns, unless it is a cadre itself",
            says={"id": "menugaskan kader", "en": "assign cadres"},
        ),
        "prospects.view": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="listed workers of the campaigns the caller sees (a cadre those it listed)",
            says={"id": "melihat data calon peserta", "en": "view listed workers"},
        ),
        "prospects.record": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="listed workers of the campaigns the caller sees",
            says={"id": "mencatat calon peserta", "en": "record listed workers"},
        ),
        "prospects.follow_up": Rule(
            roles={ADMIN, BRANCH_OFFICER, PARTNER_USER},
            scope="listed workers of the campaigns the caller sees",
            says={"id": "menindaklanjuti calon peserta", "en": "follow up listed workers"},
        ),
        "regional.view": Rule(
            roles={ADMIN, ANALYST, BRANCH_OFFICER, PARTNER_USER},
            scope="regional instruments and commitments: a branch officer those of the nation, "
            "its regencies' provinces and its regencies (and below); a partner user those of "
            "the nation, its regions' provinces and its regions; an analyst and an "
            "administrator all",
            says={"id": "melihat regulasi dan komitmen daerah", "en": "see regional policy work"},
        ),
        "regional.record": Rule(
            roles={ADMIN, BRANCH_OFFICER},
            scope="a branch officer instruments and commitments of its regencies (and below); "
            "an administrator any region, the nation included",
            says={
                "id": "mencatat regulasi dan komitmen daerah",
                "en": "record regional policy work",
            },
        ),
    },
)
