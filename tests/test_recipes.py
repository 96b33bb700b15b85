"""The recipe pages as a whole (docs/recipes/), and the snippets behind them."""

import configparser
import io
import os
import re
import shutil
import tokenize
from importlib.metadata import version
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from harness import PAGES, SNIPPETS, Project, Site, fences, includes

RECIPES = [page for page in PAGES if page.startswith("recipes/")]
ENV_FILES = sorted(
    str(path.relative_to(SNIPPETS)) for path in SNIPPETS.glob("*/env.py")
)
# Each env.py a page shows whole: the application, alembic.ini lines and
# further snippet files it runs with (Project.recipe), and the commands of
# its page that come before a migration.
WHOLE_ENV_FILES = {
    "async-engine/env.py": ("basics/app", "async-engine/alembic.ini", {}, ""),
    "basics/env.py": ("basics/app", None, {}, ""),
    "complete-env-py/env.py": (
        "several-metadata/app",
        "recipes/alembic.ini",
        {},
        "",
    ),
    "dynaconf/env.py": (
        "basics/app",
        None,
        {
            "dynaconf/settings.toml": "settings.toml",
            "dynaconf/.secrets.toml.example": ".secrets.toml.example",
        },
        "dynaconf/commands.sh:secrets",
    ),
    "revision-imports/env.py": ("basics/app", None, {}, ""),
}
# The recipes whose env.py starts from another template than generic.
TEMPLATES = {"async-engine": "async", "several-databases": "multidb"}
# A value a migration executes, which offline mode writes inline.
EXECUTE_A_VALUE = """
    op.execute(sa.text("SELECT :value").bindparams(value="ada"))
"""


@pytest.mark.parametrize("doc", RECIPES)
def test_each_recipe_page_names_the_versions_it_was_tested_with(
    doc: str, site: Site
) -> None:
    """extensions/tested_versions.py reads them from the installed packages."""
    line = site.soup(doc).select_one("p.tested-with").get_text()
    assert line.startswith("Tested with ")
    assert f"Alembic {version('alembic')}, " in line
    assert f"SQLAlchemy {version('sqlalchemy')}" in line


@pytest.mark.parametrize("doc", RECIPES)
def test_each_recipe_page_shows_the_versions_line_below_its_title(
    doc: str, site: Site
) -> None:
    """Where its `<!-- tested with -->` line stands, which every recipe
    page has (and recipe-template/ writes)."""
    page = site.soup(doc)
    title = page.select_one("article h1")
    assert title.find_next_sibling() is page.select_one("p.tested-with")


def test_a_page_names_the_further_packages_its_marker_lists(
    site: Site,
) -> None:
    """`<!-- tested with: aiosqlite -->` adds aiosqlite to the line."""
    line = site.soup("recipes/async-engine").select_one("p.tested-with")
    assert f"aiosqlite {version('aiosqlite')}" in line.get_text()


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

    Only `target_metadata = None` (multidb: `= {}`) is replaced; the rest is
    added: code, comments, or the commas and line breaks of the formatter.
    """
    name = TEMPLATES.get(ref.partition("/")[0], "generic")
    template = Path(Config().get_template_directory(), name, "env.py")
    source = template.read_text()
    source = re.sub(
        r"^target_metadata = (None|\{\})\n", "", source, flags=re.MULTILINE
    )
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


def test_every_whole_env_py_a_page_shows_is_listed() -> None:
    shown = {
        ref
        for page in PAGES
        for _, source in fences(page)
        for ref in includes(source) or []
        if ref.endswith("/env.py")
    }
    assert shown == set(WHOLE_ENV_FILES)


@pytest.mark.parametrize("ref", sorted(WHOLE_ENV_FILES))
def test_every_whole_env_py_writes_migrations_as_sql_offline(
    ref: str, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alembic upgrade head --sql`, the template's offline mode: the
    tables, and each value a migration executes inline (literal_binds);
    alembic.ini's logging (fileConfig) says what runs."""
    app, ini, put, commands = WHOLE_ENV_FILES[ref]
    project.recipe(ref, app, ini=ini, put=put)
    if commands:
        project.run(*reversed(commands.split(":")))
    command.revision(project.config, "create tables", autogenerate=True)
    script = Path(command.revision(project.config, "a value").path)
    text = script.read_text()
    script.write_text(text.replace("\n    pass\n", EXECUTE_A_VALUE, 1))
    capsys.readouterr()
    command.upgrade(project.config, "head", sql=True)
    sql, log = capsys.readouterr()
    assert "\nCREATE TABLE " in sql
    assert "\nSELECT 'ada';\n" in sql
    assert "INFO  [alembic.runtime.migration] Running upgrade  -> " in log


def test_alembic_cannot_run_in_a_folder_with_a_percent_sign(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """alembic.ini's %(here)s is the folder, which ConfigParser then reads
    as interpolation: a SQLite URL made from the folder's path never holds
    a "%" for env.py to escape."""
    folder = project.root / "100% app"
    folder.mkdir()
    for path in list(project.root.iterdir()):
        if path != folder:
            shutil.move(path, folder / path.name)
    monkeypatch.chdir(folder)
    with pytest.raises(
        configparser.InterpolationSyntaxError, match="found: '% app'"
    ):
        command.upgrade(Project(folder).config, "head")


@pytest.mark.parametrize("ref", sorted(WHOLE_ENV_FILES))
def test_every_whole_env_py_leaves_no_connection_open(
    ref: str, project: Project
) -> None:
    """NullPool: the connection closes as the migration ends, not when the
    engine's pool is collected."""
    app, ini, put, commands = WHOLE_ENV_FILES[ref]
    project.recipe(ref, app, ini=ini, put=put, revision="create tables")
    if commands:
        project.run(*reversed(commands.split(":")))
    command.upgrade(project.config, "head")
    fds = Path("/proc/self/fd")
    opened = {os.path.realpath(fd) for fd in fds.iterdir()}
    assert not [path for path in opened if path.endswith(".sqlite")]
