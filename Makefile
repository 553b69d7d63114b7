# Two commands set everything up on a fresh machine: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast bench lint format messages clean

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install  ## create the environment, migrate, seed the demo and serve on SQLite
	$(BIN)/dreamnexus db upgrade
	$(BIN)/dreamnexus serve --demo --host $(HOST) --port $(PORT)

test: install  ## the whole suite, slow end-to-end tests included
	$(BIN)/pytest -q

test-fast: install  ## everything but the slow end-to-end tests
	$(BIN)/pytest -q -m "not slow"

bench: install  ## every benchmark; each prints JSON
	@set -e; for script in benchmarks/*.py; do echo "== $$script" >&2; $(BIN)/python $$script; done

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

messages: install  ## extract user-facing strings for translators
	$(BIN)/pybabel extract -F babel.cfg -o dreamnexus/locale/messages.pot .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
