"""Reading a list: the bulk upload's reader (:func:`jamsos.uploads.parsing.read_table`) with the
columns of the list's kind."""

from __future__ import annotations

from jamsos.partners.services.enrolment.columns import column_spec
from jamsos.uploads.errors import NoRows
from jamsos.uploads.parsing import Table, read_table


def parse_list(content: bytes, *, file_name: str, kind: str) -> Table:
    """Read an XLSX or CSV list of ``kind``; refuse it as a whole when it cannot be one (the
    bulk upload's refusals: empty, wrong type, too large, no data rows; and this kind's missing
    columns, :class:`~jamsos.partners.services.enrolment.errors.WrongColumns`)."""
    parsed = read_table(content, file_name=file_name, columns=column_spec(kind))
    if not parsed.rows:
        raise NoRows(file_name=file_name)
    return parsed
