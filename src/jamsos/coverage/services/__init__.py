"""Coverage services: the monthly job (``build``), targets and published figures."""

from jamsos.coverage.services.build import coverage_build

__all__ = ["coverage_build"]
