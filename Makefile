# Kuntahaku: `make run` installs, indexes corpus/ and serves; `make test` installs and runs the suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1

.PHONY: install index run test bench lint clean

install: $(VENV)/.installed

# Voikko (Finnish lemmas + compound parts) comes from Debian; without it the analyzer falls back
# to Snowball Finnish and says so in the index manifest and /health.
$(VENV)/.installed: pyproject.toml scripts/install-system.sh
	bash scripts/install-system.sh
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU build of torch from local disk, pinned before sentence-transformers can pull a CUDA one.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	# the Hunspell binding builds on libhunspell-dev; without it Swedish questions lose one step
	$(BIN)/pip install -q -e '.[hunspell]' || echo "install: no Hunspell binding (libhunspell-dev?)" >&2
	touch $@

index: install
	$(BIN)/kuntahaku index

run: index
	$(BIN)/kuntahaku serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python eval/bench_parse.py
	$(BIN)/python eval/bench_fidelity.py
	$(BIN)/python eval/bench_tables.py
	$(BIN)/python eval/bench_tables.py --gold eval/table_dev.json --section bench_tables_dev
	$(BIN)/python eval/bench_search.py
	$(BIN)/python eval/bench_answers.py
	$(BIN)/python eval/bench_serve.py
	$(BIN)/python eval/bench_corpus.py --fresh-clone
	$(BIN)/python eval/bench_load.py

lint: install
	$(BIN)/ruff check indexer api eval tests

clean:
	rm -rf $(VENV) var
