"""The billing API, mounted at /api/v1/billing (docs/billing/api.md)."""

from __future__ import annotations

from ninja import Router

from jamsos.billing.api.cases import router as cases_router
from jamsos.billing.api.payments import router as payments_router
from jamsos.billing.api.reads import router as reads_router

router = Router(tags=["billing"])
router.add_router("", cases_router)
router.add_router("", payments_router)
router.add_router("", reads_router)
