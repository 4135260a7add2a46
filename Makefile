# Sentinella: two commands set everything up on a fresh Debian machine with Python 3.11+.
#   make demo   creates .venv, installs, runs the main job on an embedded SQLite database
#   make test   creates .venv if needed and runs the whole suite
#               (also on PostgreSQL when SENTINELLA_TEST_POSTGRES_URL is set)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= var/demo
DEMO_CONTRACTS ?= 2000
DEMO_DAYS ?= 120
DEMO_START ?= 2026-01-05
DEMO_SEED ?= 7
# test processes (pytest-xdist): "auto" is one per core; 0 runs everything in this process
TEST_WORKERS ?= auto

export PYTHONHASHSEED := 0
export PREFECT_HOME := $(CURDIR)/.prefect

.PHONY: demo test install system-packages clean

install: $(STAMP)

system-packages:
	@scripts/ensure-system-packages

$(STAMP): pyproject.toml scripts/system-packages.txt
	@scripts/ensure-system-packages
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Sentinella needs Python 3.11 or newer (set PYTHON=...)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_DIR)
	DATABASE_URL=sqlite:///$(DEMO_DIR)/sentinella.db $(BIN)/sentinella demo \
		--dir $(DEMO_DIR) --contracts $(DEMO_CONTRACTS) --start $(DEMO_START) \
		--days $(DEMO_DAYS) --seed $(DEMO_SEED)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

clean:
	rm -rf $(VENV) var .prefect .pytest_cache .hypothesis
