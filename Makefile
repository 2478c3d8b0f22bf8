# Titres — every target installs what is missing first (scripts/bootstrap.sh).
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install messages compilemessages run demo-reset test lint format e2e deps-update clean \
	cluster cluster-stop cluster-status cluster-test soak

install:
	@./scripts/bootstrap.sh

compilemessages: install
	@DEBUG=1 $(MANAGE) compilemessages --ignore '.venv' --ignore 'var' -v 0

# Regenerates the .po files of every app (French is the source language).
messages: install
	@for app in titres/*/; do \
	  mkdir -p $$app/locale && (cd $$app && DEBUG=1 ../../$(MANAGE) makemessages -l en --no-obsolete -v 0); \
	done

run: compilemessages
	@HOST=$(HOST) PORT=$(PORT) ./scripts/run.sh

# Reloads the demonstration data (all apps, or APPS="accounts permis") and
# says what it put back; `make run` creates it once and then leaves it alone.
demo-reset: install
	@DEBUG=$${DEBUG:-1} $(MANAGE) load_demo --reset $(APPS)

test: compilemessages
	@$(PY) -m pytest -n 2 $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "Aucun test collecté."; exit 0; fi; exit $$rc

lint: install
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The journeys on two pytest-xdist workers (each its own live server,
# in-memory database and Chromium): 8 min 38 instead of ~16 min in one
# process on a quiet 2-core machine; E2E_WORKERS=0 runs them in this process
# (docs/contributing.md, "CI time budget").
E2E_WORKERS ?= 2
e2e: compilemessages
	@$(PY) -m pytest e2e $(if $(filter 0,$(E2E_WORKERS)),-p no:xdist,-n $(E2E_WORKERS)) $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "Aucun parcours collecté."; exit 0; fi; exit $$rc

# make bench-NAME runs bench/NAME.py; a few names are aliases.
bench-stamps: install
	@DEBUG=0 ALLOW_GENERATED_SECRET_KEY=1 SINGLE_PROCESS_INSTALLATION=1 PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG=1 $(PY) bench/stamps_race.py

bench-%: install
	@DEBUG=0 ALLOW_GENERATED_SECRET_KEY=1 SINGLE_PROCESS_INSTALLATION=1 PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG=1 TWODDOC_ALLOW_DEV_KEYS=1 $(PY) bench/$*.py

# The multi-server topology on this machine (docs/deployment.md): HAProxy,
# two gunicorn servers, PostgreSQL, Redis, S3, the task workers.
cluster: compilemessages
	@./scripts/cluster.sh start

cluster-stop:
	@./scripts/cluster.sh stop

cluster-status:
	@./scripts/cluster.sh status

# The journeys, faults and short soak on the cluster (tests_cluster/, not
# collected by `make test`); starts the cluster if it is not running and
# then stops it again. `make soak`: the same load for 10 minutes.
cluster-test: compilemessages
	@$(PY) -m pytest -c tests_cluster/pytest.ini tests_cluster -s $(PYTEST_ARGS)

soak: compilemessages
	@SOAK_SECONDS=$${SOAK_SECONDS:-600} $(PY) -m pytest -c tests_cluster/pytest.ini tests_cluster/test_soak.py -s $(PYTEST_ARGS)

# Re-pins every dependency to its newest allowed version (see docs/dependencies.md).
deps-update: install
	cd requirements && ../.venv/bin/python -m piptools compile --quiet --upgrade --strip-extras base.in -o base.txt
	cd requirements && ../.venv/bin/python -m piptools compile --quiet --upgrade --strip-extras dev.in -o dev.txt

clean:
	rm -rf var .venv
