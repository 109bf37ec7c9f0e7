# London Policing Accountability Dashboard
#   make run    install, build the demo snapshot if needed, start the dashboard
#   make test   install (Python packages and Debian's chromium), run every test
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DEMO := data/demo/manifest.json

.PHONY: run test install demo browser bench lint reference clean

run: install $(DEMO)
	$(PY) scripts/serve.py --server.address 127.0.0.1 --server.port $(PORT)

test: install browser
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

demo: install $(DEMO)

$(DEMO):
	$(PY) -m lib.demo --out data/demo

# Debian's chromium for the real-browser tests (Playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

bench: install
	$(PY) -m bench

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(VENV)/bin/lint-imports --no-cache

reference: install
	$(PY) scripts/build_reference.py

clean:
	rm -rf data/demo bench/.snapshots
