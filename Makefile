# Quick start: `make site` builds the example publication, `make test` runs every test.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test lint bench clean regen-golden

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

# After an intended change to the output: rewrite tests/sites/golden/expected, then review
# it with git diff. The golden test reports "skipped: regenerated", never a pass.
regen-golden: $(VENV)/.installed
	$(BIN)/python -m pytest -q -rs --regen-golden tests/test_sites.py::test_golden_site tests/test_init.py::test_repository_workflow_is_the_template

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf _site .pytest_cache .hypothesis
