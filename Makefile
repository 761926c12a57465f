# Dialogue Atlas. `make run` serves the demo; `make test` runs every check and test.
SHELL := /bin/bash
PYTHON_BIN := $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test lint install install-dev migrate translations demo serve bench clean

$(VENV)/bin/python:
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

migrate: install
	$(MANAGE) migrate --noinput

translations: install
	$(MANAGE) compile_translations

demo: migrate translations
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_admin

# The development server, and beside it what cron does in production: publish_due every minute.
run: demo
	@echo "Serving Dialogue Atlas on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	@( while sleep 60; do $(MANAGE) publish_due >/dev/null; done ) & ticker=$$!; \
	trap 'kill $$ticker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: install-dev translations lint
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The production server (gunicorn, whitenoise, DEBUG off) on loopback; see README "Performance".
serve: migrate translations
	HOST=$(HOST) PORT=$(PORT) scripts/serve

# Benchmark on PostgreSQL at BENCH_FINDINGS findings; prints the table, writes bench-results/.
bench: install translations
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
