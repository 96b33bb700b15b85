"""docs/recipes/x-arguments.md: -x url=... picks the database."""

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import CommandLine

from harness import Project

COMMANDS = "x-arguments/commands.sh"


@pytest.fixture
def xargs(project: Project) -> Project:
    """The notes' application with a first revision, not yet applied."""
    project.edit_ini("recipes/alembic.ini")
    project.add_env("x-arguments/env.py")
    project.add_app("basics/app")
    command.revision(project.config, "create some_model", autogenerate=True)
    return project


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {name for (name,) in rows} - {"alembic_version"}


def test_x_url_migrates_the_database_it_names(xargs: Project) -> None:
    xargs.run("other_database", COMMANDS)
    assert tables(xargs.root / "other.sqlite") == {"some_model"}
    assert xargs.tables() == set()


def test_without_x_the_ini_database_is_migrated(xargs: Project) -> None:
    CommandLine(prog="alembic").main(["upgrade", "head"])
    assert xargs.tables() == {"some_model"}
    assert not (xargs.root / "other.sqlite").exists()


def test_from_code_cmd_opts_is_none_and_the_ini_url_holds(
    xargs: Project,
) -> None:
    config = xargs.config
    assert config.cmd_opts is None
    command.upgrade(config, "head")
    assert xargs.tables() == {"some_model"}


def test_a_url_with_a_percent_sign_reaches_the_database(
    xargs: Project,
) -> None:
    argv = ["-x", "url=sqlite:///100%25.sqlite", "upgrade", "head"]
    CommandLine(prog="alembic").main(argv)
    assert tables(xargs.root / "100%.sqlite") == {"some_model"}
