# Every target makes its own virtualenv first (.venv), so a fresh clone needs only python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean help

help:
	@echo "make demo   set up, ingest the bundled examples into SQLite and serve the dashboard"
	@echo "make test   lint (ruff, mypy) and the whole test suite"
	@echo "make bench  benchmarks against peers; figures go to docs/BENCHMARKS.md"
	@echo "make lint   ruff and mypy only"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench train
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

demo: $(STAMP)
	$(BIN)/warta demo

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache
