# Stationing portal. `make help` lists the targets; README.md explains them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The portal's code, for bandit.
APPS := config core notifications enterprises stationing projects supervision
# `make bench SCALE=province`: city (1,000 enterprises) or province (10,000).
SCALE ?= city

.DEFAULT_GOAL := help
.PHONY: help install migrate seed run test lint format messages vendor bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version)); try PYTHON=python3.12"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create .venv and install the portal with its dev tools

migrate: install ## Apply database migrations and write the beat schedule of every registered job
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_schedules

seed: migrate ## Load the demo county programme and print the demo logins (safe to run again)
	$(PY) manage.py seed_demo
	@# No broker here: run the scheduled jobs once so the inboxes show today's reminders.
	$(PY) manage.py run_due_jobs

run: seed ## Install, migrate, load the demo, print the logins, serve on http://127.0.0.1:8000
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the logins above."
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install ## ruff, import contracts, bandit, pip-audit, Django checks, missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -c pyproject.toml -r $(APPS) -q
	$(PY) .ci/pip_audit.py
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint ## Install and run the whole suite: lint, checks, pytest with browser tests
	$(VENV)/bin/pytest

format: install ## Format and fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Refresh the English catalogue from the source and compile it
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=static --ignore=var --ignore=tests --ignore=test-artifacts
	$(PY) manage.py compilemessages -l en --ignore=.venv

bench: install ## Build a city (SCALE=province: a province) in a throwaway PostgreSQL database and time the portal on it
	$(PY) manage.py bench --scale $(SCALE)

vendor: ## Refresh static/vendor from the npm registry (see static/vendor/VERSIONS.md)
	rm -rf var/npm && mkdir -p var/npm && cd var/npm && npm init -y >/dev/null && npm install --silent bootstrap@5.3.9 htmx.org@2.0.11 echarts@5.6.0 tom-select@2.6.2 axe-core@4.14.1
	cp var/npm/node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp var/npm/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp var/npm/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp var/npm/node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	mkdir -p static/vendor/tom-select
	cp var/npm/node_modules/tom-select/dist/js/tom-select.popular.min.js* static/vendor/tom-select/
	cp var/npm/node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css* static/vendor/tom-select/
	cp var/npm/node_modules/tom-select/LICENSE static/vendor/tom-select/
	@# axe-core is loaded only by the browser tests (tests/browser/conftest.py), never by a page.
	mkdir -p static/vendor/axe-core
	cp var/npm/node_modules/axe-core/axe.min.js var/npm/node_modules/axe-core/LICENSE static/vendor/axe-core/

clean: ## Remove the virtualenv, the SQLite file and generated files
	rm -rf $(VENV) db.sqlite3 var test-artifacts
