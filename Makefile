# LEAD Ops: `make run` serves the dashboard, `make test` runs every test.
# Both install what is missing first and are safe to repeat. With DATABASE_URL (or
# PGHOST/PGDATABASE) set they use that PostGIS and start no local cluster.
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8501
EXTERNAL_DB := $(or $(DATABASE_URL),$(PGHOST),$(PGDATABASE))
# The local cluster's URL, read once it exists; an explicit DATABASE_URL wins. That is
# the dashboard's login; the commands (migrate, demo, accounts, ingest) use the schema
# owner's: DATABASE_OWNER_URL, else the local cluster's owner (db/config.py), else the
# one login. The dashboard itself is never given the owner's URL.
DB_ENV = DATABASE_URL="$${DATABASE_URL:-$$(scripts/localdb.sh url 2>/dev/null)}"
APP_ENV = env -u DATABASE_OWNER_URL $(DB_ENV)
# The benchmarks create their own databases and serve them: the owner, as one login.
BENCH_ENV = DATABASE_URL="$${DATABASE_OWNER_URL:-$${DATABASE_URL:-$$(scripts/localdb.sh owner-url 2>/dev/null)}}"

.PHONY: run test lint format bench setup setup-test db-start db-stop db-status demo-data scaleout

run: setup db-start
	$(DB_ENV) $(PY) -m db.migrate
	$(DB_ENV) $(PY) -m demo --if-empty
	$(DB_ENV) $(PY) -m accounts demo-accounts --if-demo
	$(DB_ENV) $(PY) -m accounts first-run-hint
	$(APP_ENV) $(PY) -m streamlit run dashboard/serve.py --server.port $(PORT) \
	  --server.headless true --browser.gatherUsageStats false

test: setup-test db-start
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(DB_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: setup db-start
	$(BENCH_ENV) $(PY) -m bench

# The scale-out stack on this machine (docs/deploy.md): PostgreSQL primary and hot
# standby, PgBouncer, two Streamlit replicas, HAProxy on http://localhost:8500.
# `scripts/scaleout.sh status` / `stop` look at it and stop it.
scaleout:
	@scripts/setup.sh --scaleout
	@scripts/scaleout.sh start

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

db-start:
ifeq ($(EXTERNAL_DB),)
	@scripts/localdb.sh start
else
	@echo "db: using the PostGIS named by DATABASE_URL/PG* variables; no local cluster"
endif

db-stop:
	@scripts/localdb.sh stop

db-status:
	@scripts/localdb.sh status

# Reload the demo data from scratch (replaces demo rows; keeps imported real data).
demo-data: setup db-start
	$(DB_ENV) $(PY) -m db.migrate
	$(DB_ENV) $(PY) -m demo
