# One way in: `make demo`, `make test`, `make lint`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.12
UV ?= uv
RUN := $(UV) run --frozen --python $(PYTHON_VERSION)
PYTEST_ARGS ?=
SEMGREP := SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off $(RUN) semgrep

.PHONY: help install messages demo serve test test-sqlite test-postgres lint migrations-check

help:
	@echo "make install           Python (uv, .venv) and npm packages, from the lock files"
	@echo "make demo              install, then seed the synthetic demo practice and serve it"
	@echo "make serve             serve the app on http://127.0.0.1:8000"
	@echo "make test              the whole suite on SQLite (with browser tests), then on PostgreSQL"
	@echo "make lint              ruff, mypy, bandit, the app layers (lint-imports) and our semgrep rules"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make messages          compile the translation catalogues after editing a .po file"

install:
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON_VERSION)
	$(RUN) python -m compileall -q -j 0 src tests > /dev/null
	npm ci --no-audit --no-fund
# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on our build machines), every
# process would otherwise compile each module it imports, about 3 s of CPU per server or command started.
# Compiled catalogues (.mo) are committed; after editing a .po file run `make messages`.

messages:
	$(RUN) alongside compilemessages --ignore=.venv --ignore=node_modules

demo: install
	ALONGSIDE_PROFILE=demo $(RUN) alongside demo

serve:
	$(RUN) alongside serve

# Both runs always happen; the target fails when either fails. Timings are printed, never asserted.
test: install
	@sqlite_start=$$(date +%s); \
	$(RUN) pytest $(PYTEST_ARGS); sqlite_status=$$?; \
	sqlite_secs=$$(( $$(date +%s) - sqlite_start )); \
	pg_start=$$(date +%s); \
	$(RUN) python -m tests.with_postgres -- $(RUN) pytest -m "not browser" $(PYTEST_ARGS); pg_status=$$?; \
	pg_secs=$$(( $$(date +%s) - pg_start )); \
	echo "== SQLite (all tests, with browser): $${sqlite_secs}s, exit $${sqlite_status}"; \
	echo "== PostgreSQL (all but browser tests): $${pg_secs}s, exit $${pg_status}"; \
	test $$sqlite_status -eq 0 -a $$pg_status -eq 0

test-sqlite:
	$(RUN) pytest $(PYTEST_ARGS)

test-postgres:
	$(RUN) python -m tests.with_postgres -- $(RUN) pytest -m "not browser" $(PYTEST_ARGS)

# Every tool runs; the target fails at the end when any of them failed.
lint:
	@failed=""; \
	$(RUN) ruff check src tests || failed="$$failed ruff-check"; \
	$(RUN) ruff format --check src tests || failed="$$failed ruff-format"; \
	$(RUN) mypy src || failed="$$failed mypy"; \
	$(RUN) bandit -q -c pyproject.toml -r src || failed="$$failed bandit"; \
	$(RUN) lint-imports --no-logo || failed="$$failed import-layers"; \
	$(SEMGREP) scan --config semgrep/ --metrics=off --disable-version-check --error --quiet src \
		|| failed="$$failed semgrep"; \
	if [ -n "$$failed" ]; then echo "== lint failed:$$failed"; exit 1; fi; echo "== lint clean"

migrations-check:
	$(RUN) alongside makemigrations --check --dry-run
