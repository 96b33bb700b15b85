"""docs/recipes/batch-mode.md: changes on SQLite that keep every row."""

import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command

from harness import (
    Project,
    matches_output,
    migration,
    read_snippet,
    without_section,
)

COMMANDS = "batch-mode/commands.sh"
ROWS = [(1, "ada@example.com"), (2, "alan@example.com"), (3, "grace@x.org")]


@pytest.fixture
def accounts(project: Project) -> Project:
    """Accounts with rows, and the page's change to the model."""
    project.recipe(
        "batch-mode/env.py", "naming-convention/app", revision="accounts"
    )
    command.upgrade(project.config, "head")
    with project.connect() as db:
        db.executemany("INSERT INTO account VALUES (?, ?)", ROWS)
    project.put("batch-mode/models.py", "app/models.py")
    project.forget_imports()
    return project


def rows(project: Project) -> list[tuple[int, str]]:
    with project.connect() as db:
        return db.execute("SELECT * FROM account ORDER BY id").fetchall()


def email_column(project: Project) -> tuple[str, list[str]]:
    """The email column's type, and the unique constraints of its table."""
    engine = sa.create_engine(f"sqlite:///{project.db_file}")
    inspector = sa.inspect(engine)
    columns = {c["name"]: c for c in inspector.get_columns("account")}
    uniques = [u["name"] for u in inspector.get_unique_constraints("account")]
    engine.dispose()
    return str(columns["email"]["type"]), uniques


def test_batch_mode_keeps_every_row_through_upgrade_and_downgrade(
    accounts: Project,
) -> None:
    accounts.run("upgrade", COMMANDS)
    assert "with op.batch_alter_table('account'" in accounts.head_script()
    matches_output(
        "batch-mode/output/unique_email.py",
        migration(accounts.head_script()),
    )
    assert email_column(accounts) == ("VARCHAR(100)", ["uq_account_email"])
    assert rows(accounts) == ROWS
    accounts.run("downgrade", COMMANDS)
    assert email_column(accounts) == ("VARCHAR(50)", [])
    assert rows(accounts) == ROWS


def test_the_new_constraint_holds_after_the_upgrade(accounts: Project) -> None:
    accounts.run("upgrade", COMMANDS)
    with (
        pytest.raises(sqlite3.IntegrityError, match="UNIQUE"),
        accounts.connect() as db,
    ):
        db.execute("INSERT INTO account VALUES (4, 'ada@example.com')")


def test_without_batch_mode_sqlite_cannot_alter_the_column(
    accounts: Project,
) -> None:
    accounts.edit_env("render_as_batch=True,")
    with pytest.raises(sa.exc.OperationalError, match='near "ALTER": syntax'):
        accounts.run("upgrade", COMMANDS)
    assert "op.alter_column('account', 'email'" in accounts.head_script()
    assert rows(accounts) == ROWS


@pytest.fixture
def nameless(accounts: Project) -> Project:
    """The page's nullable account.name added: every row holds NULL in it."""
    accounts.add_revision("batch-mode/versions/add_name.py")
    command.upgrade(accounts.config, "head")
    return accounts


def names(project: Project) -> tuple[str, list[str | None]]:
    """The revision in alembic_version, and each account's name."""
    with project.connect() as db:
        [(revision,)] = db.execute("SELECT * FROM alembic_version")
        rows = db.execute("SELECT name FROM account ORDER BY id")
        return revision, [name for (name,) in rows]


def fail_to_require_names(project: Project) -> None:
    """The page's NOT NULL revision without its UPDATE, and its failure."""
    project.add_revision(
        "batch-mode/versions/name_required.py",
        without_section("batch-mode/versions/name_required.py:fill"),
    )
    with pytest.raises(
        sa.exc.IntegrityError,
        match=r"NOT NULL constraint failed: _alembic_tmp_account\.name",
    ):
        command.upgrade(project.config, "head")


def test_not_null_fails_while_rows_hold_null(nameless: Project) -> None:
    fail_to_require_names(nameless)
    assert names(nameless) == ("8d4e1b2a6c90", [None, None, None])


def test_rows_updated_first_let_the_column_become_not_null(
    nameless: Project,
) -> None:
    nameless.add_revision("batch-mode/versions/name_required.py")
    command.upgrade(nameless.config, "head")
    assert names(nameless) == ("5b9f3e7d2a14", ["ada", "alan", "grace"])
    with nameless.connect() as db:
        assert db.execute(
            "SELECT type, \"notnull\" FROM pragma_table_info('account')"
            " WHERE name = 'name'"
        ).fetchall() == [("VARCHAR(50)", 1)]
    with (
        pytest.raises(sqlite3.IntegrityError, match="NOT NULL"),
        nameless.connect() as db,
    ):
        db.execute("INSERT INTO account VALUES (4, 'x@y.org', NULL)")


def test_a_failed_batch_leaves_its_table_behind_until_dropped(
    nameless: Project,
) -> None:
    """The retry of the fixed revision fails on it; the page's DROP fixes."""
    fail_to_require_names(nameless)
    assert "_alembic_tmp_account" in nameless.tables()
    nameless.add_revision("batch-mode/versions/name_required.py")
    with pytest.raises(
        sa.exc.OperationalError,
        match="table _alembic_tmp_account already exists",
    ):
        command.upgrade(nameless.config, "head")
    nameless.run("cleanup", COMMANDS)
    assert "_alembic_tmp_account" not in nameless.tables()
    assert names(nameless) == ("5b9f3e7d2a14", ["ada", "alan", "grace"])


def test_a_batch_after_an_update_fails_without_leaving_its_table(
    nameless: Project,
) -> None:
    """The fixed revision, with an UPDATE that misses rows: all rolled back."""
    script = read_snippet("batch-mode/versions/name_required.py")
    missing_rows = script.replace("WHERE name IS NULL", "WHERE id = 1")
    nameless.add_revision("batch-mode/versions/name_required.py", missing_rows)
    with pytest.raises(sa.exc.IntegrityError, match="NOT NULL constraint"):
        command.upgrade(nameless.config, "head")
    assert "_alembic_tmp_account" not in nameless.tables()
    assert names(nameless) == ("8d4e1b2a6c90", [None, None, None])
