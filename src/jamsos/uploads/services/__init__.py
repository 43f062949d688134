"""Bulk upload services: validate a file, accept or discard it, its report, the template, purge.

Keyword-only, taking the caller's :class:`~jamsos.access.scope.Scope`; the web pages, the API
and the ``jamsos workers`` command all call these.
"""

from jamsos.uploads.services.commit import CommitResult, upload_commit
from jamsos.uploads.services.reports import FileOut, upload_report, upload_template
from jamsos.uploads.services.uploads import (
    upload_discard,
    upload_validate,
    uploads_purge,
)

__all__ = [
    "CommitResult",
    "FileOut",
    "upload_commit",
    "upload_discard",
    "upload_report",
    "upload_template",
    "upload_validate",
    "uploads_purge",
]
