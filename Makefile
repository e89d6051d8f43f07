# Two commands set everything up on a fresh machine with Python 3.11+:
#   make demo   -> builds .venv, installs tenure, runs `tenure demo` into ./demo-workspace
#   make test   -> builds .venv with the test extras, runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tenure demo demo-workspace --force

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/tenure bench --events 10000000 --accounts 10000

clean:
	rm -rf $(VENV) demo-workspace .bench
