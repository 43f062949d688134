"""The partner API, mounted at /api/v1/partners (docs/partners/api.md)."""

from __future__ import annotations

from ninja import Router

from jamsos.partners.api.enrolment import router as enrolment_router
from jamsos.partners.api.partners import router as partners_router
from jamsos.partners.api.pendataan import router as pendataan_router
from jamsos.partners.api.regional import router as regional_router

router = Router(tags=["partners"])
router.add_router("", partners_router)
router.add_router("", pendataan_router)
router.add_router("", enrolment_router)
router.add_router("", regional_router)
