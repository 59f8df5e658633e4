# Every target sets itself up: a fresh machine needs only Python 3.11+, Node and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SB := $(BIN)/site-builder
CHROMIUM ?= /usr/bin/chromium
# Tests run in one process per core (pytest-xdist), each test file in one process, so a
# file's shared fixtures are made once; `make test PARALLEL=` runs them in one process.
PARALLEL ?= -n auto --dist loadfile --no-loadscope-reorder

.PHONY: site ingest build serve test test-fast lint typecheck check bench clean setup vendor golden

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The tool alone: what making the site needs (a daily CI run installs 110 MB, not 390 MB
# with the test tools). A venv set up for the tests already has it.
$(VENV)/.tool: pyproject.toml
	if [ $(VENV)/.installed -nt pyproject.toml ]; then :; else \
		$(PYTHON) -m venv $(VENV) && \
		$(BIN)/pip install --quiet --upgrade pip && \
		$(BIN)/pip install --quiet -e . ; fi
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

LUNR_JS := site_builder/themes/default/static/lunr.min.js

vendor: node_modules/.installed  ## copy lunr.min.js from npm into the package (a test checks they match)
	cp node_modules/lunr/lunr.min.js $(LUNR_JS)

site: $(VENV)/.tool  ## ingest the dumps in content/sources and build _site/
	$(SB) ingest
	$(SB) build

ingest: $(VENV)/.tool
	$(SB) ingest

build: $(VENV)/.tool
	$(SB) build

serve: $(VENV)/.tool
	$(SB) serve

check: site
	$(SB) check

test: setup  ## lint, types and the whole suite, browser tests included
	$(BIN)/ruff check site_builder tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PARALLEL)

test-fast: setup
	$(BIN)/python -m pytest -q $(PARALLEL) -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check site_builder tests bench
	$(BIN)/ruff format --check site_builder tests bench

typecheck: setup
	$(BIN)/mypy

golden: setup  ## rewrite tests/data/golden/expected from the golden site, on purpose
	$(BIN)/python tests/golden.py

bench: setup  ## quality against judged sets and baselines (seconds), then timings (~30 min)
	$(BIN)/python -m bench.search_quality
	$(BIN)/python -m bench.tag_quality
	$(BIN)/python -m bench.related_quality
	$(BIN)/python -m bench.run

clean:
	rm -rf _site _site.* .site-cache .pytest_cache .ruff_cache .hypothesis bench/work
