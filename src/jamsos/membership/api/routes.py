"""The registry API's operations in one router, mounted at ``/api/v1``."""

from __future__ import annotations

from ninja import Router

from jamsos.membership.api import (
    compliance,
    employers,
    me,
    memberships,
    people,
    registrations,
    segments,
)

router = Router()
router.add_router("", me.router)
router.add_router("", people.router)
router.add_router("", employers.router)
router.add_router("", memberships.router)
router.add_router("", registrations.router)
router.add_router("", segments.router)
router.add_router("", compliance.router)
