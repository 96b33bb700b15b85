"""docs/recipes/postgresql-enums.md: what autogenerate does with an Enum on
PostgreSQL, a value added by hand, and alembic-postgresql-enum.

Importing alembic_postgresql_enum registers its comparators in Alembic for
the rest of the process: the page's commands with the recipe's env.py, which
imports it, forget it afterwards (`Project.run`'s `plugins`), a process of
its own shows that a revision it wrote imports it, and the tests that run
Alembic otherwise take the import out of env.py first.
"""

import shlex
import sys
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command

from harness import (
    Postgres,
    Project,
    installed_as_claimed,
    matches_output,
    migration,
    packages_tested_with,
    read_snippet,
    shell,
)

COMMANDS = "postgresql-enums/commands.sh"
EXTENSION = "import alembic_postgresql_enum  # noqa: F401\n"
PLUGINS = ("alembic_postgresql_enum",)
ARCHIVED = "postgresql-enums/versions/archived_status.py"
AUTOCOMMIT = """\
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE status ADD VALUE 'archived'")
"""
IN_TRANSACTION = """\
    op.execute("ALTER TYPE status ADD VALUE 'archived'")
"""
UPDATE = """\
    op.execute(
        "UPDATE account SET status = 'archived' WHERE status = 'closed'"
    )
"""
# A process that loads the head revision, as pytest-alembic or an
# application's test suite does, and then has the extension imported.
LOAD_HEAD = """
import sys
from alembic.config import Config
from alembic.script import ScriptDirectory

ScriptDirectory.from_config(Config("alembic.ini")).get_revision("head")
assert "alembic_postgresql_enum" in sys.modules
"""
ROWS = "INSERT INTO account VALUES (1, 'ada', 'active'), (2, 'alan', 'closed')"


@pytest.fixture(autouse=True)
def extension_not_loaded_here() -> Iterator[None]:
    """Loaded, it would change every later autogenerate of this process."""
    yield
    assert "alembic_postgresql_enum" not in sys.modules


@pytest.fixture
def recipe(project: Project, role_url: str) -> Project:
    """The page's env.py and models, migrating the role's database."""
    project.recipe("postgresql-enums/env.py", "postgresql-enums/app")
    project.set_url(role_url)
    return project


@pytest.fixture
def plain(recipe: Project) -> Project:
    """Alembic alone: env.py without the extension's import."""
    recipe.edit_env(EXTENSION)
    return recipe


def labels(postgres: Postgres, role: str) -> dict[str, list[str]]:
    """Each enum type of the role's database, with its values in order."""
    with postgres.admin(role) as db:
        rows = db.execute(
            "SELECT typname, enumlabel FROM pg_enum"
            " JOIN pg_type ON pg_type.oid = enumtypid"
            " ORDER BY typname, enumsortorder"
        )
        types: dict[str, list[str]] = {}
        for name, label in rows:
            types.setdefault(name, []).append(label)
        return types


def statuses(postgres: Postgres, role: str) -> list[tuple[int, str]]:
    """Each account's id and status."""
    with postgres.admin(role) as db:
        return db.execute(
            "SELECT id, status::text FROM account ORDER BY id"
        ).fetchall()


def written(project: Project, slug: str) -> str:
    """The text of the revision named by its message's slug, unloaded."""
    [path] = (project.root / "alembic" / "versions").glob(f"*_{slug}.py")
    return path.read_text()


TWO = {"status": ["active", "closed"]}
THREE = {"status": ["active", "closed", "archived"]}


def test_autogenerate_creates_the_type_with_the_table(
    plain: Project, postgres: Postgres, role: str
) -> None:
    plain.run("first", COMMANDS)
    script = plain.head_script()
    assert '"""create account' in script
    matches_output(
        "postgresql-enums/output/create_account.py", migration(script)
    )
    assert labels(postgres, role) == TWO


def test_alembic_check_passes_though_the_enum_gained_a_value(
    plain: Project, postgres: Postgres, role: str
) -> None:
    plain.run("first", COMMANDS)
    plain.put("postgresql-enums/models.py", "app/models.py")
    plain.forget_imports()
    command.check(plain.config)
    with (
        postgres.admin(role) as db,
        pytest.raises(
            psycopg.errors.InvalidTextRepresentation,
            match='invalid input value for enum status: "archived"',
        ),
    ):
        db.execute("INSERT INTO account VALUES (1, 'ada', 'archived')")


def test_the_type_outlives_the_downgrade_and_the_upgrade_fails(
    plain: Project, postgres: Postgres, role: str
) -> None:
    plain.run("first", COMMANDS)
    with pytest.raises(
        sa.exc.ProgrammingError, match='type "status" already exists'
    ):
        plain.run("again", COMMANDS)
    assert postgres.tables(role) == set()
    assert labels(postgres, role) == TWO


def test_a_downgrade_that_drops_the_type_lets_the_upgrade_run_again(
    plain: Project, postgres: Postgres, role: str
) -> None:
    plain.add_revision("postgresql-enums/versions/create_account.py")
    command.upgrade(plain.config, "head")
    plain.run("again", COMMANDS)
    assert postgres.tables(role) == {"account"}
    assert labels(postgres, role) == TWO
    command.downgrade(plain.config, "base")
    assert labels(postgres, role) == {}


@pytest.fixture
def accounts(plain: Project, postgres: Postgres, role: str) -> Project:
    """The table, with the type dropped on downgrade, and two rows."""
    plain.add_revision("postgresql-enums/versions/create_account.py")
    command.upgrade(plain.config, "head")
    with postgres.admin(role) as db:
        db.execute(ROWS)
    return plain


def test_a_value_added_by_hand_is_committed_before_it_is_used(
    accounts: Project, postgres: Postgres, role: str
) -> None:
    accounts.add_revision(ARCHIVED)
    command.upgrade(accounts.config, "head")
    assert labels(postgres, role) == THREE
    assert statuses(postgres, role) == [(1, "active"), (2, "archived")]
    command.downgrade(accounts.config, "-1")
    assert labels(postgres, role) == TWO
    assert statuses(postgres, role) == [(1, "active"), (2, "closed")]


def add_archived(project: Project, *changes: tuple[str, str]) -> None:
    """The page's revision that adds the value, with each change made once."""
    script = read_snippet(ARCHIVED)
    for old, new in changes:
        assert script.count(old) == 1, f"{ARCHIVED}: no single {old!r}"
        script = script.replace(old, new)
    project.add_revision(ARCHIVED, script)


def test_a_new_value_is_refused_in_the_transaction_that_added_it(
    accounts: Project, postgres: Postgres, role: str
) -> None:
    add_archived(accounts, (AUTOCOMMIT, IN_TRANSACTION))
    with pytest.raises(
        sa.exc.OperationalError,
        match='unsafe use of new value "archived" of enum type status',
    ):
        command.upgrade(accounts.config, "head")
    assert labels(postgres, role) == TWO


def test_add_value_runs_in_the_migrations_transaction(
    accounts: Project, postgres: Postgres, role: str
) -> None:
    """When nothing uses the value before the transaction commits."""
    add_archived(accounts, (AUTOCOMMIT, IN_TRANSACTION), (UPDATE, ""))
    command.upgrade(accounts.config, "head")
    assert labels(postgres, role) == THREE


def test_postgresql_drops_no_value_from_a_type(
    accounts: Project, postgres: Postgres, role: str
) -> None:
    with (
        postgres.admin(role) as db,
        pytest.raises(
            psycopg.errors.SyntaxError, match='syntax error at or near "VALUE"'
        ),
    ):
        db.execute("ALTER TYPE status DROP VALUE 'closed'")


def test_the_extension_creates_and_drops_the_type_itself(
    recipe: Project, postgres: Postgres, role: str
) -> None:
    recipe.run("first", COMMANDS, PLUGINS)
    matches_output(
        "postgresql-enums/output/create_account_with_extension.py",
        migration(written(recipe, "create_account")),
    )
    recipe.run("again", COMMANDS, PLUGINS)
    assert postgres.tables(role) == {"account"}
    assert labels(postgres, role) == TWO


def test_the_extension_autogenerates_a_new_value_up_and_down(
    recipe: Project, postgres: Postgres, role: str
) -> None:
    """Its revision imports the extension: a process that loads it (one of
    its own here, without running env.py) imports the extension too."""
    recipe.run("first", COMMANDS, PLUGINS)
    recipe.put("postgresql-enums/models.py", "app/models.py")
    recipe.run("archived", COMMANDS, PLUGINS)
    script = written(recipe, "archived_status")
    assert '"""archived status' in script
    assert "\nfrom alembic_postgresql_enum import TableReference\n" in script
    shell(f"python -c {shlex.quote(LOAD_HEAD)}", recipe.root)
    matches_output(
        "postgresql-enums/output/archived_status.py", migration(script)
    )
    assert labels(postgres, role) == THREE
    recipe.run("downgrade", COMMANDS, PLUGINS)
    assert labels(postgres, role) == TWO


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed("postgresql-enums/commands.sh:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/postgresql-enums")
