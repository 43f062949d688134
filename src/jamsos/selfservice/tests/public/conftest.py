"""The public pages' tests run with the workers' clock (3 March 2026 in Jakarta)."""

from jamsos.selfservice.tests.conftest import _invoice_at_registration, fixed_clock

__all__ = ["_invoice_at_registration", "fixed_clock"]
