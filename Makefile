# Entry points: `make serve`, `make test` and `make benchmark`. `serve`
# installs the site's build alone (requirements-docs.lock) into .venv-docs/;
# the others every tool (requirements.lock) into .venv/.
VENV := .venv
# CI's lowest-versions job runs `make test LOCK=requirements-lowest.lock`.
LOCK ?= requirements.lock
BIN := $(VENV)/bin
DOCS_VENV := .venv-docs
DOCS_LOCK := requirements-docs.lock
export NO_MKDOCS_2_WARNING := 1

LIGHTHOUSE := .cache/lighthouse/node_modules/.bin/lighthouse

.PHONY: serve test lint build pages linkcheck pytest-rest pytest-browser lock highest recipe system-packages benchmark mutants FORCE

serve: $(DOCS_VENV)/.installed
	SITE_URL=http://127.0.0.1:8000/ $(DOCS_VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --watch snippets

# Two lanes: the browser tests on one; the build, lint, link check and the
# rest of pytest (on three workers), in turn, on the other.
# scripts/steps.py says when each step starts and ends, and what runs at
# least every 10 s; a failing step's output is printed whole, the rest is
# stopped and the command fails.
test: $(VENV)/.installed system-packages
	@$(BIN)/python scripts/steps.py pytest-browser -- build lint linkcheck pytest-rest

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict --quiet

# The site as CI publishes it to GitHub Pages, built in the preview's environment.
pages: $(DOCS_VENV)/.installed
	$(DOCS_VENV)/bin/mkdocs build --strict --quiet

# Every hook of .pre-commit-config.yaml, on every file git does not ignore.
lint: $(VENV)/.installed
	git ls-files -z --cached --others --exclude-standard | xargs -0 $(BIN)/pre-commit run --files

# The links of the site that `make build` wrote (`make build linkcheck`),
# anchors included; its 404 page links from site_url's path.
linkcheck: $(VENV)/.installed
	$(BIN)/lychee --offline --no-progress --include-fragments --index-files index.html --root-dir $(CURDIR)/site \
	  --remap '^file://$(CURDIR)/site/alembic-env-py-guide(/|$$) file://$(CURDIR)/site/' site

# The browser tests run in a pytest of their own, the rest on three workers
# (pytest-xdist) on the two cores of a CI runner: a worker whose test waits
# (for a lock timeout, a server) leaves its core to another, and an idle
# worker takes tests queued for a busy one (worksteal). Each prints its own
# summary.
pytest-rest:
	$(BIN)/pytest --numprocesses 3 --dist worksteal --ignore=tests/test_browser.py

pytest-browser:
	$(BIN)/pytest -p no:xdist tests/test_browser.py

# Debian's chromium for the browser tests (Playwright never downloads a browser
# of its own here), PostgreSQL's server and MariaDB's.
system-packages:
	@scripts/install-system-packages.sh

# Build, migration and test times, and Lighthouse scores: not part of `test`.
benchmark: $(VENV)/.installed system-packages $(LIGHTHOUSE)
	$(BIN)/python scripts/benchmark.py

# Does every line a page shows matter to a test? Mutate each, run the tests
# that took its snippet, report survivors (scripts/mutants.py): not part of `test`.
mutants: $(VENV)/.installed system-packages
	$(BIN)/python scripts/mutants.py

# Lighthouse 13 needs Node 22; 12.2.3 runs on Node 20.
$(LIGHTHOUSE):
	npm install --prefix .cache/lighthouse --save-exact --no-audit --no-fund lighthouse@12.2.3

# $(call sync,VENV,LOCK): make the environment VENV match LOCK exactly. uv
# itself is pinned, with its hashes, in the lock: pip installs it, then uv
# syncs. The marker names the lock, so that another LOCK re-syncs.
# A .pth file puts extensions/ (mkdocs.yml's Markdown extensions) on its path.
define sync
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed, found " + sys.version)'
	python3 -m venv $1
	awk '/^uv==/ {p = 1; print; next} p && /^ / {print; next} {p = 0}' $2 > $1/uv.lock.txt
	$1/bin/python -m pip install --quiet --no-deps --require-hashes -r $1/uv.lock.txt
	$1/bin/uv pip sync --quiet --compile-bytecode --python $1/bin/python --require-hashes $2
	echo $(CURDIR)/extensions > $$($1/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/alembic-env-py-guide.pth
	echo $2 > $1/.installed
endef

# The Makefile is a prerequisite too: a change to `sync` remakes environments.
$(VENV)/.installed: $(LOCK) Makefile $(if $(filter-out $(LOCK),$(file <$(VENV)/.installed)),FORCE)
	$(call sync,$(VENV),$(LOCK))

$(DOCS_VENV)/.installed: $(DOCS_LOCK) Makefile
	$(call sync,$(DOCS_VENV),$(DOCS_LOCK))

# Re-resolve after changing pyproject.toml's dependencies. requirements-lowest.lock
# holds the project's own dependencies at their lowest versions and every other
# package as requirements.lock does; requirements-docs.lock the docs extra, each
# package pinned as requirements.lock pins it (tests/test_contributing.py
# checks all three).
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 --quiet -o requirements.lock
	sed -n 's/^\([A-Za-z0-9].*[^ ]\) *\\$$/\1/p' requirements.lock > $(VENV)/pins.txt
	$(BIN)/uv pip compile pyproject.toml --extra docs -c $(VENV)/pins.txt --generate-hashes --universal --python-version 3.11 --quiet -o $(DOCS_LOCK)
	awk '/^(alembic|sqlalchemy|dynaconf)==/ {s = 1; next} s && /^ / {next} {s = 0; print}' requirements.lock > $(VENV)/others.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --resolution lowest-direct -c $(VENV)/others.txt --generate-hashes --universal --python-version 3.11 --quiet -o requirements-lowest.lock

# CI's highest-versions job: the newest releases of pyproject.toml's dependencies.
highest: $(VENV)/.installed
	$(BIN)/uv pip install --quiet --python $(BIN)/python --upgrade -r pyproject.toml
	echo highest > $(VENV)/.installed

# A new recipe's page, snippet and test from recipe-template/ (CONTRIBUTING.md).
recipe: $(VENV)/.installed
	$(BIN)/python recipe-template/scaffold.py $(NAME)
