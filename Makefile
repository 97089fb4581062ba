# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint airflow stop docs install lock bench bench-pipeline

$(STAMP): requirements.txt requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -c requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@scripts/run.sh

test: $(STAMP)
	@scripts/test.sh

# The unit tests alone (no PostgreSQL, dbt, Great Expectations or Airflow): under a minute.
test-fast: $(STAMP)
	@scripts/test.sh -m "not integration"

lint: $(STAMP)
	@scripts/lint.sh

EXECUTOR ?= local
WORKERS ?= 2
airflow: $(STAMP)
	@EXECUTOR=$(EXECUTOR) WORKERS=$(WORKERS) scripts/airflow.sh

docs: $(STAMP)
	@scripts/docs.sh

stop:
	@scripts/stop.sh

lock: $(STAMP)
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^vnhealth' > requirements.lock

bench: $(STAMP)
	$(VENV)/bin/python bench/extract_throughput.py

# The nights against their floors (quiet night, backfill, per-task breakdown); SIZES=200,1000,10000 for all three.
bench-pipeline: $(STAMP)
	@source scripts/env.sh && $(VENV)/bin/python bench/pipeline.py --sizes $${SIZES:-200,1000}
