"""docs/recipes/x-arguments.md: -x url=... picks the database."""

import pytest
import sqlalchemy as sa
from alembic import command

from harness import Project, alembic_cli

COMMANDS = "x-arguments/commands.sh"


@pytest.fixture
def xargs(project: Project) -> Project:
    """The notes' application with a first revision, not yet applied."""
    project.recipe(
        "x-arguments/env.py", "basics/app", revision="create some_model"
    )
    return project


def test_x_url_migrates_the_database_it_names(xargs: Project) -> None:
    xargs.run("other_database", COMMANDS)
    assert xargs.tables("other.sqlite") == {"some_model"}
    assert xargs.tables() == set()


def test_without_x_the_ini_database_is_migrated(xargs: Project) -> None:
    alembic_cli("upgrade", "head")
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
    """The file is the one SQLAlchemy reads from the URL: `100%.sqlite` since
    SQLAlchemy 2.1, which unquotes the database part, `100%25.sqlite` before."""
    url = "sqlite:///100%25.sqlite"
    alembic_cli("-x", f"url={url}", "upgrade", "head")
    assert xargs.tables(sa.make_url(url).database) == {"some_model"}
