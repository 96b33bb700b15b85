# Two entry points: `make serve` and `make test`. Both install from requirements.lock first.
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test lint build pytest lock system-packages

serve: $(VENV)/.installed
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --watch snippets

test: $(VENV)/.installed build lint pytest

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict --quiet

lint: $(VENV)/.installed
	$(BIN)/ruff check snippets tests hooks
	$(BIN)/ruff format --check snippets tests hooks

pytest: $(VENV)/.installed system-packages
	$(BIN)/pytest

# PostgreSQL's server, for the test that migrates a real one.
system-packages:
	@scripts/install-system-packages.sh

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
