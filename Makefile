# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run shell test lint bench-matching bench-matching-kana

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

run: install
	$(BIN)/helpbot serve

# A shell with .venv/bin first on PATH, so `helpbot ...` works (exit to leave it).
shell: install
	@echo "helpbot is on PATH in this shell (.venv/bin). Type exit to leave."
	@PATH="$(abspath $(BIN)):$$PATH" VIRTUAL_ENV="$(abspath $(VENV))" $${SHELL:-/bin/sh}

lint: install
	$(BIN)/ruff check helpbot benchmarks tests migrations

test: lint
	$(BIN)/pytest

bench-matching: install
	$(BIN)/helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl \
		--queries ../shared/bench/localgovfaq/queries_dev.jsonl

bench-matching-kana: install
	$(BIN)/helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl \
		--queries ../shared/bench/localgovfaq/queries_dev.jsonl --variant kana

