# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install chromium run test test-fast test-scale lint bench check-knowledge vectors clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) chromium

# The staff web workspace's browser tests drive a real headless Chromium through Playwright.
# Playwright's own browser download (`playwright install`) cannot work on machines without
# the internet, so the browser comes from Debian's package instead; as root, apt installs it
# when it is missing (apt-get update first: a fresh machine has no package lists). Elsewhere
# the browser tests skip with one line (and fail under CI=true).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

run: install
	$(BIN)/python bot.py

lint: install
	$(BIN)/ruff check .

check-knowledge: install
	$(BIN)/python bot.py check-knowledge

# Rebuild the sample vectors shipped in knowledge/embeddings/ (and the test tables' in
# tests/data/embeddings/) after large knowledge edits: a fresh install then embeds only what
# changed since (about 70 s of CPU, one core).
vectors: install
	$(BIN)/python -m tests.support.ship_vectors

# Every test, one worker per core and one more: about a quarter of the suite's wall time is
# tests waiting on their bot processes and stand-in servers, and the extra worker fills it
# (docs/testing.md, session 14). TEST_WORKERS=0 runs them in this process, one by one.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

test: install lint
	$(BIN)/python bot.py check-knowledge
	$(PYTEST)

# The same without the tests marked slow (fault injection, load, bot processes restarted).
test-fast: install lint
	$(PYTEST) -m "not slow"

# The multi-worker proof at the issue's full size: 300 people greet, ask and register through
# three `serve` workers on PostgreSQL, one SIGKILLed mid-run (about 6,100 messages; 47-54 s on a
# quiet 2-core machine, more under load). `make test` runs the same test with 30 people; CI
# runs this after it.
test-scale: install
	WORKERS_E2E_USERS=300 $(BIN)/python -m pytest -n 0 -q -s -p no:cacheprovider \
		tests/test_workers_conversations.py

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
