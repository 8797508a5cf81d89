# luoshi — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint typecheck pytest bench clean

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.synced: pyproject.toml uv.lock | $(TOOLS)/bin/uv
	$(TOOLS)/bin/uv sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

run: install
	$(BIN)/luoshi bootstrap
	$(BIN)/luoshi runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

# The suite on SQLite always; again on PostgreSQL when DATABASE_URL points at one.
pytest: install
	DATABASE_URL= $(BIN)/pytest
	@if [[ "$$DATABASE_URL" == postgres* ]]; then echo "== again on PostgreSQL"; $(BIN)/pytest; fi

test: lint typecheck pytest

bench: install
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) $(TOOLS) var/luoshi.sqlite3
