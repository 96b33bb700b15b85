# Entry points: `make serve`, `make test` and `make benchmark`; each installs from requirements.lock first.
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

CHROMIUM := /usr/bin/chromium
LIGHTHOUSE := .cache/lighthouse/node_modules/.bin/lighthouse
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: serve test lint build pytest lock benchmark

serve: $(VENV)/.installed
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --watch snippets

test: $(VENV)/.installed build lint pytest

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict --quiet

lint: $(VENV)/.installed
	$(BIN)/ruff check snippets tests scripts overrides
	$(BIN)/ruff format --check snippets tests scripts overrides

pytest: $(VENV)/.installed $(CHROMIUM)
	$(BIN)/pytest

# The browser tests use Debian's chromium: `playwright install` downloads a
# browser of its own, which this project never does.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Build, migration and test times, and Lighthouse scores: not part of `test`.
benchmark: $(VENV)/.installed $(CHROMIUM) $(LIGHTHOUSE)
	$(BIN)/python scripts/benchmark.py

# Lighthouse 13 needs Node 22; 12.2.3 runs on Node 20.
$(LIGHTHOUSE):
	npm install --prefix .cache/lighthouse --save-exact --no-audit --no-fund lighthouse@12.2.3

# uv itself is pinned, with its hashes, in the lock: pip installs it, then uv
# makes the environment match the lock exactly.
$(VENV)/.installed: requirements.lock
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed, found " + sys.version)'
	python3 -m venv $(VENV)
	awk '/^uv==/ {p = 1; print; next} p && /^ / {print; next} {p = 0}' requirements.lock > $(VENV)/uv.lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(VENV)/uv.lock.txt
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python --require-hashes requirements.lock
	touch $@

# Re-resolve after changing pyproject.toml's dependencies.
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 --quiet -o requirements.lock
