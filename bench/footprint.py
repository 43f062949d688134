"""Bytes on disk per member and per member-month, by table (heap, TOAST) and index.

    .venv/bin/python bench/footprint.py --database URL [--label NAME] [--top 25]

PostgreSQL only. Each table's partitions are added up under the table
(``pg_partition_tree``). For every table: rows (``pg_class.reltuples`` summed over its
partitions, so run ``ANALYZE`` first), heap bytes (``pg_total_relation_size`` less
``pg_indexes_size``: the table with its TOAST), index bytes (``pg_indexes_size``), bytes
per row; then each index (largest first) with its bytes per row, and indexes whose columns
begin another index's columns (candidates for a duplicate). Per member: the database's
total bytes divided by the memberships; per member-month: the monthly tables' bytes
(invoice lines, coverage facts and areas, postings, items, invoices) divided by the
invoice lines (one per billed member-month). Appends a section to
bench/results/footprint-<label>.md and prints it.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from benchlib import django_setup

RESULTS = Path(__file__).parent / "results"
MONTHLY = (
    "billing_invoiceline",
    "coverage_coveragefact",
    "coverage_coveragearea",
    "billing_posting",
    "billing_invoiceitem",
    "billing_invoice",
    "billing_jhtentry",
)

TABLES = """
WITH parents AS (
  SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
),
members AS (
  SELECT p.relname AS parent, t.relid FROM parents p, pg_partition_tree(p.oid) t
  WHERE t.isleaf
  UNION ALL
  SELECT p.relname, p.oid FROM parents p JOIN pg_class c ON c.oid = p.oid WHERE c.relkind = 'r'
)
SELECT m.parent, sum(greatest(c.reltuples, 0))::bigint,
       sum(pg_total_relation_size(m.relid) - pg_indexes_size(m.relid))::bigint,
       sum(pg_indexes_size(m.relid))::bigint, count(*)
FROM members m JOIN pg_class c ON c.oid = m.relid GROUP BY m.parent
ORDER BY 3 DESC
"""

INDEXES = """
SELECT pi.relname, coalesce(pt.relname, t.relname), sum(pg_relation_size(i.indexrelid))::bigint,
       pg_get_indexdef(coalesce(pidx.oid, i.indexrelid))
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
LEFT JOIN pg_inherits inh ON inh.inhrelid = i.indexrelid
LEFT JOIN pg_class pidx ON pidx.oid = inh.inhparent
LEFT JOIN pg_inherits tinh ON tinh.inhrelid = t.oid
LEFT JOIN pg_class pt ON pt.oid = tinh.inhparent
JOIN pg_class pi ON pi.oid = coalesce(pidx.oid, i.indexrelid)
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND ic.relkind = 'i'
GROUP BY 1, 2, 4 ORDER BY 3 DESC
"""


def _columns(definition: str) -> tuple[str, ...]:
    """The key columns of ``CREATE ... INDEX name ON table USING method (a, (expr), b) ...``:
    the parenthesised list after the method, split at its own commas (an expression's
    parentheses and commas, an INCLUDE and a WHERE clause after it, are left alone)."""
    body = definition.split(" USING ", 1)[1]
    body = body[body.index("(") + 1 :]
    columns, current, depth = [], "", 0
    for char in body:
        if char == ")" and depth == 0:
            break
        if char == "," and depth == 0:
            columns.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    columns.append(current)
    return tuple(_column(c.strip()) for c in columns)


def _column(text: str) -> str:
    if "(" not in text:
        return text.split(" ")[0]  # a column, less its COLLATE, opclass or DESC
    return text.rsplit(" ", 1)[0] if text.endswith("_ops") else text  # an expression


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", default="footprint")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    django_setup(args.database)
    from django.db import connection

    from jamsos.membership.models import Membership

    members = Membership.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = int(cursor.fetchone()[0])
        cursor.execute(TABLES)
        tables = cursor.fetchall()
        cursor.execute(INDEXES)
        indexes = cursor.fetchall()
        cursor.execute("SELECT count(*), count(DISTINCT period) FROM billing_invoiceline")
        lines, months = cursor.fetchone()
    rows_of = {t[0]: max(int(t[1]), 1) for t in tables}
    out = [
        f"## {args.label}: {members:,} memberships, {lines:,} invoice lines in {months} "
        f"month(s) ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Database `{args.database.split('@')[-1]}`: {database / 2**30:.2f} GiB, "
        f"**{database / max(members, 1):,.0f} bytes per membership**.",
        "",
        "| table | partitions | rows | heap MiB | index MiB | heap B/row | index B/row "
        "| B/member |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    monthly = 0
    for name, rows, heap, index, parts in tables[: args.top]:
        out.append(
            f"| {name} | {parts} | {rows:,} | {heap / 2**20:,.1f} | {index / 2**20:,.1f} | "
            f"{heap / max(rows, 1):,.0f} | {index / max(rows, 1):,.0f} | "
            f"{(heap + index) / max(members, 1):,.0f} |"
        )
    for name, _rows, heap, index, _parts in tables:
        if name in MONTHLY:
            monthly += heap + index
    if lines:
        out += [
            "",
            f"Monthly tables ({', '.join(MONTHLY)}): {monthly / 2**20:,.1f} MiB, "
            f"**{monthly / lines:,.0f} bytes per billed member-month** ({lines:,} lines).",
        ]
    out += ["", "| index | table | MiB | B/row | definition |", "|---|---|---:|---:|---|"]
    for name, on, size, definition in indexes[: args.top]:
        out.append(
            f"| {name} | {on} | {size / 2**20:,.1f} | {size / rows_of.get(on, 1):,.0f} | "
            f"`{definition.split(' USING ')[-1]}` |"
        )
    prefixes = []
    by_table: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
    for name, on, _size, definition in indexes:
        by_table.setdefault(on, []).append((name, _columns(definition), definition))
    for on, items in by_table.items():
        if rows_of.get(on, 0) < 50_000:
            continue  # small tables: a few MiB at most
        for name, cols, definition in items:
            if "pattern_ops" in definition:
                continue  # LIKE lookups: not the same index
            for other, other_cols, _ in items:
                partial = " WHERE " in definition
                pattern = "pattern_ops" in _
                same = other_cols[: len(cols)] == cols
                if other != name and not partial and not pattern and same:
                    prefixes.append(f"- `{name}` {cols} is a prefix of `{other}` on {on}")
    out += [
        "",
        "Indexes whose columns begin another index of the same table (tables of 50,000 rows "
        "or more):",
        "",
    ]
    out += prefixes or ["- none"]
    text = "\n".join(out) + "\n"
    print(text)
    path = RESULTS / f"footprint-{args.label}.md"
    with path.open("a") as handle:
        handle.write(text + "\n")


if __name__ == "__main__":
    main()
