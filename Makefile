# Stationing portal. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate seed messages vendor bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create .venv and install the portal with its dev tools

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo county programme (safe to run again)
	$(PY) manage.py seed_demo

run: seed ## Install, migrate, load the demo and serve on http://127.0.0.1:8000
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install ## ruff check and format check, Django checks, missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint ## Install and run the whole suite (lint, checks, tests)
	$(VENV)/bin/pytest

format: install ## Format and fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Refresh the English catalogue from the source and compile it
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=static
	$(PY) manage.py compilemessages -l en

vendor: ## Refresh static/vendor from the npm registry (see static/vendor/VERSIONS.md)
	rm -rf var/npm && mkdir -p var/npm && cd var/npm && npm init -y >/dev/null && npm install --silent bootstrap@5.3.9 htmx.org@2.0.11 echarts@5.6.0
	cp var/npm/node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp var/npm/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp var/npm/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp var/npm/node_modules/echarts/dist/echarts.min.js static/vendor/echarts/

clean: ## Remove the virtualenv, the SQLite file and generated files
	rm -rf $(VENV) db.sqlite3 var
