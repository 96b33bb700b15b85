"""The recipe pages as a whole (docs/recipes/), and the snippets behind them."""

import io
import re
import tokenize
from importlib.metadata import version
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from harness import DOCS, PAGES, REPO, SNIPPETS, Project, Site

RECIPES = [page for page in PAGES if page.startswith("recipes/")]
SNIPPET_FILES = sorted(
    str(path.relative_to(SNIPPETS))
    for path in SNIPPETS.rglob("*")
    if path.is_file() and "__pycache__" not in path.parts
)
ENV_FILES = [f for f in SNIPPET_FILES if f.endswith("/env.py")]
INCLUDED = {
    ref.partition(":")[0]
    for page in DOCS.rglob("*.md")
    for ref in re.findall(r'--8<-- "([^"]+)"', page.read_text())
}
TESTS = "\n".join(p.read_text() for p in (REPO / "tests").glob("test_*.py"))


@pytest.mark.parametrize("page", RECIPES)
def test_each_recipe_page_names_the_versions_it_was_tested_with(
    page: str, site: Site
) -> None:
    """hooks/versions.py reads them from the installed packages."""
    line = site.soup(page).select_one("p.tested-with").get_text()
    assert line.startswith("Tested with ")
    assert f"Alembic {version('alembic')}, " in line
    assert f"SQLAlchemy {version('sqlalchemy')}" in line


def test_a_page_names_the_further_packages_of_its_front_matter(
    site: Site,
) -> None:
    line = site.soup("recipes/async-engine").select_one("p.tested-with")
    assert f"aiosqlite {version('aiosqlite')}" in line.get_text()


@pytest.mark.parametrize("ref", SNIPPET_FILES)
def test_every_snippet_file_is_shown_by_a_page(ref: str) -> None:
    assert ref in INCLUDED


@pytest.mark.parametrize("ref", SNIPPET_FILES)
def test_every_snippet_file_is_used_by_a_test(ref: str) -> None:
    """By its path, or the path of the package that a test copies whole."""
    parents = [str(p) for p in Path(ref).parents if str(p) != "."]
    assert any(f'"{path}' in TESTS for path in [ref, *parents[:-1]])


def layout_free_tokens(source: str) -> list[tokenize.TokenInfo]:
    """Python tokens without line breaks and indentation."""
    layout = {
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token for token in tokens if token.type not in layout]


@pytest.mark.parametrize("ref", ENV_FILES)
def test_every_env_py_is_the_installed_template_with_additions(
    ref: str,
) -> None:
    """Every token of `alembic init`'s env.py is in the snippet, in order.

    Only `target_metadata = None` is replaced; the rest is added: code,
    comments, or the commas and line breaks of the formatter.
    """
    name = "async" if ref.startswith("async") else "generic"
    template = Path(Config().get_template_directory(), name, "env.py")
    source = template.read_text().replace("target_metadata = None\n", "")
    snippet = iter(
        t.string for t in layout_free_tokens((SNIPPETS / ref).read_text())
    )
    for token in layout_free_tokens(source):
        assert token.string in snippet, (
            f"{name}/env.py:{token.start[0]}: {token.line}"
        )


def test_the_recipes_alembic_ini_puts_the_database_next_to_it(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """%(here)s is alembic.ini's folder, whichever folder alembic runs from."""
    project.edit_ini("recipes/alembic.ini")
    monkeypatch.chdir(project.root / "alembic")
    command.upgrade(project.config, "head")
    assert project.tables() == set()
    assert not (project.root / "alembic" / "database.sqlite").exists()
