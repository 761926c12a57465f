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

# The development server and, beside it, what production runs as services: a task worker
# (confirmations, digests) and the scheduler (`manage.py periodic` every minute: due publications,
# due digests). Without EMAIL_URL, messages land as .eml files in var/outbox/.
run: demo
	@echo "Serving Dialogue Atlas on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Alerts: a task worker and the scheduler run beside it; without EMAIL_URL, messages are written to $(CURDIR)/var/outbox/"
	@export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(MANAGE) worker & worker=$$!; \
	$(MANAGE) periodic --every 60 >/dev/null & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: install-dev translations lint
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The production server (gunicorn, whitenoise, DEBUG off) on loopback; see README "Performance".
# Production also runs, as services of their own: `manage.py worker` (the task worker; as many as
# the queue needs) and `manage.py periodic` every minute from cron or a systemd timer.
serve: migrate translations
	@echo "Also run: $(MANAGE) worker   (task worker)   and every minute: $(MANAGE) periodic   (scheduler)"
	HOST=$(HOST) PORT=$(PORT) scripts/serve

# Benchmark on PostgreSQL at BENCH_FINDINGS findings; prints the table, writes bench-results/.
bench: install translations
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
