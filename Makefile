# The two commands of README.md: `make run` and `make test`. Both install what
# is missing first (system packages, .venv), so they work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: run serve test load drills system system-test venv lint format clean

run: system venv
	./scripts/run.sh

# The production set-up locally: gunicorn, DEBUG off, worker and beat.
serve: system venv
	./scripts/serve.sh

test: system-test venv
	./scripts/test.sh $(ARGS)

# Benchmarks (figures in README.md); ARGS go to the script, e.g. ARGS="--cases 100000".
# make bench-<name> runs bench/<name>.py (e.g. bench-routing, bench-api).
bench-%: system venv
	./scripts/bench.sh $* $(ARGS)

# Resilience (README, "Load and fault drills"): locust against the production
# set-up, then every accepted report and notification verified.
load: system venv
	./scripts/bench.sh load $(ARGS)

drills: system venv
	./scripts/bench.sh drills $(ARGS)

system:
	./scripts/install-system-deps.sh

# The tests also drive a real browser: Debian's Chromium (Playwright's own
# browser download cannot work without the internet), and inject axe-core
# from npm into it.
system-test:
	./scripts/install-system-deps.sh chromium $$(command -v npm >/dev/null || echo nodejs npm)

venv: $(INSTALLED)

$(INSTALLED): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Debian: apt-get install python3.11 python3.11-venv)"; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --editable '.[dev]'
	touch $@

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .var .pytest_cache
