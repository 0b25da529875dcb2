# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint bench check-knowledge clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python bot.py

lint: install
	$(BIN)/ruff check .

check-knowledge: install
	$(BIN)/python bot.py check-knowledge

# Every test, on every core (TEST_WORKERS=0 runs them in this process, one by one).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

test: install lint
	$(BIN)/python bot.py check-knowledge
	$(PYTEST)

# The same without the tests marked slow (fault injection, load, bot processes restarted).
test-fast: install lint
	$(PYTEST) -m "not slow"

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
