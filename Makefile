# Two commands matter: `make serve` (build and serve the sample archive) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install site serve test clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: install
	$(PY) build.py build

serve: install
	$(PY) build.py serve

test: install
	$(PY) -m pytest

clean:
	rm -rf output output.new-* output.old-* .pytest_cache
