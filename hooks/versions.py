"""MkDocs hook: each recipe page names the versions it was tested with.

The versions are read from the installed packages when the site is built,
the same packages the test suite runs the recipes against. A page lists
further packages in its front matter, as `tested_with: [aiosqlite]`.
"""

import sqlite3
from importlib.metadata import version

from mkdocs.structure.pages import Page

PACKAGES = ["alembic", "sqlalchemy"]
NAMES = {"alembic": "Alembic", "sqlalchemy": "SQLAlchemy"}


def tested_with(packages: list[str]) -> str:
    """The line a recipe page shows below its title."""
    names = [f"{NAMES.get(p, p)} {version(p)}" for p in packages]
    listed = f"{', '.join(names)} and SQLite {sqlite3.sqlite_version}"
    return f"Tested with {listed}.\n{{ .tested-with }}"


def on_page_markdown(markdown: str, page: Page, **_: object) -> str:
    """Add the line below the title of every recipe page."""
    if not page.file.src_uri.startswith("recipes/"):
        return markdown
    packages = PACKAGES + page.meta.get("tested_with", [])
    title, sep, body = markdown.partition("\n")
    assert title.startswith("# "), f"{page.file.src_uri}: no title first"
    return f"{title}{sep}\n{tested_with(packages)}\n{body}"
