"""The test harness: what every test of this suite stands on.

CONTRIBUTING.md's Layout describes its modules; each module's docstring says
more. tests/conftest.py registers the fixtures; tests import from here.
"""

from .browser import CHROMIUM, CHROMIUM_ARGS, serve, site_path
from .installs import (
    installed_as_claimed,
    packages_tested_with,
    project_requirements,
)
from .mariadb import MariaDB
from .outputs import captured, matches_output, migration, quoted
from .postgres import (
    Activity,
    Postgres,
    waits_for_a_lock,
    with_values,
)
from .programs import run_checked
from .project import (
    Project,
    alembic_cli,
    finished,
    shell,
    started,
)
from .shapes import ENV_PAGES, SHAPES, EnvPage, Reader, Shape
from .site import Site, cached_build
from .snippets import (
    DOCS,
    MARKER,
    PAGES,
    REPO,
    SNIPPETS,
    copy_repository,
    exercised_by,
    fences,
    includes,
    read_snippet,
    shown,
    shown_lines,
    snippet_text,
    without_section,
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DOCS",
    "ENV_PAGES",
    "MARKER",
    "PAGES",
    "REPO",
    "SHAPES",
    "SNIPPETS",
    "Activity",
    "EnvPage",
    "MariaDB",
    "Postgres",
    "Project",
    "Reader",
    "Shape",
    "Site",
    "alembic_cli",
    "cached_build",
    "captured",
    "copy_repository",
    "exercised_by",
    "fences",
    "finished",
    "includes",
    "installed_as_claimed",
    "matches_output",
    "migration",
    "packages_tested_with",
    "project_requirements",
    "quoted",
    "read_snippet",
    "run_checked",
    "serve",
    "shell",
    "shown",
    "shown_lines",
    "site_path",
    "snippet_text",
    "started",
    "waits_for_a_lock",
    "with_values",
    "without_section",
]
