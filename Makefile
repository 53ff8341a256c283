# Two commands: `make run` (the whole platform on 127.0.0.1:5000) and `make test` (the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test install install-test translations lint clean help

help:
	@echo "make run   - install, migrate, seed the demo if empty, start Redis + worker + web on 127.0.0.1:5000"
	@echo "make test  - install test tools and run the whole suite on PostgreSQL and Redis"

$(BIN)/python:
	@scripts/ensure-python.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"

$(VENV)/.runtime: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.lock
	$(BIN)/pip install --quiet -r requirements-test.lock
	@touch $@

install: $(VENV)/.runtime translations

install-test: $(VENV)/.test translations

translations: $(VENV)/.runtime
	@out=$$($(BIN)/pybabel compile -d platform/translations 2>&1) || { echo "$$out"; exit 1; }

run: install
	@PATH="$(CURDIR)/$(BIN):$$PATH" scripts/run.sh

test: install-test
	@PATH="$(CURDIR)/$(BIN):$$PATH" scripts/test.sh $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check platform tenants workers tests migrations wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache
