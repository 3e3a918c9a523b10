# The two commands a new machine needs: `make demo` and `make test`.
# Everything else (venv, packages) is installed here, on first use.

PYTHON ?= python3
VENV ?= .venv
AIRFLOW_VERSION ?= 3.3.2
BIN := $(VENV)/bin
UV := $(BIN)/uv
# A private AIRFLOW_HOME so the tests never touch a user's Airflow.
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__LOAD_EXAMPLES := False

.PHONY: test lint typecheck pytest emulator demo clean

$(BIN)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --python $(BIN)/python -e '.[test]' 'apache-airflow==$(AIRFLOW_VERSION)'
	touch $@

test: $(BIN)/.installed lint typecheck pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check pixverse_provider tests
	$(BIN)/ruff format --check pixverse_provider tests

typecheck: $(BIN)/.installed
	$(BIN)/mypy

pytest: $(BIN)/.installed
	$(BIN)/pytest

emulator: $(BIN)/.installed
	$(BIN)/pixverse-emulator --host 127.0.0.1 --port 8787 --api-key demo-key

demo:
	@echo "make demo arrives with the 'Proof in a real Airflow' issue; start the emulator with 'make emulator' for now." >&2
	@exit 2

clean:
	rm -rf $(VENV) .airflow .mypy_cache .ruff_cache .pytest_cache
