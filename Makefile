# Targets named in the README. Each bootstraps .venv when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench schemas clean

# The bundled catalog's mutation score (`rules test --mutate`) may not fall below this. Measured
# 453/669 = 67.7% when mutation testing came in, 504/772 = 65.3% with the fail-closed rules (their
# dates, unknown facts and derived facts add mutants the cases do not all reach yet); raise it as
# rules gain test cases.
MUTATION_FLOOR ?= 65

# The environment is the lock, exactly: every package pinned with its hashes, installed without
# resolving anything (so a fresh machine gets what CI tested), then this checkout on top.
LOCK := requirements-dev.lock
RUNTIME_LOCK := requirements.lock
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the locks: the newest versions pyproject.toml allows, for Python 3.11, with hashes.
# requirements-dev.lock is the development and CI environment; requirements.lock (the runtime and
# the c2pa extra, pinned to the same versions) is what the GitHub Action installs. Review the diff,
# run `make test`, commit the three files together.
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := .venv-lock
.PHONY: lock
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/python -m pip install --quiet '$(PIP_TOOLS)'; }
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --all-build-deps \
	  --no-emit-index-url --no-emit-find-links --extra dev --strip-extras \
	  --output-file $(LOCK) pyproject.toml
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --all-build-deps --extra c2pa --strip-extras --constraint $(LOCK) \
	  --output-file $(RUNTIME_LOCK) pyproject.toml

# Check every bundled example against the CCAI baseline. Exit 1 (findings) is the
# expected outcome for the non-compliant examples; only exit 2 (could not evaluate) fails.
demo: $(STAMP)
	@rc=0; $(BIN)/ccai-policy check examples/ || rc=$$?; \
	echo "ccai-policy exited $$rc (0: compliant, 1: findings, 2: could not evaluate)"; \
	test $$rc -le 1

test: $(STAMP) lint
	$(BIN)/ccai-policy rules lint
	$(BIN)/ccai-policy rules test --require-tests --mutate --min-score $(MUTATION_FLOOR)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

# The Rego peers the benchmark compares with (benchmarks/peers.txt) live in their own
# environment; when one cannot install here, `make bench` reports it skipped, with a note.
PEER_VENV := .venv-peers
.PHONY: bench-peers
bench-peers:
	test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	-$(PEER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/peers.txt
	-$(PEER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		--ignore-requires-python --no-deps -r benchmarks/peers-opa.txt

# BENCH_OPTIONS='--count 20' for a quicker loop (a smaller slate; the table says its size).
# The package's bytecode is written first, as installing a wheel writes it: a cold start then
# measures the tool, not Python compiling its sources (0.1 s where PYTHONDONTWRITEBYTECODE is set).
bench: $(STAMP) bench-peers
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/run.py $(BENCH_OPTIONS)

schemas: $(STAMP)
	$(BIN)/python -m ccai_policy.model.schemas

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(PEER_VENV) dist build out .pytest_cache .mypy_cache .ruff_cache

# Debian's chromium and a local axe-core for tests/test_browser.py, which skips with a message
# when they are missing. Installing chromium needs root (apt-get); axe-core goes into .venv/.
AXE_JS := $(VENV)/browser/node_modules/axe-core/axe.min.js
.PHONY: browser-deps
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	  else echo "browser-deps: install Debian's chromium package (needs root)"; exit 1; fi; }
	@test -f $(AXE_JS) || npm install --no-save --silent --prefix $(VENV)/browser axe-core@4

# Long fuzzing run: the fuzz tests with many more examples than `make test` gives them.
# Hypothesis keeps every example of a run in memory (about 0.7 MB a generated declaration), so
# the run is split into rounds of FUZZ_EXAMPLES examples a test, each in a fresh process with a
# fresh random seed; failures found are kept in .hypothesis/ and replayed first.
# FUZZ_ROUNDS=100 make fuzz runs longer (a round takes about 8 minutes on two cores).
FUZZ_EXAMPLES ?= 1000
FUZZ_ROUNDS ?= 20
.PHONY: fuzz
fuzz: $(STAMP)
	@for round in $$(seq 1 $(FUZZ_ROUNDS)); do \
	  echo "fuzz round $$round of $(FUZZ_ROUNDS)"; \
	  CCAI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py \
	    --hypothesis-show-statistics -q -p no:cacheprovider || exit 1; \
	done
