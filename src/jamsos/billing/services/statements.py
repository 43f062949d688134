"""Bank statement files (rekening koran): check every line, then post all of them or none.

Format (docs/billing/payments.md "Bank statement files"): CSV, UTF-8 with or without a byte order
mark, ``;`` or ``,`` as delimiter (whichever the header uses), a header row naming the columns
``bank_ref``, ``virtual_account``, ``amount``, ``currency``, ``paid_on`` (YYYY-MM-DD) and,
optionally, ``payer_name`` (read, checked by nobody, not stored: the payer is the VA's) and
``description`` (kept as the payment's note). Column order is free; other columns are ignored.

Every line is checked before anything is written; one bad line refuses the whole file
(:class:`StatementHasErrors` with each line's refusal in Bahasa Indonesia and English). Lines
already posted with the same content are skipped, so a statement that overlaps an earlier one
posts only what is new. A file already posted (same SHA-256) posts nothing and answers with the
earlier record (``repeated``), so sending it again is harmless.
"""

from __future__ import annotations

import csv
import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.errors import (
    BadDate,
    BillingError,
    DuplicateLine,
    StatementHasErrors,
    StatementMalformed,
    VirtualAccountUnknown,
)
from jamsos.billing.models import Payer, Payment, PaymentChannel, StatementFile
from jamsos.billing.selectors import payers_visible
from jamsos.billing.services.payments import (
    NewPayment,
    amount_parse,
    bank_ref_check,
    bank_ref_conflict,
    currency_check,
    paid_on_check,
    payment_post,
    payments_post_many,
    require_payment_poster,
    virtual_account_check,
)
from jamsos.core import bulkwrite
from jamsos.core.clock import today_in_jakarta
from jamsos.uploads.limits import check_size, text_lines

REQUIRED = ("bank_ref", "virtual_account", "amount", "currency", "paid_on")
OPTIONAL = ("payer_name", "description")
MAX_LINES = 200_000


@dataclass(frozen=True)
class LineError:
    """One refusal of one line: the file's line number (the header is line 1)."""

    line: int
    field: str
    code: str
    message_id: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "message_id": self.message_id,
            "message_en": self.message_en,
        }


@dataclass
class StatementLine:
    line: int
    bank_ref: str
    virtual_account: str
    amount_idr: int
    paid_on: date
    note: str = ""
    already_posted: bool = False


@dataclass
class StatementResult:
    """What a statement did (or, with ``dry_run``, would do)."""

    statement: StatementFile | None
    lines: list[StatementLine] = field(default_factory=list)
    posted: int = 0
    already_posted: int = 0
    amount_idr: int = 0
    repeated: bool = False
    dry_run: bool = False


def _line_error(line: int, exc: BillingError) -> LineError:
    return LineError(line, exc.field, exc.code, exc.message_in("id"), exc.message_in("en"))


def _has_errors(errors: list[LineError]) -> StatementHasErrors:
    exc = StatementHasErrors(count=len({e.line for e in errors}))
    exc.lines = sorted(errors, key=lambda e: (e.line, e.field))  # type: ignore[attr-defined]
    exc.extra["lines"] = [e.as_dict() for e in exc.lines]  # type: ignore[attr-defined]
    return exc


def _rows(content: bytes, file_name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and each data row with its line number, read within the
    upload limits (:mod:`jamsos.uploads.limits`: bytes, lines with the empty ones, the length
    of a line)."""
    check_size(content, file_name=file_name)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatementMalformed(reason=f"not UTF-8 (byte {exc.start})") from None
    header_line = next(text_lines(text, file_name=file_name), "")
    if not header_line.strip():
        raise StatementMalformed(reason="empty file / berkas kosong")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(text_lines(text, file_name=file_name), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            listed = ", ".join(missing)
            raise StatementMalformed(reason=f"missing columns / kolom tidak ada: {listed}")
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise StatementMalformed(
                    reason=f"line {number} has {len(values)} fields, the header {len(header)}"
                )
            rows.append((number, dict(zip(header, values, strict=True))))
            if len(rows) > MAX_LINES:
                raise StatementMalformed(reason=f"more than {MAX_LINES} lines")
    except csv.Error as exc:
        raise StatementMalformed(reason=str(exc)) from None
    if not rows:
        raise StatementMalformed(reason="no payment lines / tidak ada baris pembayaran")
    return header, rows


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(field="paid_on", value=text) from None


class _Posted(NamedTuple):
    """A payment already posted under a bank reference of the file."""

    virtual_account: str
    amount_idr: int
    paid_on: date
    payer_id: int


def statement_check(
    content: bytes,
    today: date | None = None,
    by: Scope | None = None,
    *,
    file_name: str = "rekening-koran.csv",
) -> list[StatementLine]:
    """Every line of ``content`` checked; raises :class:`StatementHasErrors` if any is bad.

    The checks are the ones :func:`payment_post` makes (the bounds of
    :mod:`jamsos.billing.bounds` included), so a dry run refuses exactly what the real run
    refuses; a virtual account of a payer outside ``by``'s scope is unknown, as for a payment.

    A few queries whatever the size: the file's virtual accounts, and its bank references
    already posted (one array parameter on PostgreSQL, batches on SQLite). Lines already
    posted with the same content come back flagged.
    """
    _, rows = _rows(content, file_name)
    today = today or today_in_jakarta()  # once, not per line
    errors: list[LineError] = []
    parsed: list[StatementLine] = []
    # A payer's lines repeat its virtual account: its check digit is computed once.
    account_check = functools.lru_cache(maxsize=None)(virtual_account_check)
    for number, row in rows:
        values: dict[str, Any] = {}
        checks = (
            ("bank_ref", lambda r=row: bank_ref_check(r["bank_ref"])),
            ("virtual_account", lambda r=row: account_check(r["virtual_account"])),
            ("amount", lambda r=row: amount_parse(r["amount"])),
            ("currency", lambda r=row: currency_check(r["currency"])),
            ("paid_on", lambda r=row: paid_on_check(_parse_date(r["paid_on"]), today)),
        )
        for name, check in checks:
            try:
                values[name] = check()
            except BillingError as exc:
                errors.append(_line_error(number, exc))
        if len(values) == len(checks):
            note = row.get("description", "").strip()
            parsed.append(
                StatementLine(
                    number,
                    values["bank_ref"],
                    values["virtual_account"],
                    values["amount"],
                    values["paid_on"],
                    note[:200],
                )
            )

    by_ref: dict[str, list[int]] = defaultdict(list)
    for line in parsed:
        by_ref[line.bank_ref].append(line.line)
    for ref, numbers in by_ref.items():
        if len(numbers) > 1:
            listed = ", ".join(str(n) for n in numbers)
            for number in numbers:
                errors.append(_line_error(number, DuplicateLine(value=ref, lines=listed)))

    payers = Payer.objects.all() if by is None else payers_visible(by)
    known = set(
        payers.filter(virtual_account__in={line.virtual_account for line in parsed}).values_list(
            "virtual_account", flat=True
        )
    )
    posted = {
        row[0]: _Posted(*row[1:])
        for row in bulkwrite.rows_where_in(
            Payment,
            ("bank_ref", "virtual_account", "amount_idr", "paid_on", "payer_id"),
            "bank_ref",
            list(by_ref),
        )
    }
    clashes = [
        found.payer_id
        for line in parsed
        if (found := posted.get(line.bank_ref)) is not None
        and (found.virtual_account, found.amount_idr, found.paid_on)
        != (line.virtual_account, line.amount_idr, line.paid_on)
    ]
    # The payers of clashing payments the caller may see (one query, and only on a clash).
    visible = set(payers.filter(pk__in=clashes).values_list("pk", flat=True)) if clashes else set()
    for line in parsed:
        if line.virtual_account not in known:
            errors.append(_line_error(line.line, VirtualAccountUnknown(value=line.virtual_account)))
        found = posted.get(line.bank_ref)
        if found is None:
            continue
        if (found.virtual_account, found.amount_idr, found.paid_on) == (
            line.virtual_account,
            line.amount_idr,
            line.paid_on,
        ):
            line.already_posted = True
        else:
            conflict = bank_ref_conflict(
                line.bank_ref,
                other_va=found.virtual_account,
                other_amount=found.amount_idr,
                visible=found.payer_id in visible,
            )
            errors.append(_line_error(line.line, conflict))
    if errors:
        raise _has_errors(errors)
    return parsed


#: How the new lines of a file are posted: ``bulk`` (:func:`payments_post_many`, set-based) or
#: ``one_by_one`` (:func:`payment_post` per line, the path it is compared with).
POSTING = "bulk"


def _post_one_by_one(
    new: list[StatementLine],
    result: StatementResult,
    *,
    by: Scope | None,
    statement: StatementFile,
) -> None:
    for line in new:
        try:
            outcome = payment_post(
                virtual_account=line.virtual_account,
                amount_idr=line.amount_idr,
                bank_ref=line.bank_ref,
                paid_on=line.paid_on,
                channel=PaymentChannel.STATEMENT,
                note=line.note,
                by=by,
                statement=statement,
            )
        except BillingError as exc:  # a race with another posting since the check
            raise _has_errors([_line_error(line.line, exc)]) from exc
        if not outcome.created:  # the same payment, posted elsewhere since the check
            line.already_posted = True
            result.posted -= 1
            result.already_posted += 1
            result.amount_idr -= line.amount_idr


def statement_post(
    content: bytes,
    *,
    name: str,
    by: Scope | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> StatementResult:
    """Check ``content`` and post its new lines in one transaction, in ``paid_on`` order.

    A file posted before (same SHA-256) answers with its record and ``repeated`` true, posting
    nothing; to a caller with a scope (a branch officer) only once its lines pass the checks
    as theirs, so a file of another office's payers is refused as it would be the first time
    and its earlier record is not shown. With ``dry_run`` nothing is written: the result says
    what would be posted.
    """
    require_payment_poster(by)
    digest = hashlib.sha256(content).hexdigest()
    earlier = StatementFile.objects.filter(sha256=digest).first()
    if earlier is not None:
        if by is not None and not by.is_admin:
            statement_check(content, today, by)  # raises for a line outside the scope
        return StatementResult(
            earlier,
            posted=0,
            already_posted=earlier.lines,
            amount_idr=0,
            repeated=True,
            dry_run=dry_run,
        )
    lines = statement_check(content, today, by, file_name=name)
    new = sorted((x for x in lines if not x.already_posted), key=lambda x: (x.paid_on, x.line))
    result = StatementResult(
        None,
        lines=lines,
        posted=len(new),
        already_posted=len(lines) - len(new),
        amount_idr=sum(x.amount_idr for x in new),
        dry_run=dry_run,
    )
    if dry_run:
        return result
    with transaction.atomic():
        statement = StatementFile.objects.create(
            name=name[:255],
            sha256=digest,
            lines=len(lines),
            posted=result.posted,
            already_posted=result.already_posted,
            amount_idr=result.amount_idr,
            uploaded_by=((by.actor_name if by else "") or "system")[:150],
        )
        if POSTING == "bulk":
            try:
                with transaction.atomic():
                    payments_post_many(
                        [
                            NewPayment(
                                x.bank_ref, x.virtual_account, x.amount_idr, x.paid_on, x.note
                            )
                            for x in new
                        ],
                        channel=PaymentChannel.STATEMENT,
                        by=by,
                        statement=statement,
                    )
            except (IntegrityError, BillingError):
                # A reference of the file was posted by someone else since the check, or a
                # payer left the scope: post one by one, which finds the same payment or
                # refuses the line by its number.
                _post_one_by_one(new, result, by=by, statement=statement)
        else:
            _post_one_by_one(new, result, by=by, statement=statement)
        statement.posted, statement.already_posted = result.posted, result.already_posted
        statement.amount_idr = result.amount_idr
        statement.save(update_fields=["posted", "already_posted", "amount_idr"])
        audit_record(
            by,
            AuditAction.IMPORT,
            statement,
            detail={
                "sha256": digest,
                "lines": len(lines),
                "posted": result.posted,
                "already_posted": result.already_posted,
                "amount_idr": result.amount_idr,
                "at": timezone.now().isoformat(),
            },
        )
    result.statement = statement
    return result
