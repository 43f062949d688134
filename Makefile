# Jamsos: the verbs. `make run` and `make test` are the README's two commands.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_WORKERS ?= 20000

.PHONY: run setup install messages migrate demo serve serve-production worker test lint typecheck pytest pytest-pg bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/jamsos compile_translations

migrate: messages
	@mkdir -p var
	$(BIN)/jamsos migrate --no-input

demo: migrate
	$(BIN)/jamsos setup_demo --workers $(DEMO_WORKERS)

setup: demo

## The task worker (long work started from a page: billing runs, coverage builds; ADR 0106)
## runs beside the web server on the same database, and stops with it.
serve:
	@$(BIN)/jamsos db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/jamsos runserver $(HOST):$(PORT)

## make serve-production: the production profile (docs/deployment.md "Serving"). Every setting
## comes from the environment: DATABASE_URL (PostgreSQL), JAMSOS_SECRET_KEY, JAMSOS_ALLOWED_HOSTS,
## JAMSOS_TRUSTED_ORIGINS, and JAMSOS_BIND, JAMSOS_WEB_WORKERS for gunicorn. It compiles the
## translations, migrates, collects the static files into var/static, checks the deployment,
## then runs gunicorn and the task worker beside it; both stop together.
serve-production:
	@test -n "$$DATABASE_URL" || { echo "DATABASE_URL is not set (docs/deployment.md)"; exit 2; }
	@export JAMSOS_PRODUCTION=1; set -e; \
	$(BIN)/jamsos prepare_production; \
	$(BIN)/jamsos db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c python:jamsos.config.gunicorn jamsos.config.wsgi:application

## make worker: the task worker alone (when the web server runs elsewhere)
worker: install
	$(BIN)/jamsos db_worker --no-reload

## make run: install, migrate, load what the demo needs, and serve on http://127.0.0.1:8000
run: setup serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

## The Spark engine's tests (marker spark: a JVM in local mode; the `spark` extra) run in the
## PostgreSQL pass, where the write-back is COPY; without the extra they skip.
pytest: messages
	$(BIN)/pytest --cov --cov-report=term -m "not spark"

## On PostgreSQL the browser tests and the API fuzzing are left out: they drive pages and the
## schema, not the database, and ran on SQLite in the same `make test`.
pytest-pg: messages
	@if [ -n "$$JAMSOS_TEST_DATABASE_URL" ]; then \
	  echo "== tests on PostgreSQL ($$JAMSOS_TEST_DATABASE_URL)"; \
	  DATABASE_URL="$$JAMSOS_TEST_DATABASE_URL" $(BIN)/pytest -m "not browser and not fuzz"; \
	else echo "== JAMSOS_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

## make test: ruff, mypy, the tests on SQLite with line coverage (a floor on services, selectors and
## legal), and on PostgreSQL when JAMSOS_TEST_DATABASE_URL is set. The two passes run side by side,
## one per core (separate databases and temporary folders); each pass's output is shown whole when
## it ends.
test: lint typecheck messages
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest pytest-pg

## make bench: the benchmarks behind docs/benchmarks.md
bench: install
	$(BIN)/python bench/contributions.py
	$(BIN)/python bench/upload.py --rows 100000 --rounds 3
	$(BIN)/python bench/upload_bombs.py --ratio-off
	DATABASE_URL=sqlite:///var/bench-payments.sqlite3 $(BIN)/jamsos migrate -v0
	$(BIN)/python bench/payments.py --database sqlite:///var/bench-payments.sqlite3 --label sqlite-1
	$(BIN)/python bench/billing.py --build 1000000 --reset --database sqlite:///var/bench-billing.sqlite3 --label sqlite-1m

clean:
	rm -rf $(VENV) var/*.sqlite3*
