"""Refusals of the registry's region and workforce services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jamsos.core.errors import ApplicationError


class RegionNotFound(ApplicationError):
    code = "registry.region_not_found"
    http_status = 404

    def __init__(self, *, code: str, edition: str | None = None) -> None:
        if edition:
            message = _("No region with code %(code)s in edition %(edition)s.") % {
                "code": code,
                "edition": edition,
            }
        else:
            message = _("No region with code %(code)s.") % {"code": code}
        super().__init__(message, region_code=code, edition=edition)


class EditionNotFound(ApplicationError):
    code = "registry.edition_not_found"
    http_status = 404

    def __init__(self, *, name: str | None) -> None:
        if name:
            message = _("No region edition named %(name)s.") % {"name": name}
        else:
            message = _("No region edition is loaded yet; run `jamsos regions load`.")
        super().__init__(message, edition=name)


class EditionNameInvalid(ApplicationError):
    code = "registry.edition_name_invalid"

    def __init__(self, *, name: str) -> None:
        message = _(
            "%(name)s is not a valid edition name: use lowercase letters, digits, '-' and '_' "
            "(e.g. kepmendagri-2026-100)."
        ) % {"name": name}
        super().__init__(message, fields={"edition": [message]}, edition=name)


class ImportFileInvalid(ApplicationError):
    """A file that cannot be read as the expected format at all (not a row-level problem)."""

    code = "registry.import_file_invalid"

    def __init__(self, *, path: str, reason: str) -> None:
        message = _("%(path)s cannot be imported: %(reason)s") % {"path": path, "reason": reason}
        super().__init__(message, path=path, reason=reason)


class PopulationMissing(ApplicationError):
    code = "registry.population_missing"

    def __init__(self, *, edition: str) -> None:
        message = _(
            "No population figures are loaded for edition %(edition)s; estimates need them "
            "(run `jamsos regions import-population`)."
        ) % {"edition": edition}
        super().__init__(message, edition=edition)
