# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= data/raw
OUT ?= data/processed

.PHONY: run test lock clean

run: $(VENV)/.installed
	$(PY) -m flows run --raw $(RAW) --out $(OUT)

test: $(VENV)/.installed
	$(PY) -m pytest

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Re-pin every transitive dependency after editing pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	.lockenv/bin/pip freeze --exclude extremism-pipeline > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) $(OUT) .state
