"""docs/recipes/several-databases.md: the multidb template, one revision
and one command for two databases."""

from pathlib import Path

import pytest
from alembic import command

from harness import (
    Postgres,
    Project,
    installed_as_claimed,
    matches_output,
    migration,
    packages_tested_with,
)

COMMANDS = "several-databases/commands.sh"
# The SQL files of offline mode, one per engine.
OUTPUT = "several-databases/output"
# A fixed revision id, so that the SQL the page shows is the same each run.
REVISION = "3f1a9c2e7b40"


@pytest.fixture
def init_commands() -> str:
    """The page's `alembic init --template multidb`."""
    return f"{COMMANDS}:init"


@pytest.fixture
def multidb(project: Project) -> Project:
    """The page's alembic.ini, env.py and models, no revision yet."""
    return project.recipe(
        "several-databases/env.py",
        "several-databases/app",
        ini="several-databases/alembic.ini",
    )


def test_one_upgrade_migrates_both_sqlite_files(multidb: Project) -> None:
    """Autogenerate writes each engine's operations into its own function."""
    multidb.run("migrate", COMMANDS)
    [script] = (multidb.root / "alembic" / "versions").glob("*.py")
    assert script.name.endswith("_create_tables.py")
    matches_output(
        "several-databases/output/create_tables.py",
        migration(multidb.head_script()),
    )
    assert multidb.tables("engine1.sqlite") == {"account"}
    assert multidb.tables("engine2.sqlite") == {"page_view"}
    for database in ["engine1.sqlite", "engine2.sqlite"]:
        with multidb.connect(database) as db:
            assert (
                len(db.execute("SELECT * FROM alembic_version").fetchall())
                == 1
            )
    command.check(multidb.config)
    command.downgrade(multidb.config, "base")
    assert multidb.tables("engine1.sqlite") == set()
    assert multidb.tables("engine2.sqlite") == set()


def test_an_engine_on_postgresql(multidb: Project, postgres: Postgres) -> None:
    multidb.set_url(postgres.url("multidb"), section="engine2")
    multidb.run("migrate", COMMANDS)
    assert multidb.tables("engine1.sqlite") == {"account"}
    assert postgres.tables("multidb") == {"page_view"}
    command.check(multidb.config)


def test_offline_each_engine_gets_a_sql_file_of_its_own(
    multidb: Project, postgres: Postgres, capfd: pytest.CaptureFixture[str]
) -> None:
    """engine2 on PostgreSQL: its file is written in PostgreSQL's SQL."""
    multidb.set_url(postgres.url("multidb_offline"), section="engine2")
    command.revision(
        multidb.config, "create tables", autogenerate=True, rev_id=REVISION
    )
    capfd.readouterr()
    multidb.run("offline", COMMANDS)
    offline = capfd.readouterr()
    assert offline.out == ""
    assert "INFO  [alembic.env] Writing output to engine2.sql\n" in (
        offline.err
    )
    for engine in ["engine1", "engine2"]:
        matches_output(
            f"{OUTPUT}/{engine}.sql",
            Path(multidb.root, f"{engine}.sql").read_text(),
        )
    assert postgres.tables("multidb_offline") == set()


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/several-databases")
