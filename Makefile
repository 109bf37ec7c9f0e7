# London Policing Accountability Dashboard
#   make run    install, build the demo snapshot if needed, start the dashboard
#   make test   install (Python packages and Debian's chromium), run every test
#   make bench, bench-load, bench-browser, bench-rebuild   the benchmarks (bench/results.md)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DEMO := data/demo/manifest.json
SESSIONS ?= 20

.PHONY: run test install demo browser bench bench-load bench-browser bench-rebuild lint reference clean

run: install $(DEMO)
	@echo "Starting the dashboard on http://127.0.0.1:$(PORT) (Ctrl+C stops it)…"
	$(PY) scripts/serve.py --server.address 127.0.0.1 --server.port $(PORT)

test: install browser
	@echo "Running ruff, the layer contract and every test (about 4 minutes on 2 cores)…"
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@echo "Installing the Python packages into $(VENV) (first time, or after requirements.txt changes: about 2 minutes)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet --progress-bar off -r requirements.txt
	@touch $@
	@echo "Python packages installed."

demo: install $(DEMO)

$(DEMO):
	@echo "Building the demo snapshot in data/demo (about 5 s)…"
	$(PY) -m lib.demo --out data/demo

# Debian's chromium for the real-browser tests (Playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests (about a minute)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

bench: install
	$(PY) -m bench

# $(SESSIONS) sessions at once over Streamlit's websocket protocol (no browsers).
bench-load: install
	$(PY) -m bench.load --sessions $(SESSIONS) --write

# Each page's first draw and bytes in Debian's chromium.
bench-browser: install browser
	$(PY) -m bench.browser --write

# Server memory over ten rebuild-and-reopen cycles of a served snapshot.
bench-rebuild: install
	$(PY) -m bench.rebuild --write

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(VENV)/bin/lint-imports --no-cache

reference: install
	$(PY) scripts/build_reference.py

clean:
	rm -rf data/demo bench/.snapshots
