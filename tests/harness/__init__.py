"""The test harness: what every test of this suite stands on.

- `snippets`: the snippet files and the pages that include them; which test
  took which snippet.
- `project`: the `project` fixture, a temporary project made by the installed
  Alembic's own `alembic init`, and `shell`, to run commands as a reader does.
- `site`: the `site` fixture, the site built once per session and parsed.
- `browser`: `site_url`, the same site served on 127.0.0.1, and the chromium
  that the browser tests and the benchmark visit it with.
- `postgres`: the `postgres` fixture, a PostgreSQL server for the session.
- `ordering`: tests marked `last` run after the rest of a whole-suite run.

tests/conftest.py registers the fixtures; tests import what they use from here.
"""

from .browser import CHROMIUM, CHROMIUM_ARGS, serve
from .postgres import Postgres
from .project import Project, shell
from .site import Site
from .snippets import (
    DOCS,
    MARKER,
    PAGES,
    REPO,
    SNIPPETS,
    exercised_by,
    fences,
    includes,
    read_snippet,
    shown,
    snippet_text,
    without_section,
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DOCS",
    "MARKER",
    "PAGES",
    "REPO",
    "SNIPPETS",
    "Postgres",
    "Project",
    "Site",
    "exercised_by",
    "fences",
    "includes",
    "read_snippet",
    "serve",
    "shell",
    "shown",
    "snippet_text",
    "without_section",
]
