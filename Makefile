# Two commands set everything up on a fresh machine with Python 3.11+:
#   make demo   -> builds .venv, installs tenure, runs `tenure demo` into ./demo-workspace
#   make test   -> builds .venv with the test extras, runs the whole suite on every core
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz fuzz-cli bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tenure demo demo-workspace --force

# Every test, slow ones included, on every core (pytest-xdist). worksteal, because test times are
# uneven (a CLI test spawns several processes): an idle worker takes over another's queued tests.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# The loader's fuzzing suite at length: 300 hostile files per table (the suite runs 4; TENURE_FUZZ_EXAMPLES=N).
fuzz: $(STAMP)
	TENURE_FUZZ=long $(BIN)/python -m pytest -q tests/test_load_fuzz.py

# Every hostile value on every option of every command (about 800 runs; the suite tries one per option).
fuzz-cli: $(STAMP)
	TENURE_CLI_FUZZ=all $(BIN)/python -m pytest -q -n auto tests/cli/test_hostile_options.py

bench: $(STAMP)
	$(BIN)/tenure bench --events 10000000 --accounts 10000

clean:
	rm -rf $(VENV) demo-workspace .bench
