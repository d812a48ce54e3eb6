# Quick start: `make site` builds the example publication, `make test` runs every test.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test lint bench clean regen-golden chromium

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

site: $(VENV)/.installed
	$(BIN)/sitegen build

test: $(VENV)/.installed chromium
	$(BIN)/ruff check sitegen tests benchmarks scripts
	$(BIN)/python -m pytest

# After an intended change to the output: rewrite tests/sites/golden/expected, then review
# it with git diff. The golden test reports "skipped: regenerated", never a pass.
regen-golden: $(VENV)/.installed
	$(BIN)/python -m pytest -q -rs --regen-golden tests/test_sites.py::test_golden_site tests/test_init.py::test_repository_workflow_is_the_template

# The browser tests (tests/test_browser.py) drive Debian's chromium through Playwright; a
# browser download by Playwright does not work here. Installed with apt-get when missing
# (CI runs as root on a fresh machine); anyone else without it is told how, and make stops.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	    echo "make test: the browser tests need Debian's chromium at /usr/bin/chromium." >&2; \
	    echo "Install it with: sudo apt-get install chromium (or run make test as root)" >&2; \
	    exit 1; \
	  fi; \
	  echo "Installing chromium (and a Korean font for the screenshots) with apt-get"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && \
	  apt-get install -y -qq -o Dpkg::Use-Pty=0 chromium fonts-noto-cjk >/dev/null; \
	fi

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 4000

clean:
	rm -rf _site .pytest_cache .hypothesis
