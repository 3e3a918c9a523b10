# The two commands a new machine needs: `make demo` and `make test`.
# Everything else (virtual environments, packages) is installed here, on first use.

PYTHON ?= python3
AIRFLOW_VERSION ?= 3.3.2
OLDEST_AIRFLOW ?= 3.1.8
VENV ?= .venv
BIN := $(VENV)/bin
export AIRFLOW__CORE__LOAD_EXAMPLES := False
LINTED := pixverse_provider tests example_dags scripts $(wildcard bench)

.PHONY: system-packages test test-oldest lint typecheck pytest docs demo airflow emulator bench clean

# A venv per Airflow version: .venv (AIRFLOW_VERSION) and .venv-<version> for the others.
.venv/bin/.installed: pyproject.toml Makefile
	scripts/make-venv.sh $(PYTHON) .venv $(AIRFLOW_VERSION) test,docs,deployment

.venv-%/bin/.installed: pyproject.toml Makefile
	scripts/make-venv.sh $(PYTHON) .venv-$* $*

# Debian packages the tests start for real: PostgreSQL and Redis (the production-shaped deployment) and
# Chromium with its driver (the UI view's browser tests). Installed only when missing.
SYSTEM_PACKAGES := postgresql redis-server chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

## test: lint, type-check, build the docs, then the whole suite on the newest and the oldest Airflow, side by side
## (most of the suite waits on servers and emulated generations, so two suites share the 2 cores well; -O keeps
## each suite's output in one piece).
test: lint typecheck docs
	$(MAKE) -j2 -O pytest test-oldest

lint: $(BIN)/.installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(BIN)/.installed
	$(BIN)/mypy

pytest: $(BIN)/.installed system-packages
	mkdir -p .pytest-tmp
	AIRFLOW_HOME=$(CURDIR)/.airflow/$(AIRFLOW_VERSION) $(BIN)/pytest --basetemp=$(CURDIR)/.pytest-tmp/$(AIRFLOW_VERSION)

test-oldest: .venv-$(OLDEST_AIRFLOW)/bin/.installed
	mkdir -p .pytest-tmp
	AIRFLOW_HOME=$(CURDIR)/.airflow/$(OLDEST_AIRFLOW) .venv-$(OLDEST_AIRFLOW)/bin/pytest \
		--basetemp=$(CURDIR)/.pytest-tmp/$(OLDEST_AIRFLOW)

## docs: the user guide and API reference (dead links and undocumented public names are errors); open the index.
docs: $(BIN)/.installed
	AIRFLOW_HOME=$(CURDIR)/.airflow/docs $(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	@echo "Documentation built: open $(CURDIR)/docs/_build/html/index.html"

## demo: run the example pipeline DAG in Airflow against the emulator (or the real API with PIXVERSE_API_KEY).
demo: $(BIN)/.installed
	$(BIN)/python scripts/demo.py

## airflow: a local Airflow (UI at http://127.0.0.1:8080, scheduler, dag-processor, triggerer) with the emulator
## and the example DAGs; every process listens on 127.0.0.1 only (no login). AIRFLOW_PORT=... picks another port.
airflow: $(BIN)/.installed
	$(BIN)/python scripts/standalone.py

emulator: $(BIN)/.installed
	$(BIN)/pixverse-emulator --host 127.0.0.1 --port 8787 --api-key emulator-key

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf .venv .venv-* .airflow .demo .pytest-tmp .mypy_cache .ruff_cache .pytest_cache docs/_build
