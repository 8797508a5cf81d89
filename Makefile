# luoshi — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# luoshi starts in production mode unless told otherwise; these development commands say so.
export LUOSHI_DEBUG ?= 1

.PHONY: install run serve servers test test-fast lint typecheck pytest bench clean browser screenshots corpus

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.synced: pyproject.toml uv.lock | $(TOOLS)/bin/uv
	$(TOOLS)/bin/uv sync --frozen --compile-bytecode --python $(PYTHON)  # compiled once: commands start faster
	touch $@

# ECharts and htmx from the npm registry, bundled into the static files (never in the repository).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The dashboard's ECharts: only the parts charts.js uses, bundled by esbuild from npm's echarts
# (tests/web/test_bundle.py holds it under 300 kB compressed; the full build is 1.1 MB).
node_modules/.bundle/echarts.lean.min.js: node_modules/.installed src/luoshi/web/assets/echarts-lean.js
	node_modules/.bin/esbuild src/luoshi/web/assets/echarts-lean.js --bundle --minify --format=iife \
	  --target=es2018 --legal-comments=eof --log-level=warning --outfile=$@

$(VENV)/.static: node_modules/.installed node_modules/.bundle/echarts.lean.min.js $(VENV)/.synced src/luoshi/settings.py $(shell find src/luoshi/web/static -type f)
	DATABASE_URL= $(BIN)/luoshi collectstatic --noinput -v0
	touch $@

# From Debian's packages: Chromium for the browser tests and screenshots, CJK fonts for pages,
# charts and the 公文 fallbacks (paperwork/fonts.conf: Noto Serif/Sans CJK, AR PL UMing/UKai),
# LibreOffice to turn the Word documents into PDF.
browser:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && fc-list | grep -q "Noto Sans CJK" \
	  && fc-list | grep -q "AR PL UKai" || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming libreoffice-writer-nogui >/dev/null)

# From Debian's packages: nginx and Redis for the scale-out test (two app servers behind nginx,
# sessions on Redis). A policy-rc.d keeps apt from starting them as system services: the tests
# start their own on loopback ports.
servers:
	@command -v nginx >/dev/null && command -v redis-server >/dev/null || ( \
	  guard=; [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
	    chmod +x /usr/sbin/policy-rc.d; guard=1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    nginx redis-server >/dev/null; rc=$$?; [ -z "$$guard" ] || rm -f /usr/sbin/policy-rc.d; exit $$rc)

# English translations, compiled with GNU gettext (Debian's package) from the committed .po file.
LOCALE := src/luoshi/web/locale/en/LC_MESSAGES
$(LOCALE)/django.mo: $(LOCALE)/django.po $(VENV)/.synced
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)
	cd src/luoshi && DATABASE_URL= ../../$(BIN)/luoshi compilemessages -v0

install: $(VENV)/.synced $(VENV)/.static $(LOCALE)/django.mo

run: install browser
	$(BIN)/luoshi bootstrap
	# The job worker beside the development server (the briefing PDF is made there), stopped with it.
	$(BIN)/luoshi db_worker --interval 1 & trap "kill $$!" EXIT; $(BIN)/luoshi runserver 127.0.0.1:8000

# Production: gunicorn with the production settings from the environment (docs/deploy.md);
# e.g. `LUOSHI_DEBUG=false LUOSHI_SECRET_KEY=… make serve BIND=127.0.0.1:8000`.
serve: install
	$(BIN)/luoshi migrate -v0
	$(BIN)/luoshi serve $(if $(BIND),--bind $(BIND))

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: install
	$(BIN)/mypy src tests

# Models and migrations agree (a model change without its migration fails the build).
migrations: install
	DATABASE_URL= $(BIN)/luoshi makemigrations --check --dry-run

# The suite runs over the machine's cores (pytest-xdist, at most 4 workers): each worker has its own
# test database (test_luoshi_gw0, …; on SQLite its own in-memory one), data directory, Chromium and
# live server. A module goes to one worker whole (its world is built once), the longest modules
# first (tests/conftest.py). `make pytest WORKERS=0` runs it in one process.
WORKERS ?= auto
PARALLEL := -n $(WORKERS) --maxprocesses 4 --dist loadfile --no-loadscope-reorder

# The inner loop: everything but the browser journeys and the real-server tests, on SQLite.
test-fast: install
	DATABASE_URL= $(BIN)/pytest -q $(PARALLEL) -m "not browser and not slow"

# The suite on SQLite always; again on PostgreSQL when DATABASE_URL points at one.
pytest: install browser servers
	DATABASE_URL= $(BIN)/pytest $(PARALLEL)
	@if [[ "$$DATABASE_URL" == postgres* ]]; then echo "== again on PostgreSQL"; $(BIN)/pytest $(PARALLEL); fi

test: lint typecheck migrations pytest

# The serving benchmark's national dataset lives in BENCH_DATABASE_URL (PostgreSQL for the issue's
# targets, e.g. postgres://luoshi:…@127.0.0.1/luoshi_bench; built once, kept between runs).
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench/luoshi.sqlite3
bench: install servers
	@command -v ab >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apache2-utils >/dev/null)
	$(BIN)/python benchmarks/ingest.py
	cd benchmarks && ../$(BIN)/python metrics.py
	cd benchmarks && ../$(BIN)/python web.py
	cd benchmarks && ../$(BIN)/python reports.py
	mkdir -p var/bench
	cd benchmarks && DATABASE_URL=$(BENCH_DATABASE_URL) LUOSHI_DATA_DIR=$(CURDIR)/var/bench ../$(BIN)/python national.py
	cd benchmarks && DATABASE_URL=$(BENCH_DATABASE_URL) LUOSHI_DATA_DIR=$(CURDIR)/var/bench ../$(BIN)/python serve.py

# The importer against the corpus of real documents (tests/corpus): recall and precision per field
# and per document.
corpus: install
	$(BIN)/python scripts/corpus.py

screenshots: install browser   # with `make run` serving in another terminal
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/luoshi.sqlite3 var/static
