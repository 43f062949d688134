"""Checks and look-ups shared by the registry API's operations."""

from __future__ import annotations

from typing import Any

from ninja import Query

from jamsos.api.errors import ErrorOut
from jamsos.api.pagination import MAX_LIMIT
from jamsos.membership.api.errors import UnknownRegion
from jamsos.registry.errors import EditionNotFound, RegionNotFound
from jamsos.registry.models import Region
from jamsos.registry.selectors import region_get

#: The refusals every signed-in operation can answer, for the OpenAPI document.
READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ErrorOut}

Limit = Query[int, {"ge": 1, "le": MAX_LIMIT, "description": f"Rows per page, 1 to {MAX_LIMIT}"}]
Cursor = Query[str | None, {"description": "`next_cursor` of the previous page"}]
WithCount = Query[
    bool, {"description": "Also count the whole list (capped at 10,000; costs a query)"}
]


def region_for(code: str, *, field: str) -> Region:
    """The region of a code sent in a body; an unknown code is the field's fault (400)."""
    text = (code or "").strip()
    try:
        return region_get(text)
    except (RegionNotFound, EditionNotFound):
        raise UnknownRegion(field=field, code=text) from None
