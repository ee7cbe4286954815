# The README's commands.  `make serve` and `make test` each install first, so
# each is one command on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install install-test serve test test-virtuoso lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# setuptools too: the one venv bundles (65.5) has known advisories and is not the latest,
# so the dependency audit could not even look it up.
install: $(BIN)/python
	$(BIN)/pip install -q --upgrade pip setuptools
	$(BIN)/pip install -q -e .
	bash scripts/build-assets.sh

install-test: install
	$(BIN)/pip install -q -e '.[test]'
	bash scripts/install-system-deps.sh

serve: install
	$(BIN)/casegraph serve

# The venv's bin goes first on PATH: tests start `casegraph` and `oxigraph` processes.
test: install-test
	$(BIN)/ruff check service tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/audit_dependencies.py
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pytest -q
	$(MAKE) test-virtuoso

# The remote backend's store, protocol, curated-answer and HTTP suites again, on Virtuoso
# (the run above used `oxigraph serve`); bounded so CI stays within its budget.
test-virtuoso:
	PATH="$(abspath $(BIN)):$$PATH" CASEGRAPH_TEST_REMOTE=virtuoso timeout 900 \
	  $(BIN)/pytest -q -m remote tests/store tests/w3c/test_protocol_suites.py \
	  tests/data/test_question_answers.py tests/data/test_question_answers_across_engines.py \
	  tests/web
