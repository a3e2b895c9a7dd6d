# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint bench-matching

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

run: install
	$(BIN)/helpbot serve

lint: install
	$(BIN)/ruff check helpbot benchmarks tests migrations

test: lint
	$(BIN)/pytest

bench-matching: install
	$(BIN)/helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl \
		--queries ../shared/bench/localgovfaq/queries_dev.jsonl

