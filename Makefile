# VetSync support portal. The two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PyPI when it is missing (a pyenv shim without uv behind it counts as missing).
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo "python3 -m uv")
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DEBUG=true

.PHONY: help deps e2e-deps run test test-fast lint format check-deploy bench security resilience resilience-deps clean

help:
	@echo "make run     install everything, load the demo and serve http://$(HOST):$(PORT)/soporte/login"
	@echo "make test    run the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make test-fast  the suite without the browser tests"
	@echo "make lint    ruff, ruff format --check, import-linter's layers, mypy, makemigrations --check"
	@echo "make security  tests/security, then bandit, wapiti3 and sqlmap against a local server"
	@echo "make bench   the benchmark (needs DATABASE_URL=postgres://...)"
	@echo "make resilience  faults under load on 2 app servers behind HAProxy (RESILIENCE_ARGS=--short)"

deps:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet --inexact

run: deps
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo "Portal: http://$(HOST):$(PORT)/soporte/login   Admin: http://$(HOST):$(PORT)/admin/ (manage.py createsuperuser)"
	@echo "E-mails are sent by the background worker (manage.py db_worker) and printed here."
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests need Debian's Chromium (apt-get install chromium) and axe-core (npm).
e2e-deps:
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error

test: deps e2e-deps
	$(UV) run --frozen pytest

test-fast: deps
	$(UV) run --frozen pytest -m "not e2e"

lint: deps
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports
	$(DEV_ENV) $(UV) run --frozen mypy
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

format: deps
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

# The production settings must pass Django's deployment checklist without a warning.
check-deploy: deps
	DEBUG=false SECRET_KEY=check-deploy-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG \
	ALLOWED_HOSTS=soporte.vetsync.cl EMAIL_URL=smtp+tls://user:pass@smtp.vetsync.cl:587 \
	PORTAL_BASE_URL=https://soporte.vetsync.cl \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/*.sqlite3* var/static var/e2e-artifacts

# The security suite (tests/security) and the offline scanners: bandit, wapiti3, sqlmap.
security: deps
	@$(UV) sync --frozen --quiet --group security
	$(UV) run --frozen pytest -q tests/security
	$(UV) run --frozen python scripts/security_scan.py

# Faults under load (README, Resilience): its own PostgreSQL and Redis, an SMTP sink, two app
# servers behind HAProxy, the worker; writes docs/RESILIENCE.md and docs/resilience.json.
# RESILIENCE_ARGS=--short for the CI's few seconds a phase; --only NAME,... for some scenarios.
resilience: deps resilience-deps
	$(UV) run --frozen python -m scripts.resilience $(RESILIENCE_ARGS)

# HAProxy and Redis from Debian, PostgreSQL's server binaries (pg_config --bindir).
resilience-deps:
	@command -v haproxy >/dev/null && command -v redis-server >/dev/null || \
	{ export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
	  apt-get install -y -qq haproxy redis-server >/dev/null; }
	@command -v pg_config >/dev/null && [ -x "$$(pg_config --bindir)/initdb" ] || \
	{ echo "make resilience needs PostgreSQL's server binaries (apt-get install postgresql)" >&2; exit 2; }

# The load benchmark (README, Benchmark): needs PostgreSQL, works in its own <name>_bench
# database and writes docs/PERFORMANCE.md and docs/performance.json.
# BENCH_ARGS="--tickets 50000" for a quick run; `python -m bench.run --help` for the rest.
bench: deps
	@case "$$DATABASE_URL" in postgres://*|postgresql://*|pgsql://*) ;; \
	*) echo "make bench needs PostgreSQL, e.g." \
	"DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetsync_support make bench" >&2; exit 2;; esac
	$(UV) run --frozen python -m bench.run $(BENCH_ARGS)
