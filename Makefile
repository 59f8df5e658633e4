# Every target sets itself up: a fresh machine needs only Python 3.11+, Node and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SB := $(BIN)/site-builder
CHROMIUM ?= /usr/bin/chromium

.PHONY: site ingest build serve test test-fast lint check bench clean setup

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

site: setup  ## ingest the dumps in content/sources and build _site/
	$(SB) ingest
	$(SB) build

ingest: setup
	$(SB) ingest

build: setup
	$(SB) build

serve: setup
	$(SB) serve

check: site
	$(SB) check

test: setup  ## the whole suite, browser tests included
	$(BIN)/ruff check site_builder tests $(wildcard bench)
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check site_builder tests $(wildcard bench)
	$(BIN)/ruff format --check site_builder tests $(wildcard bench)

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf _site _site.* .site-cache .pytest_cache .ruff_cache .hypothesis bench/work
