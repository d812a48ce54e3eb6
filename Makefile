# Quick start: `make site` builds the example publication, `make test` runs every test.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

site: $(VENV)/.installed
	$(BIN)/sitegen build

test: $(VENV)/.installed
	$(BIN)/ruff check sitegen tests benchmarks
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf _site .pytest_cache .hypothesis
