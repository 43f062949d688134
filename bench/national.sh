#!/usr/bin/env bash
# Every row of the national-scale table (docs/benchmarks.md, "National scale"), one after the
# other in one session, beside the machine's anchors, so that the rows can be compared:
#
#     bench/national.sh LABEL POPULATION_DB EMPTY_DB
#
# POPULATION_DB: a PostgreSQL database holding a demo population (bench/billing.py --build N);
# EMPTY_DB: a migrated PostgreSQL database with the regions only (jamsos setup_demo --workers 0),
# for the upload and the bank statement, which reset what they write. Each step appends its
# section to bench/results/ as its script does; the load average is printed before each step.
set -euo pipefail
label=${1:?label}
db=${2:?population database URL}
empty=${3:?empty database URL}
py=${PYTHON:-.venv/bin/python}
step() { echo; echo "## $1 (load: $(cut -d' ' -f1-3 /proc/loadavg))"; }

step "anchors"
$py bench/anchors.py --database "$db" --label "$label"
step "billing run, first run and re-run"
$py bench/billing.py --database "$db" --label "$label" --reset
step "coverage job, two months"
$py bench/coverage.py --database "$db" --synthesise --from 2025-01 --to 2025-02 --label "$label"
step "name search"
DATABASE_URL="$db" $py bench/name_search.py --samples 40
step "footprint"
psql "$db" -qc "VACUUM ANALYZE" >/dev/null
$py bench/footprint.py --database "$db" --label "$label"
step "bulk upload, 100,000 rows"
$py bench/upload.py --rows 100000 --formats csv --database "$empty"
step "bank statement, 100,000 lines"
$py bench/payments.py --database "$empty" --payers 20000 --payments 100000 --statement bulk \
    --label "$label"
step "done"
